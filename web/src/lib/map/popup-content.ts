/**
 * What the popups show, built from DOM nodes with `textContent`: names and phone numbers come from
 * the county's records and are untrusted text, so nothing here ever goes through innerHTML.
 */
import type { Agency, Contact, LocationCategory, TeamMember } from '@lianfang/geo';
import type { Assignment, CheckIn, GridDetail, GridProperties, LocationCoverageDetail, LocationDetail, LocationProperties, TeamDetailResponse, TeamView } from '@lianfang/server/api';
import type { MessageKey, MessageParams } from '../i18n/messages';
import { formatAgo, formatFixTime, formatShortTime } from '../format';
import { isLowBattery } from '../battery.svelte';
import { teamStatus } from '../live/team-positions';
import { AGENCY_COLOURS, CATEGORY_COLOURS, COVERAGE_COLOURS, OFFLINE_COLOUR, RESPONDING_COLOUR } from './palette';

type Translate = (key: MessageKey, params?: MessageParams) => string;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function header(kind: string, kindColour: string | null, title: string): HTMLElement {
  const head = el('header', 'lf-popup__head');
  const badge = el('span', 'lf-popup__kind', kind);
  if (kindColour) badge.style.setProperty('--kind-colour', kindColour);
  head.append(badge, el('h3', 'lf-popup__title', title));
  return head;
}

function row(list: HTMLDListElement, label: string, value: string | Node): void {
  const dt = el('dt', undefined, label);
  const dd = el('dd');
  dd.append(value);
  list.append(dt, dd);
}

/** A `tel:` link; the href keeps only what a dialler reads, whatever the record holds. */
export function phoneLink(phone: string): HTMLAnchorElement {
  const link = el('a', 'lf-popup__phone', phone);
  link.href = `tel:${phone.replace(/[^\d+]/g, '')}`;
  return link;
}

function contact(person: Contact): HTMLElement {
  const item = el('li', 'lf-popup__contact');
  item.append(el('span', 'lf-popup__name', person.name), phoneLink(person.phone));
  return item;
}

function status(text: string, className = 'lf-popup__status'): HTMLElement {
  return el('p', className, text);
}

export function gridPopup(grid: GridProperties, detail: GridDetail | 'loading' | 'error', t: Translate): HTMLElement {
  const root = el('article', 'lf-popup lf-popup--grid');
  root.dataset.kind = 'grid';
  root.append(header(grid.key ? t('popup.keyGrid') : t('popup.grid'), grid.key ? '#ffb547' : null, grid.name));
  const facts = el('dl', 'lf-popup__facts');
  row(facts, t('popup.township'), grid.townshipName);
  if (grid.villageName) row(facts, t('popup.village'), grid.villageName);
  if (typeof detail === 'object') row(facts, t('popup.locationCount'), t('popup.locationCountValue', { count: detail.locationCount }));
  root.append(facts);

  if (detail === 'loading') {
    root.append(status(t('popup.loading')));
    return root;
  }
  if (detail === 'error') {
    root.append(status(t('popup.error'), 'lf-popup__status lf-popup__status--error'));
    return root;
  }
  const leader = el('section', 'lf-popup__people');
  leader.dataset.role = 'leader';
  leader.append(el('h4', undefined, t('popup.leader')));
  const leaderList = el('ul');
  if (detail.leader) leaderList.append(contact(detail.leader));
  else leaderList.append(el('li', 'lf-popup__none', t('popup.nobody')));
  leader.append(leaderList);

  const workers = el('section', 'lf-popup__people');
  workers.dataset.role = 'workers';
  workers.append(el('h4', undefined, t('popup.workers')));
  const workerList = el('ul');
  for (const worker of detail.workers) workerList.append(contact(worker));
  if (detail.workers.length === 0) workerList.append(el('li', 'lf-popup__none', t('popup.nobody')));
  workers.append(workerList);
  root.append(leader, workers);
  return root;
}

const priorityKey = { 1: 'popup.priority.1', 2: 'popup.priority.2', 3: 'popup.priority.3' } as const satisfies Record<
  LocationProperties['priority'],
  MessageKey
>;

export function categoryLabel(category: LocationCategory, t: Translate): string {
  return t(`category.${category}`);
}

export function agencyLabel(agency: Agency, t: Translate): string {
  return t(`agency.${agency}`);
}

const coverageStateKey = { covered: 'coverage.covered', due_soon: 'coverage.dueSoon', uncovered: 'coverage.uncovered', inactive: 'popup.coverage.inactive' } as const;

/**
 * What a dispatcher asks of a key location: is it covered now, by when must someone be there,
 * and who was there last (each agency's latest visit). Times on the county clock.
 */
function coverageFacts(facts: HTMLDListElement, coverage: LocationCoverageDetail, now: number, t: Translate): void {
  const state = el('span', 'lf-popup__state', t(coverageStateKey[coverage.state]));
  state.dataset.state = coverage.state;
  if (coverage.state !== 'inactive') state.style.setProperty('--state-colour', COVERAGE_COLOURS[coverage.state]);
  row(facts, t('popup.coverage.now'), state);
  const need = coverage.requirement;
  if (need) {
    row(facts, t('popup.coverage.rule'), t('popup.coverage.ruleValue', { minutes: need.gapMinutes, agencies: need.minAgencies }));
    if (need.periods.length > 0) row(facts, t('popup.coverage.periods'), need.periods.map((p) => p.name).join('、'));
  }
  if (coverage.deadline !== null) {
    // The server's verdict, not this screen's clock, says whether the deadline has passed.
    const key = coverage.state === 'uncovered' ? 'popup.coverage.overdueValue' : 'popup.coverage.deadlineValue';
    row(facts, t('popup.coverage.deadline'), t(key, { time: formatShortTime(coverage.deadline, now) }));
  }
  const visits = el('ul', 'lf-popup__visits');
  for (const visit of coverage.lastVisits) {
    const item = el('li');
    item.dataset.agency = visit.agency;
    item.append(el('span', 'lf-popup__visit-agency', agencyLabel(visit.agency as Agency, t)), el('span', 'lf-popup__visit-time', formatShortTime(visit.time, now)));
    visits.append(item);
  }
  row(facts, t('popup.coverage.lastVisits'), coverage.lastVisits.length > 0 ? visits : t('popup.coverage.noVisits'));
}

export function locationPopup(
  location: LocationProperties,
  detail: LocationDetail | 'loading' | 'error',
  t: Translate,
  /** Its coverage now, when the coverage service answered. */
  coverage?: { detail: LocationCoverageDetail; now: number },
  /** Its printable check-in poster, for those who may fetch the code (the caller decides). */
  posterHref?: string,
): HTMLElement {
  const root = el('article', 'lf-popup lf-popup--location');
  root.dataset.kind = 'location';
  root.append(header(categoryLabel(location.category, t), CATEGORY_COLOURS[location.category], location.name));
  const facts = el('dl', 'lf-popup__facts');
  row(facts, t('popup.priority'), t(priorityKey[location.priority]));
  if (typeof detail === 'object') {
    if (detail.address) row(facts, t('popup.address'), detail.address);
    if (detail.openingHours) row(facts, t('popup.openingHours'), detail.openingHours);
    const area = [detail.townshipName, detail.gridName].filter(Boolean).join(' · ');
    if (area) row(facts, t('popup.inGrid'), area);
  }
  row(facts, t('popup.radius'), t('popup.radiusValue', { metres: location.radius }));
  if (coverage) coverageFacts(facts, coverage.detail, coverage.now, t);
  root.append(facts);
  if (detail === 'loading') root.append(status(t('popup.loading')));
  if (detail === 'error') root.append(status(t('popup.error'), 'lf-popup__status lf-popup__status--error'));
  if (posterHref) root.append(linkActions(posterHref, t('locposter.openFromPopup'), 'poster'));
  return root;
}

/** A row with one link styled as a popup button (a page of its own: opens in a new tab, the map stays). */
function linkActions(href: string, text: string, action: string): HTMLElement {
  const actions = el('div', 'lf-popup__actions');
  // Below the details here: a rule above it instead of below (styles/popups.css places actions on top).
  actions.style.margin = '10px 0 0';
  actions.style.padding = '10px 0 0';
  actions.style.borderBottom = '0';
  actions.style.borderTop = '1px solid rgba(255, 255, 255, 0.07)';
  actions.append(popupLink(href, text, action));
  return actions;
}

function popupLink(href: string, text: string, action: string): HTMLAnchorElement {
  const link = el('a', 'lf-popup__button', text);
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener';
  link.dataset.action = action;
  return link;
}

/** What the team popup shows beyond the live team: fetched when it opens, check-ins kept live. */
export interface TeamPopupExtra {
  detail: TeamDetailResponse['team'] | 'loading' | 'error';
  checkIns: CheckIn[] | 'loading' | 'error';
  /** A key location's name for a check-in. */
  locationName(id: string): string;
  /** The team's shifts (排班) in force now, live; absent where the map does not follow them. */
  shifts?: Assignment[];
  /** A grid's name, for a shift. */
  gridName?(id: string): string;
}

/** Check-ins shown in the popup, newest first. */
const RECENT_CHECKINS = 5;

function member(person: TeamMember, t: Translate): HTMLElement {
  const item = el('li', 'lf-popup__contact');
  const who = el('span', 'lf-popup__name', person.name);
  who.append(el('span', 'lf-popup__role', t(`member.${person.role}`)));
  item.append(who, phoneLink(person.phone));
  return item;
}

function checkInItem(checkIn: CheckIn, now: number, extra: TeamPopupExtra, t: Translate): HTMLElement {
  const item = el('li', 'lf-popup__checkin');
  item.dataset.checkinId = checkIn.id;
  item.append(
    el('span', 'lf-popup__when', formatShortTime(checkIn.time, now)),
    el('span', 'lf-popup__where', extra.locationName(checkIn.locationId)),
    el('span', 'lf-popup__how', t(`checkin.${checkIn.kind}`)),
  );
  return item;
}

export function teamPopup(team: TeamView, now: number, t: Translate, extra?: TeamPopupExtra): HTMLElement {
  const root = el('article', 'lf-popup lf-popup--team');
  root.dataset.kind = 'team';
  const state = teamStatus(team);
  const online = state === 'on_patrol' || state === 'responding';
  const colour = state === 'responding' ? RESPONDING_COLOUR : state === 'offline' ? OFFLINE_COLOUR : AGENCY_COLOURS[team.agency];
  root.append(header(t('popup.team'), colour, team.callSign));
  const facts = el('dl', 'lf-popup__facts');
  row(facts, t('popup.agency'), agencyLabel(team.agency, t));
  const label = el('span', `lf-popup__state lf-popup__state--${state}`, t(`status.${state}`));
  if (team.statusSince) label.append(el('span', 'lf-popup__since', ` · ${t('popup.since', { time: formatShortTime(team.statusSince, now) })}`));
  row(facts, t('popup.status'), label);
  row(
    facts,
    t('popup.lastFix'),
    team.time === null
      ? t('popup.noFix')
      : t('popup.lastFixValue', { time: formatFixTime(team.time, now), ago: formatAgo(team.time, now, t) }),
  );
  if (team.speed !== null && online) row(facts, t('popup.speed'), t('popup.speedValue', { kmh: Math.round(team.speed * 3.6) }));
  if (team.battery !== null) {
    const percent = Math.round(team.battery);
    const low = isLowBattery(team.battery);
    const value = el('span', low ? 'lf-popup__battery lf-popup__battery--low' : 'lf-popup__battery', t(low ? 'popup.batteryLow' : 'popup.batteryValue', { percent }));
    row(facts, t('popup.battery'), value);
  }
  root.append(facts);
  if (!extra) return root;

  const members = el('section', 'lf-popup__people');
  members.dataset.role = 'members';
  members.append(el('h4', undefined, t('popup.members')));
  if (extra.detail === 'loading') members.append(status(t('popup.loading')));
  else if (extra.detail === 'error') members.append(status(t('popup.error'), 'lf-popup__status lf-popup__status--error'));
  else {
    const list = el('ul');
    for (const person of extra.detail.members) list.append(member(person, t));
    if (extra.detail.members.length === 0) list.append(el('li', 'lf-popup__none', t('popup.nobody')));
    members.append(list);
  }

  const checkIns = el('section', 'lf-popup__people');
  checkIns.dataset.role = 'checkins';
  checkIns.append(el('h4', undefined, t('popup.checkIns')));
  if (extra.checkIns === 'loading') checkIns.append(status(t('popup.loading')));
  else if (extra.checkIns === 'error') checkIns.append(status(t('popup.error'), 'lf-popup__status lf-popup__status--error'));
  else {
    const list = el('ul');
    const recent = [...extra.checkIns].sort((a, b) => b.time - a.time).slice(0, RECENT_CHECKINS);
    for (const checkIn of recent) list.append(checkInItem(checkIn, now, extra, t));
    if (recent.length === 0) list.append(el('li', 'lf-popup__none', t('popup.noCheckIns')));
    checkIns.append(list);
  }
  root.append(members, checkIns);
  if (extra.shifts) root.append(shiftSection(extra.shifts, now, extra, t));

  return root;
}

/** 当前排班: the grids and key locations the team is assigned to now, and until when. */
function shiftSection(shifts: Assignment[], now: number, extra: TeamPopupExtra, t: Translate): HTMLElement {
  const section = el('section', 'lf-popup__people');
  section.dataset.role = 'shift';
  section.append(el('h4', undefined, t('popup.shift')));
  if (shifts.length === 0) {
    section.append(el('p', 'lf-popup__none', t('popup.noShift')));
    return section;
  }
  const list = el('ul');
  for (const shift of shifts) {
    const item = el('li', 'lf-popup__shift');
    item.dataset.assignmentId = shift.id;
    // Styled here: the popup's stylesheet (styles/popups.css) has no shift rows.
    item.style.display = 'grid';
    item.style.gap = '2px';
    item.append(el('span', 'lf-popup__when', t('popup.shiftUntil', { time: formatShortTime(shift.to, now) })));
    if (shift.gridIds.length > 0) {
      const names = shift.gridIds.map((id) => extra.gridName?.(id) ?? id).join('、');
      const where = el('span', undefined, `${t('popup.shiftGrids')}：${names}`);
      where.style.overflowWrap = 'anywhere';
      item.append(where);
    }
    if (shift.locationIds.length > 0) {
      const names = shift.locationIds.map((id) => extra.locationName(id)).join('、');
      const where = el('span', undefined, `${t('popup.shiftLocations')}：${names}`);
      where.style.overflowWrap = 'anywhere';
      item.append(where);
    }
    list.append(item);
  }
  section.append(list);
  return section;
}

/**
 * The team popup's buttons, built once and kept while the details below them are rebuilt with
 * every position (a button replaced under the pointer would lose the click). They come first:
 * a team with many members and check-ins makes a popup taller than the room below it.
 */
export function teamPopupActions(t: Translate, onReplay: () => void, onShift?: () => void, phonesHref?: string, onOrder?: () => void): HTMLElement {
  const actions = el('div', 'lf-popup__actions');
  const replay = el('button', 'lf-popup__button', t('replay.open'));
  replay.type = 'button';
  replay.dataset.action = 'replay';
  replay.addEventListener('click', () => onReplay());
  actions.append(replay);
  if (onShift) {
    // 排班: only for those who may assign this team (the caller decides).
    const shift = el('button', 'lf-popup__button', t('shift.open'));
    shift.type = 'button';
    shift.dataset.action = 'shift';
    shift.addEventListener('click', () => onShift());
    actions.append(shift);
  }
  if (onOrder) {
    // 发送指令: for those who may manage the team (the caller decides).
    const order = el('button', 'lf-popup__button', t('orders.send'));
    order.type = 'button';
    order.dataset.action = 'order';
    order.addEventListener('click', () => onOrder());
    actions.append(order);
  }
  // 巡逻手机: the team's phones screen, for those who may manage the team (the caller decides).
  if (phonesHref) actions.append(popupLink(phonesHref, t('phones.openPhones'), 'phones'));
  return actions;
}
