/**
 * The bodies webhooks post, and their signature: `X-Lianfang-Signature: sha256=<hex HMAC-SHA256
 * of the exact body with the webhook's secret>`. WeCom and DingTalk group robots take markdown.
 */
import { createHmac } from 'node:crypto';
import type { AlertKind, AlertView } from '../alerts/schemas.ts';
import type { WebhookFormat } from './schemas.ts';

const KIND_ZH: Record<AlertKind, string> = {
  uncovered: '未覆盖',
  due_soon: '即将超时',
  team_offline: '队伍离线',
  team_outside: '越出网格',
  sos: '紧急求助',
  incident_late: '事件超时',
  battery_low: '电量低',
  order_unread: '指令未读',
  post_left: '离岗',
};
const EVENT_ZH: Record<string, string> = { raised: '新告警', escalated: '已升级', acknowledged: '已确认', resolved: '已解除', sent: '已派队', test: '测试' };

export function signature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function localTime(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}

/** The markdown line a group robot shows: level, kind, event, what, when, note. */
export function markdownOf(event: string, alert: AlertView, timeZone: string): { title: string; text: string } {
  const kind = KIND_ZH[alert.kind] ?? alert.kind;
  const title = `【${alert.level === 2 ? '二级' : '一级'}告警】${kind}·${EVENT_ZH[event] ?? event}`;
  const lines = [`### ${title}`, `> 对象：${alert.title}`, `> 时间：${localTime(alert.at, timeZone)}`];
  if (alert.note) lines.push(`> 备注：${alert.note}`);
  if (alert.acknowledged) lines.push(`> 确认：${alert.acknowledged.by}`);
  return { title, text: lines.join('\n') };
}

/** The body posted for an alert event, in the webhook's format. */
export function bodyOf(format: WebhookFormat, event: string, alert: AlertView, at: number, timeZone: string): string {
  if (format === 'json') return JSON.stringify({ event, at, alert });
  const { title, text } = markdownOf(event, alert, timeZone);
  if (format === 'wecom') return JSON.stringify({ msgtype: 'markdown', markdown: { content: text } });
  return JSON.stringify({ msgtype: 'markdown', markdown: { title, text } });
}

/**
 * A message that is not an alert (the daily briefing, 日报): a title, a few lines of text and a
 * link, built by its domain; posted to every enabled webhook, whatever kinds and level it chose.
 */
export interface WebhookMessage {
  /** The message kind, also the delivery's event and the X-Lianfang-Event header ('briefing'). */
  kind: 'briefing';
  title: string;
  lines: string[];
  link: string;
  /** Posted as is in the json format (the briefing itself). */
  data: unknown;
}

/** The body posted for a message, in the webhook's format. */
export function messageBodyOf(format: WebhookFormat, message: WebhookMessage, at: number): string {
  if (format === 'json') return JSON.stringify({ event: message.kind, at, title: message.title, text: message.lines.join('\n'), link: message.link, [message.kind]: message.data });
  const text = [`### ${message.title}`, ...message.lines.map((l) => `> ${l}`), `[${message.link}](${message.link})`].join('\n');
  if (format === 'wecom') return JSON.stringify({ msgtype: 'markdown', markdown: { content: text } });
  return JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text } });
}
