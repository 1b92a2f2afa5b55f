/**
 * A traffic change is checked before anyone is asked (DESIGN 9.4): whole percentages 0–100, each
 * deployment once and on the endpoint, live adds up to 100, mirror at most 50 and never to a
 * deployment taking live traffic; a mirror that a new live share ends is named.
 */
import { nextSplit, parseMirror, parsePairs, sameSplit, splitText } from '../../src/core/traffic/split';

const ex = 'traffic taxi-online prod blue=90 green=10';
const base = { endpoint: 'taxi-online', env: 'prod', deployments: ['blue', 'green', 'canary'], current: { traffic: { blue: 100, green: 0, canary: 0 }, mirror: {} } };

describe('reading pairs', () => {
  it('reads pairs given apart or with commas', () => {
    expect(parsePairs(['blue=90', 'green=10'], 'live', ex)).toEqual({ blue: 90, green: 10 });
    expect(parsePairs(['blue=90,green=10'], 'live', ex)).toEqual({ blue: 90, green: 10 });
    expect(parseMirror('green=10', ex)).toEqual({ green: 10 });
    expect(parseMirror('none', ex)).toEqual({});
  });

  it('does not read a mirror of bare commas as "none"', () => {
    expect(() => parseMirror(' , ', ex)).toThrow(expect.objectContaining({ code: 'usage', message: 'No deployment=percent pair was given for the mirror traffic.' }));
  });

  it.each([
    [['blue'], /not a deployment=percent pair/],
    [['blue=abc'], /whole number from 0 to 100/],
    [['blue=9.5'], /whole number from 0 to 100/],
    [['blue=-5'], /whole number from 0 to 100/],
    [['blue=101'], /whole number from 0 to 100/],
    [['blue=50', 'BLUE=50'], /named twice/],
    [[','], /No deployment=percent pair/],
  ])('refuses %j with a usage error', (words, message) => {
    expect(() => parsePairs(words, 'live', ex)).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringMatching(message) }));
  });
});

describe('the split after the change', () => {
  it('gives unnamed deployments 0% and keeps the names as the endpoint spells them', () => {
    const { after } = nextSplit({ ...base, live: { Blue: 90, green: 10 } });
    expect(after).toEqual({ traffic: { blue: 90, green: 10, canary: 0 }, mirror: {} });
  });

  it('refuses live traffic that does not add up to 100', () => {
    expect(() => nextSplit({ ...base, live: { blue: 80, green: 10 } })).toThrow(expect.objectContaining({ code: 'usage', message: 'Live traffic must add up to 100, not 90 (blue 80%, green 10%).' }));
  });

  it('refuses a deployment the endpoint does not have, listing the ones it has', () => {
    expect(() => nextSplit({ ...base, live: { blue: 50, red: 50 } })).toThrow(expect.objectContaining({ code: 'not_found', message: 'Online endpoint taxi-online in prod has no deployment red.', remedy: 'Its deployments: blue, green, canary.' }));
    expect(() => nextSplit({ ...base, mirror: { red: 10 } })).toThrow(expect.objectContaining({ code: 'not_found' }));
  });

  it('refuses a mirror over 50% in all, or to a deployment that takes live traffic', () => {
    expect(() => nextSplit({ ...base, mirror: { green: 30, canary: 25 } })).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringContaining('at most 50, not 55') }));
    expect(() => nextSplit({ ...base, mirror: { blue: 10 } })).toThrow(expect.objectContaining({ code: 'usage', message: expect.stringContaining('blue takes live traffic (100%)') }));
    expect(() => nextSplit({ ...base, live: { blue: 90, green: 10 }, mirror: { green: 10 } })).toThrow(expect.objectContaining({ message: expect.stringContaining('green takes live traffic (10%)') }));
  });

  it('a mirror alone keeps the live split; 50% exactly is allowed; none clears it', () => {
    expect(nextSplit({ ...base, mirror: { green: 25, canary: 25 } }).after).toEqual({ traffic: base.current.traffic, mirror: { green: 25, canary: 25 } });
    expect(nextSplit({ ...base, current: { ...base.current, mirror: { green: 10 } }, mirror: {} }).after.mirror).toEqual({});
  });

  it('keeps the mirror of a deployment that stays idle, and says when a new live share ends one', () => {
    const current = { traffic: { blue: 100, green: 0, canary: 0 }, mirror: { green: 10, canary: 5 } };
    const out = nextSplit({ ...base, current, live: { blue: 90, green: 10 } });
    expect(out.after.mirror).toEqual({ canary: 5 });
    expect(out.droppedMirror).toBe('the mirror to green ends: it now takes live traffic');
  });

  it('tells an unchanged split apart, whatever the 0% entries', () => {
    expect(sameSplit({ traffic: { blue: 100, green: 0 }, mirror: {} }, { traffic: { blue: 100 }, mirror: { green: 0 } })).toBe(true);
    expect(sameSplit({ traffic: { blue: 100 }, mirror: {} }, { traffic: { blue: 100 }, mirror: { green: 10 } })).toBe(false);
    expect(splitText({ traffic: { blue: 90, green: 10, canary: 0 }, mirror: { canary: 5 } })).toBe('blue 90%, green 10%; mirror canary 5%');
  });
});
