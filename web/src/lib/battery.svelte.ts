/**
 * When a phone's battery shows as low: below the deployment's BATTERY_LOW_PERCENT (GET
 * /api/config), the threshold the low-battery alert uses, so a screen never calls a phone fine
 * that the alert panel calls low. 20 % (the server's default) until the server has said.
 */
import type { MapConfigResponse } from '@lianfang/server/api';
import { getJson } from './api';

const threshold = $state({ percent: 20, asked: false });

/** Records the server's threshold (from any answer of GET /api/config). */
export function setLowBattery(percent: number): void {
  threshold.percent = percent;
  threshold.asked = true;
}

/** Asks the server once per page, for screens that do not load the map's configuration. */
export function loadLowBattery(): void {
  if (threshold.asked) return;
  threshold.asked = true;
  getJson<MapConfigResponse>('/api/config').then(
    (config) => setLowBattery(config.batteryLowPercent),
    () => (threshold.asked = false),
  );
}

/** Reactive: a template calling it re-renders when the threshold arrives. */
export function isLowBattery(percent: number): boolean {
  return percent < threshold.percent;
}
