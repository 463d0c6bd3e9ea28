/**
 * What the popups show, built from DOM nodes with `textContent`: names and phone numbers come from
 * the county's records and are untrusted text, so nothing here ever goes through innerHTML.
 */
import type { Agency, Contact, LocationCategory } from '@lianfang/geo';
import type { GridDetail, GridProperties, LocationDetail, LocationProperties, TeamView } from '@lianfang/server/api';
import type { MessageKey, MessageParams } from '../i18n/messages';
import { formatAgo, formatFixTime } from '../format';
import { isOnPatrol } from '../live/team-positions';
import { AGENCY_COLOURS, CATEGORY_COLOURS, OFFLINE_COLOUR } from './palette';

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

export function locationPopup(
  location: LocationProperties,
  detail: LocationDetail | 'loading' | 'error',
  t: Translate,
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
  root.append(facts);
  if (detail === 'loading') root.append(status(t('popup.loading')));
  if (detail === 'error') root.append(status(t('popup.error'), 'lf-popup__status lf-popup__status--error'));
  return root;
}

export function teamPopup(team: TeamView, now: number, t: Translate): HTMLElement {
  const root = el('article', 'lf-popup lf-popup--team');
  root.dataset.kind = 'team';
  const online = isOnPatrol(team, now);
  root.append(header(t('popup.team'), online ? AGENCY_COLOURS[team.agency] : OFFLINE_COLOUR, team.callSign));
  const facts = el('dl', 'lf-popup__facts');
  row(facts, t('popup.agency'), agencyLabel(team.agency, t));
  const state = el('span', online ? 'lf-popup__live' : 'lf-popup__offline', online ? t('team.onPatrol') : t('team.offline'));
  row(facts, t('popup.status'), state);
  row(
    facts,
    t('popup.lastFix'),
    team.time === null
      ? t('popup.noFix')
      : t('popup.lastFixValue', { time: formatFixTime(team.time, now), ago: formatAgo(team.time, now, t) }),
  );
  if (team.speed !== null && online) row(facts, t('popup.speed'), t('popup.speedValue', { kmh: Math.round(team.speed * 3.6) }));
  root.append(facts);
  return root;
}
