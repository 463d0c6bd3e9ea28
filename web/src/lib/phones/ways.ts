/**
 * The ways a phone reports (巡逻页面, OsmAnd, Traccar Client, OwnTracks) and what each is set up
 * with, from the links the server returns once, when the phone is issued. Each carries the
 * device identifier: a credential shown to the issuing manager only.
 */
import type { DeviceLinks } from '@lianfang/server/api';
import type { MessageKey } from '../i18n/messages';

export type WayId = 'patrol' | 'osmand' | 'traccar' | 'owntracks';

export interface Way {
  id: WayId;
  name: MessageKey;
  hint: MessageKey;
  /** What the QR code encodes (and the copyable link). */
  qr: string;
  /** Values typed into the app instead of scanned (Traccar Client: server URL and identifier). */
  fields: { label: MessageKey; value: string; testid: string }[];
}

export function waysOf(links: DeviceLinks, identifier: string): Way[] {
  return [
    { id: 'patrol', name: 'phones.way.patrol', hint: 'phones.way.patrolHint', qr: links.patrol, fields: [] },
    { id: 'osmand', name: 'phones.way.osmand', hint: 'phones.way.osmandHint', qr: links.osmandTemplate, fields: [] },
    {
      id: 'traccar',
      name: 'phones.way.traccar',
      hint: 'phones.way.traccarHint',
      qr: links.osmandServer,
      fields: [
        { label: 'phones.serverUrl', value: links.osmandServer, testid: 'osmand-server' },
        { label: 'phones.identifier', value: identifier, testid: 'identifier' },
      ],
    },
    { id: 'owntracks', name: 'phones.way.owntracks', hint: 'phones.way.owntracksHint', qr: links.owntracks, fields: [] },
  ];
}
