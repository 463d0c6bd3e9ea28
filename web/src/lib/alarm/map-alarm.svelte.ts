/**
 * The command map's side of the alarm: what sounds for this user (alarm.ts) kept live from the
 * alerts and incidents, the teams whose SOS nobody has acknowledged (ringed on the map), and the
 * map flown to each new SOS once (also one already open when the map loads). Create it while a
 * component initialises: it runs effects.
 */
import type { AlertView, Role, TeamView } from '@lianfang/server/api';
import type { Camera } from '../map/camera';
import { t } from '../i18n/index.svelte';
import { isOpenSos } from '../live/alerts';
import type { LiveAlerts } from '../live/alerts.svelte';
import type { LiveIncidents } from '../live/incidents.svelte';
import { alertPosition } from '../selection/focus';
import { alarmItems, type AlarmItem } from './alarm';
import { Alarm } from './alarm.svelte';

export interface MapAlarmDeps {
  alerts: LiveAlerts;
  incidents: LiveIncidents;
  team: (id: string) => TeamView | undefined;
  role: () => Role | undefined;
  /** "Township · grid" of an alert, for a notification's body. */
  placeOf: (alert: AlertView) => string;
  camera: () => Camera | null;
}

export class MapAlarm {
  readonly alarm = new Alarm();
  readonly #deps: MapAlarmDeps;
  readonly #flownTo = new Set<string>();

  /** What should be sounding now, most urgent first. */
  readonly items = $derived.by((): AlarmItem[] => {
    const { alerts, incidents, role } = this.#deps;
    return alerts.loaded || incidents.loaded ? alarmItems(alerts.sorted(), incidents.sorted(), role(), this.alarm.prefs) : [];
  });

  /** Teams with an SOS nobody has acknowledged: at their latest position, else where it was raised. */
  readonly sosMarks = $derived.by(() =>
    this.#deps.alerts
      .sorted()
      .filter(isOpenSos)
      .flatMap((alert) => {
        const at = alertPosition(alert, alert.teamId ? this.#deps.team(alert.teamId) : undefined, null);
        return at ? [{ id: alert.id, lon: at[0], lat: at[1] }] : [];
      }),
  );

  constructor(deps: MapAlarmDeps) {
    this.#deps = deps;
    $effect(() => this.alarm.update(this.items, (item) => this.#words(item)));
    $effect(() => {
      const camera = deps.camera();
      if (!camera) return;
      const next = this.sosMarks.find((mark) => !this.#flownTo.has(mark.id));
      if (!next) return;
      this.#flownTo.add(next.id);
      camera.flyTo([next.lon, next.lat]);
    });
  }

  #words(item: AlarmItem): { title: string; body: string } {
    if (item.incident) return { title: t('alarm.notify.help'), body: item.incident.address ?? item.incident.description };
    const alert = item.alert!;
    return { title: item.sound === 'sos' ? t('alarm.notify.sos', { team: alert.title }) : t('alarm.notify.escalation', { title: alert.title }), body: this.#deps.placeOf(alert) };
  }
}
