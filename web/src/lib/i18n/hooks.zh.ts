/** Alerts out of the building (webhooks) and the low-battery alert, in Simplified Chinese. */
export const hooksZh = {
  'alerts.kind.battery_low': '电量低',
  'hooks.batteryLowFor': '电量 {battery}，已 {d}',
};
