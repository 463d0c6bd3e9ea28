import { describe, expect, it } from 'vitest';
import { KNOT, parseOsmAndJson, parseOsmAndParams, parseOsmAndTime } from '../../../../server/src/tracking/osmand.ts';

const NOW = Date.UTC(2027, 1, 16, 12, 0, 0);
const ID = 'abcdefghijklmnopqrstuvwxyz';

describe(parseOsmAndTime.name, () => {
  it.each([
    ['1802779200', 1_802_779_200_000],
    ['1802779200000', 1_802_779_200_000],
    ['1802779200.5', 1_802_779_200_500],
    ['2027-02-16T12:00:00Z', NOW],
    ['2027-02-16T20:00:00+08:00', NOW],
    ['2027-02-16 12:00:00', NOW],
  ])('reads %s as Traccar does', (raw, ms) => {
    expect(parseOsmAndTime(raw)).toBe(ms);
  });

  it.each(['yesterday', '', '2027-02-16', '12:00', '0x1f'])('refuses %j', (raw) => {
    expect(() => parseOsmAndTime(raw)).toThrow(/timestamp|Unix/);
  });
});

describe(parseOsmAndParams.name, () => {
  it('converts speed from knots and reads bearing, accuracy, battery and the id alias', () => {
    const parsed = parseOsmAndParams({ deviceid: ID, lat: '33.85', lon: '118.62', timestamp: '1802779200', speed: '10', bearing: '90.5', accuracy: '6', batt: '80' }, NOW);
    expect(parsed).toEqual({ identifier: ID, deviceField: 'query.deviceid', fixes: [{ lon: 118.62, lat: 33.85, time: 1_802_779_200_000, speed: Math.round(10 * KNOT * 1000) / 1000, heading: 90.5, accuracy: 6, battery: 80 }] });
  });

  it('treats a negative batt as unknown and refuses one above 100, naming query.batt', () => {
    expect(parseOsmAndParams({ id: ID, lat: '33.85', lon: '118.62', batt: '-1' }, NOW)).toEqual({ identifier: ID, deviceField: 'query.id', fixes: [{ lon: 118.62, lat: 33.85, time: NOW }] });
    expect(parseOsmAndParams({ id: ID, lat: '33.85', lon: '118.62', batt: '380' }, NOW)).toMatchObject({ error: { status: 400, field: 'query.batt' } });
  });

  it('takes heading when there is no bearing, location=lat,lon, the server time when there is no timestamp, and flags valid=false', () => {
    const parsed = parseOsmAndParams({ id: ID, location: '33.85,118.62', heading: '45', valid: 'false' }, NOW);
    expect(parsed).toMatchObject({ fixes: [{ lon: 118.62, lat: 33.85, time: NOW, heading: 45, invalid: true }] });
  });

  it.each([
    [{ lat: '33.85', lon: '118.62' }, 'query.id'],
    [{ id: ID, lon: '118.62' }, 'query.lat'],
    [{ id: ID, lat: '33.85', lon: 'NaN' }, 'query.lon'],
    [{ id: ID, lat: '33.85', lon: 'Infinity' }, 'query.lon'],
    [{ id: ID, lat: '33.85', lon: '1e999' }, 'query.lon'],
    [{ id: ID, lat: ' ', lon: '118.62' }, 'query.lat'],
    [{ id: ID, lat: '33.85', lon: '118.62', speed: '-1' }, 'query.speed'],
    [{ id: ID, lat: '33.85', lon: '118.62', accuracy: 'good' }, 'query.accuracy'],
    [{ id: [ID, ID], lat: '33.85', lon: '118.62' }, 'query.id'],
    [{ id: ID, location: 'here', lon: '118.62' }, 'query.location'],
  ])('names the bad parameter of %j', (params, field) => {
    expect(parseOsmAndParams(params, NOW)).toMatchObject({ error: { status: 400, field } });
  });
});

describe(parseOsmAndJson.name, () => {
  const body = (coords: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ device_id: ID, location: { timestamp: '2027-02-16T12:00:00.000Z', coords, is_moving: true, battery: { level: 0.5 }, ...extra } });

  it('reads Traccar Client 9 (speed in m/s, battery level 0–1 as percent), treating -1 heading and speed as unknown', () => {
    expect(parseOsmAndJson(body({ latitude: 33.85, longitude: 118.62, accuracy: 5, speed: -1, heading: -1, altitude: 3 }))).toEqual({
      identifier: ID,
      deviceField: 'body.device_id',
      fixes: [{ lon: 118.62, lat: 33.85, time: NOW, accuracy: 5, battery: 50 }],
    });
    expect(parseOsmAndJson(body({ latitude: 33.85, longitude: 118.62 }, { battery: { level: -1 } }))).toMatchObject({ fixes: [{ lon: 118.62 }] });
    expect((parseOsmAndJson(body({ latitude: 33.85, longitude: 118.62 }, { battery: { level: -1 } })) as { fixes: object[] }).fixes[0]).not.toHaveProperty('battery');
    expect(parseOsmAndJson(body({ latitude: 33.85, longitude: 118.62 }, { battery: { level: 'full' } }))).toMatchObject({ error: { field: 'body.location.battery.level' } });
    expect(parseOsmAndJson(body({ latitude: 33.85, longitude: 118.62, speed: 1.5, heading: 10 }))).toMatchObject({ fixes: [{ speed: 1.5, heading: 10 }] });
  });

  it('reads a list of locations, and refuses more than 1,000 with 413', () => {
    const loc = { timestamp: '2027-02-16T12:00:00Z', coords: { latitude: 33.85, longitude: 118.62 } };
    expect(parseOsmAndJson({ device_id: ID, location: [loc, loc] })).toMatchObject({ fixes: [{}, {}] });
    expect(parseOsmAndJson({ device_id: ID, location: Array(1001).fill(loc) })).toMatchObject({ error: { status: 413, field: 'body.location' } });
    expect(parseOsmAndJson({ device_id: ID, location: [loc, { ...loc, coords: { latitude: 91, longitude: 1 } }] })).toMatchObject({ error: { field: 'body.location.1.coords.latitude' } });
  });

  it.each([
    [null, 'body'],
    [[], 'body'],
    [{ location: {} }, 'body.device_id'],
    [{ device_id: 12345, location: {} }, 'body.device_id'],
    [{ device_id: ID }, 'body.location'],
    [{ device_id: ID, location: { timestamp: 'x', coords: { latitude: 33.85, longitude: 118.62 } } }, 'body.location.timestamp'],
    [{ device_id: ID, location: { timestamp: '2027-02-16T12:00:00Z', coords: { latitude: '33.85', longitude: 118.62 } } }, 'body.location.coords.latitude'],
  ])('names the bad field of %j', (input, field) => {
    expect(parseOsmAndJson(input)).toMatchObject({ error: { status: 400, field } });
  });
});
