/** Alerts out of the building (webhooks) and the low-battery alert, in English. */
import type { hooksZh } from './hooks.zh';

export const hooksEn = {
  'alerts.kind.battery_low': 'Battery low',
  'hooks.batteryLowFor': 'Battery {battery}, for {d}',
} satisfies Record<keyof typeof hooksZh, string>;
