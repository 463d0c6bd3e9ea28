/**
 * `npm run simulate -- --teams N --interval S --via http|osmand|socket`: patrol teams that report
 * to a running server the way real phones do, through the real ingest routes, so the map, the
 * check-ins and the statuses can be watched (or load-tested) without anyone walking.
 *
 * Each team gets a device registered to one of its members (revoked again on exit), walks,
 * rides an e-bike or drives (1.4, 5 or 10 m/s by agency) along a loop through key locations of
 * its township, stays a few minutes at each so the server checks it in automatically, and, over
 * http or socket, also checks in from the "patrol page" when it arrives (a client-generated id,
 * sent twice now and then, as a flaky network would). It prints what it sent and how it was
 * answered every 10 s and at the end.
 *
 *   --url URL          server (default http://127.0.0.1:3000)
 *   --teams N          how many teams (default 10)
 *   --interval S       seconds between fixes of one team (default 5)
 *   --via MODE         http (POST /api/positions), osmand (Traccar Client's query form on OSMAND_PORT),
 *                      socket (the patrol page's Socket.IO events)            (default http)
 *   --duration S       stop after S seconds (default: until Ctrl-C)
 *   --dwell S          how long a team stays at a key location (default 150)
 *   --username NAME    an admin, dispatcher or coordinator that may register devices (default dispatcher);
 *                      the password from LIANFANG_PASSWORD, or the demo password `npm start` keeps in var/demo-password
 *   --keep-devices     do not revoke the simulator's devices on exit
 */
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { distanceMetres, type Agency } from '../geo/src/index.ts';
import type { LocationsResponse, NewDeviceResponse, PositionsAccepted, TeamDetailResponse, TeamsResponse } from '@lianfang/server/api';
import type { ClientToServerEvents, ServerToClientEvents } from '../server/src/events.ts';

/** Metres per second by agency: guards and volunteers walk, grid workers ride e-bikes, police drive slowly through town. */
export const SPEED: Record<Agency, number> = { police: 10, grid: 5, security: 1.4, volunteer: 1.4, joint: 1.4 };
const KNOT = 1852 / 3600;

export type Via = 'http' | 'osmand' | 'socket';

export interface Stop {
  id: string;
  lon: number;
  lat: number;
  radius: number;
}

/** Where a team is on its loop at a moment: walking between stops, or staying at one. */
export interface PatrolState {
  lon: number;
  lat: number;
  heading: number;
  speed: number;
  /** The stop it is staying at, if it is. */
  at: Stop | null;
  /** True on the first moment at a stop (the moment to check in from the patrol page). */
  arrived: boolean;
}

/**
 * A loop through `stops` at `speed` m/s, staying `dwellS` at each: its position is a function of
 * the time since the start, so it needs no state and any tick interval works.
 */
export function patrolLoop(stops: Stop[], speed: number, dwellS: number) {
  if (stops.length === 0) throw new RangeError('patrolLoop: needs at least one stop');
  const legs = stops.map((from, i) => {
    const to = stops[(i + 1) % stops.length]!;
    return { from, to, travelS: stops.length === 1 ? 0 : distanceMetres(from.lon, from.lat, to.lon, to.lat) / speed };
  });
  const cycleS = legs.reduce((sum, leg) => sum + dwellS + leg.travelS, 0);

  /** Which leg (staying at its stop, then travelling) a moment falls in, and how far into it. */
  function phase(elapsedS: number) {
    const cycle = Math.floor(elapsedS / cycleS);
    let t = elapsedS - cycle * cycleS;
    for (let i = 0; i < legs.length; i++) {
      const leg = legs[i]!;
      if (t < dwellS) return { cycle, leg: i, staying: true, t };
      t -= dwellS;
      if (t < leg.travelS) return { cycle, leg: i, staying: false, t };
      t -= leg.travelS;
    }
    return { cycle, leg: 0, staying: true, t: 0 };
  }

  return {
    cycleS,
    /** The state `elapsedS` after the start. `previousS`, the previous tick, tells whether it just arrived. */
    at(elapsedS: number, previousS = -1): PatrolState {
      const now = phase(elapsedS);
      const leg = legs[now.leg]!;
      if (now.staying) {
        const before = previousS < 0 ? undefined : phase(previousS);
        const arrived = before !== undefined && !(before.staying && before.leg === now.leg && before.cycle === now.cycle);
        return { lon: leg.from.lon, lat: leg.from.lat, heading: 0, speed: 0, at: leg.from, arrived };
      }
      const f = now.t / leg.travelS;
      return {
        lon: leg.from.lon + (leg.to.lon - leg.from.lon) * f,
        lat: leg.from.lat + (leg.to.lat - leg.from.lat) * f,
        heading: bearing(leg.from, leg.to),
        speed,
        at: null,
        arrived: false,
      };
    },
  };
}

function bearing(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const toRad = Math.PI / 180;
  const y = Math.sin((b.lon - a.lon) * toRad) * Math.cos(b.lat * toRad);
  const x = Math.cos(a.lat * toRad) * Math.sin(b.lat * toRad) - Math.sin(a.lat * toRad) * Math.cos(b.lat * toRad) * Math.cos((b.lon - a.lon) * toRad);
  return Math.round(((Math.atan2(y, x) / toRad + 360) % 360) * 10) / 10;
}

/** Up to `n` stops near each other: the nearest locations to the first, visited nearest-next. */
export function chooseStops(candidates: Stop[], n: number, seed: number): Stop[] {
  if (candidates.length === 0) return [];
  const first = candidates[seed % candidates.length]!;
  const near = [...candidates].sort((a, b) => distanceMetres(first.lon, first.lat, a.lon, a.lat) - distanceMetres(first.lon, first.lat, b.lon, b.lat)).slice(0, n);
  const route = [near.shift()!];
  while (near.length > 0) {
    const here = route[route.length - 1]!;
    near.sort((a, b) => distanceMetres(here.lon, here.lat, a.lon, a.lat) - distanceMetres(here.lon, here.lat, b.lon, b.lat));
    route.push(near.shift()!);
  }
  return route;
}

export interface SimulateOptions {
  url: string;
  teams: number;
  intervalS: number;
  via: Via;
  username: string;
  password: string;
  dwellS?: number;
  /** Stop after this many seconds of the clock; undefined: until `stop()`. */
  durationS?: number;
  keepDevices?: boolean;
  /** The clock fixes are stamped with (default Date.now). */
  now?: () => number;
  /** Waits between ticks (default a real timer). Tests advance their clock instead. */
  sleep?: (ms: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface SimulateReport {
  teams: number;
  via: Via;
  positions: { sent: number; accepted: number; rejected: Record<string, number> };
  checkIns: { sent: number; accepted: number; duplicates: number; rejected: Record<string, number>; automatic: number };
  devices: string[];
}

interface SimTeam {
  id: string;
  callSign: string;
  identifier: string;
  deviceId: string;
  loop: ReturnType<typeof patrolLoop>;
  offsetS: number;
  socket?: Socket<ServerToClientEvents, ClientToServerEvents>;
  lastS: number;
}

/** Runs the simulation; resolves its report when the duration is over or `signal` aborts. */
export async function simulate(options: SimulateOptions, signal?: AbortSignal): Promise<SimulateReport> {
  const now = options.now ?? (() => Date.now());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const log = options.log ?? ((line: string) => console.log(line));
  const dwellS = options.dwellS ?? 150;
  const base = options.url.replace(/\/$/, '');
  const report: SimulateReport = {
    teams: 0,
    via: options.via,
    positions: { sent: 0, accepted: 0, rejected: {} },
    checkIns: { sent: 0, accepted: 0, duplicates: 0, rejected: {}, automatic: 0 },
    devices: [],
  };
  const count = (bucket: Record<string, number>, key: string) => (bucket[key] = (bucket[key] ?? 0) + 1);

  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: options.username, password: options.password }) });
  if (login.status !== 200) throw new Error(`sign-in as ${options.username} failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('lf_session='))!.split(';')[0]!;
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const headers: Record<string, string> = { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}) };
    const res = await fetch(`${base}${path}`, { ...init, headers });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };

  const { teams } = await api<TeamsResponse>('/api/teams');
  const locations = (await api<LocationsResponse>('/api/geo/locations')).features.map((f) => ({
    id: f.properties.id,
    lon: f.geometry.coordinates[0]!,
    lat: f.geometry.coordinates[1]!,
    radius: f.properties.radius,
    townshipId: f.properties.townshipId,
  }));
  if (locations.length === 0) throw new Error('the server has no key locations: load the demo (DEMO=true) or import some');

  const sim: SimTeam[] = [];
  // Where Traccar Client would be pointed: the set-up link of the devices registered below.
  let osmandServer = '';
  for (const [i, view] of teams.slice(0, options.teams).entries()) {
    const { team } = await api<TeamDetailResponse>(`/api/teams/${encodeURIComponent(view.id)}`);
    const member = team.members[0];
    if (!member) continue;
    const own = locations.filter((l) => l.townshipId === team.townshipId);
    const stops = chooseStops(own.length >= 2 ? own : locations, 4, i * 7919);
    const device = await api<NewDeviceResponse>(`/api/teams/${encodeURIComponent(team.id)}/devices`, { method: 'POST', body: JSON.stringify({ memberName: member.name, label: `simulator (${options.via})` }) });
    osmandServer ||= device.links.osmandServer;
    const loop = patrolLoop(stops, SPEED[team.agency], dwellS);
    sim.push({ id: team.id, callSign: team.callSign, identifier: device.identifier, deviceId: device.device.id, loop, offsetS: (i * 977) % Math.max(1, Math.floor(loop.cycleS)), lastS: -1 });
    report.devices.push(device.device.id);
  }
  report.teams = sim.length;
  if (sim.length === 0) throw new Error('no team with members to simulate');

  if (options.via === 'socket') {
    await Promise.all(
      sim.map(
        (team) =>
          new Promise<void>((resolve, reject) => {
            const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(`${base}/patrol`, { transports: ['websocket'], auth: { device: team.identifier } });
            socket.once('connect', () => resolve());
            socket.once('connect_error', reject);
            team.socket = socket;
          }),
      ),
    );
  }
  log(`simulating ${sim.length} teams via ${options.via}, a fix every ${options.intervalS} s (${sim.map((t) => t.callSign).join(' ')})`);

  async function sendFix(team: SimTeam, state: PatrolState, time: number): Promise<void> {
    // A phone's GPS: a few metres of noise, 5–15 m accuracy.
    const jitter = () => (Math.random() - 0.5) * 6e-5;
    const fix = { lon: round6(state.lon + jitter()), lat: round6(state.lat + jitter()), time, heading: state.heading, speed: state.speed, accuracy: 5 + Math.round(Math.random() * 10) };
    report.positions.sent++;
    try {
      let result: PositionsAccepted | undefined;
      if (options.via === 'http') {
        const res = await fetch(`${base}/api/positions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: team.identifier, ...fix }) });
        if (res.status !== 200) return void count(report.positions.rejected, String(res.status));
        result = (await res.json()) as PositionsAccepted;
      } else if (options.via === 'osmand') {
        const q = `id=${team.identifier}&lat=${fix.lat}&lon=${fix.lon}&timestamp=${Math.floor(time / 1000)}&speed=${(fix.speed / KNOT).toFixed(2)}&bearing=${fix.heading}&accuracy=${fix.accuracy}&batt=${80 + Math.round(Math.random() * 20)}`;
        const res = await fetch(`${osmandServer.replace('://localhost:', '://127.0.0.1:')}/?${q}`);
        await res.arrayBuffer();
        if (res.status !== 200) return void count(report.positions.rejected, String(res.status));
      } else {
        const ack = await team.socket!.timeout(10_000).emitWithAck('patrol:position', { positions: [fix] });
        if ('error' in ack) return void count(report.positions.rejected, ack.error.field ?? ack.error.message);
        result = ack.data;
      }
      report.positions.accepted++;
      report.checkIns.automatic += result?.checkIns.length ?? 0;
    } catch (err) {
      count(report.positions.rejected, (err as Error).message.slice(0, 40));
    }
  }

  async function checkIn(team: SimTeam, state: PatrolState, time: number): Promise<void> {
    const stop = state.at!;
    const body = { id: randomUUID(), locationId: stop.id, time, lon: round6(state.lon + 2e-5), lat: round6(state.lat), accuracy: 8 };
    // Now and then the network drops the answer and the page sends the same check-in again.
    const attempts = Math.random() < 0.2 ? 2 : 1;
    for (let a = 0; a < attempts; a++) {
      report.checkIns.sent++;
      try {
        let status: number | string;
        let duplicate = false;
        if (options.via === 'socket') {
          const ack = await team.socket!.timeout(10_000).emitWithAck('patrol:checkin', body);
          status = 'error' in ack ? (ack.error.field ?? 'error') : 'ok';
          duplicate = 'data' in ack && ack.data.duplicate;
        } else {
          const res = await fetch(`${base}/api/checkins`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ deviceId: team.identifier, ...body }) });
          status = res.status === 200 || res.status === 201 ? 'ok' : res.status;
          duplicate = res.status === 200;
          await res.arrayBuffer();
        }
        if (status !== 'ok') count(report.checkIns.rejected, String(status));
        else if (duplicate) report.checkIns.duplicates++;
        else report.checkIns.accepted++;
      } catch (err) {
        count(report.checkIns.rejected, (err as Error).message.slice(0, 40));
      }
    }
  }

  const started = now();
  let lastReport = started;
  const summary = () =>
    `${((now() - started) / 1000).toFixed(0)} s: ${report.positions.sent} fixes sent, ${report.positions.accepted} accepted, rejected ${JSON.stringify(report.positions.rejected)}; ` +
    `check-ins ${report.checkIns.sent} sent, ${report.checkIns.accepted} new, ${report.checkIns.duplicates} retries answered as duplicates, ${report.checkIns.automatic} automatic`;
  try {
    while (!signal?.aborted && (options.durationS === undefined || now() - started < options.durationS * 1000)) {
      const tickStart = now();
      await Promise.all(
        sim.map(async (team) => {
          const elapsedS = (tickStart - started) / 1000 + team.offsetS;
          const state = team.loop.at(elapsedS, team.lastS);
          team.lastS = elapsedS;
          await sendFix(team, state, tickStart);
          if (state.arrived && options.via !== 'osmand') await checkIn(team, state, tickStart);
        }),
      );
      if (now() - lastReport >= 10_000) {
        log(summary());
        lastReport = now();
      }
      await sleep(Math.max(0, options.intervalS * 1000 - (now() - tickStart)));
    }
  } finally {
    for (const team of sim) team.socket?.disconnect();
    if (!options.keepDevices) {
      for (const team of sim) await api(`/api/teams/${encodeURIComponent(team.id)}/devices/${team.deviceId}`, { method: 'DELETE' }).catch(() => {});
    }
    log(summary());
  }
  return report;
}

const round6 = (n: number) => Math.round(n * 1e6) / 1e6;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      teams: { type: 'string', default: '10' },
      interval: { type: 'string', default: '5' },
      via: { type: 'string', default: 'http' },
      duration: { type: 'string' },
      dwell: { type: 'string', default: '150' },
      username: { type: 'string', default: 'dispatcher' },
      'keep-devices': { type: 'boolean', default: false },
    },
  });
  const via = values.via as Via;
  if (!['http', 'osmand', 'socket'].includes(via)) throw new Error(`--via must be http, osmand or socket, got ${values.via}`);
  const teams = Number(values.teams);
  const intervalS = Number(values.interval);
  if (!(Number.isInteger(teams) && teams > 0)) throw new Error(`--teams must be a whole number ≥ 1, got ${values.teams}`);
  if (!(intervalS >= 0.1)) throw new Error(`--interval must be ≥ 0.1 s, got ${values.interval}`);
  let password = process.env.LIANFANG_PASSWORD;
  if (!password) {
    // The demo password `npm start` generated and keeps in var/demo-password (Redis has only its hash).
    const { readFile } = await import('node:fs/promises');
    password = (await readFile(new URL('../var/demo-password', import.meta.url), 'utf8').catch(() => '')).trim() || undefined;
  }
  if (!password) throw new Error('set LIANFANG_PASSWORD to the password of --username (npm start keeps the demo one in var/demo-password)');
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  const report = await simulate(
    {
      url: values.url!,
      teams,
      intervalS,
      via,
      username: values.username!,
      password,
      dwellS: Number(values.dwell),
      durationS: values.duration === undefined ? undefined : Number(values.duration),
      keepDevices: values['keep-devices'],
    },
    controller.signal,
  );
  console.log(JSON.stringify(report, null, 2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error((err as Error).message);
    process.exit(1);
  });
}
