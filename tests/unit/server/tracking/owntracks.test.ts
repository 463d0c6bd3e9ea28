import { describe, expect, it } from 'vitest';
import { ownTracksIdentifier, parseOwnTracks } from '../../../../server/src/tracking/owntracks.ts';

describe(parseOwnTracks.name, () => {
  it('reads a location: tst in seconds, vel in km/h, cog, acc and batt', () => {
    expect(parseOwnTracks({ _type: 'location', lat: 33.85, lon: 118.62, tst: 1_802_779_200, vel: 36, cog: 270, acc: 15, batt: 50, tid: 'ZW' })).toEqual({
      kind: 'location',
      fix: { lon: 118.62, lat: 33.85, time: 1_802_779_200_000, speed: 10, heading: 270, accuracy: 15, battery: 50 },
    });
  });

  it('passes other message types through as carrying no position', () => {
    expect(parseOwnTracks({ _type: 'waypoints', waypoints: [] })).toEqual({ kind: 'other', type: 'waypoints' });
  });

  it.each([
    [{ lat: 1, lon: 1, tst: 1 }, 'body._type'],
    [{ _type: 'location', lon: 1, tst: 1 }, 'body.lat'],
    [{ _type: 'location', lat: 1, lon: 1, tst: 1.5 }, 'body.tst'],
    [{ _type: 'location', lat: 1, lon: 1, tst: 1, vel: '3' }, 'body.vel'],
    [{ _type: 'location', lat: 100, lon: 1, tst: 1 }, 'body.lat'],
    [{ _type: 'encrypted', data: '…' }, 'body._type'],
    ['location', 'body'],
  ])('names the bad field of %j', (input, field) => {
    expect(parseOwnTracks(input)).toMatchObject({ error: { field } });
  });
});

describe(ownTracksIdentifier.name, () => {
  it('prefers ?id=, then the HTTP Basic password', () => {
    expect(ownTracksIdentifier({ id: 'abc' }, undefined)).toEqual({ identifier: 'abc', field: 'query.id' });
    expect(ownTracksIdentifier({}, `Basic ${Buffer.from('zhang:wei:secret').toString('base64')}`)).toEqual({ identifier: 'wei:secret', field: 'headers.authorization' });
    expect(ownTracksIdentifier({}, `Basic ${Buffer.from('zhang').toString('base64')}`)).toBeUndefined();
    expect(ownTracksIdentifier({}, 'Bearer x')).toBeUndefined();
  });
});
