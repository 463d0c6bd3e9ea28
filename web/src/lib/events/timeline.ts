/** One line of an event's timeline, worded (the command map's board and the wall's say the same). */
import type { EventBoard, TimelineEntry } from '@lianfang/server/api';
import { t } from '$lib/i18n/index.svelte';

export function timelineLine(e: TimelineEntry, board: EventBoard | null, callSign: (teamId: string) => string): string {
  const team = e.teamId ? callSign(e.teamId) : '';
  const postName = (id: string | null) => board?.posts.find((p) => p.id === id)?.name ?? id ?? '';
  switch (e.kind) {
    case 'staffing':
      return t(e.state === 'staffed' ? 'events.tl.staffed' : 'events.tl.short', { post: postName(e.postId), n: e.count ?? 0 });
    case 'checkin':
    case 'arrived':
    case 'left':
    case 'back':
      return t(`events.tl.${e.kind}`, { post: postName(e.postId), team });
    case 'incident':
      return t('events.tl.incident', { id: e.incidentId ?? '' });
    case 'alert': {
      const kind = board?.alerts.find((a) => a.id === e.alertId)?.kind;
      return t('events.tl.alert', { kind: kind ? t(`alerts.kind.${kind}`) : '', team });
    }
    default:
      return t(`events.tl.${e.kind}`, { by: e.by ?? '' });
  }
}
