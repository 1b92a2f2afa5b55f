/** Calendar freeze windows (DESIGN §9.5): local cron starts, elapsed durations, across midnight and DST. */
import { checkFreeze } from '../../src/core/policy/freeze-check';
import { nextWindow, windowAt } from '../../src/core/policy/freeze-window';
import { activeFreezes, freezeOf } from '../../src/core/policy/freezes';
import type { FreezeWindow } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';

const H = 3_600_000;
const win = (cron: string, hours: number, tz: string, envs = ['prod']): FreezeWindow => ({ index: 0, envs, cron, durationMs: hours * H, tz, reason: 'test freeze' });
const at = (iso: string) => new Date(iso);
const span = (w: FreezeWindow, iso: string) => {
  const s = windowAt(w, at(iso));
  return s && [s.start.toISOString(), s.end.toISOString()];
};

describe('freeze windows', () => {
  it('cover midnight: 22:00 for 4h holds at 01:00 the next day and ends at 02:00', () => {
    const w = win('0 22 * * *', 4, 'UTC');
    expect(span(w, '2026-11-03T01:00:00Z')).toEqual(['2026-11-02T22:00:00.000Z', '2026-11-03T02:00:00.000Z']);
    expect(span(w, '2026-11-02T21:59:59Z')).toBeUndefined();
    expect(span(w, '2026-11-02T22:00:00Z')).toEqual(['2026-11-02T22:00:00.000Z', '2026-11-03T02:00:00.000Z']);
    // [start, end): at the end the window is over.
    expect(span(w, '2026-11-03T02:00:00Z')).toBeUndefined();
  });

  it('start on the local wall clock across the spring DST change (Europe/Paris, 29 March 2026)', () => {
    // Friday 27 March 18:00 CET = 17:00Z; 62 elapsed hours later is Monday 30 March 07:00Z = 09:00 CEST.
    const w = win('0 18 * * fri', 62, 'Europe/Paris');
    expect(span(w, '2026-03-29T12:00:00Z')).toEqual(['2026-03-27T17:00:00.000Z', '2026-03-30T07:00:00.000Z']);
    // The next Friday's start is at 18:00 local again, now 16:00Z.
    expect(nextWindow(w, at('2026-03-30T08:00:00Z'))?.start.toISOString()).toBe('2026-04-03T16:00:00.000Z');
  });

  it('start on the local wall clock across the autumn DST change (America/New_York, 1 November 2026)', () => {
    // Saturday 31 October 20:00 EDT = 1 November 00:00Z; 12h later = 1 November 12:00Z (07:00 EST).
    const w = win('0 20 * * sat', 12, 'America/New_York');
    expect(span(w, '2026-11-01T06:30:00Z')).toEqual(['2026-11-01T00:00:00.000Z', '2026-11-01T12:00:00.000Z']);
    expect(nextWindow(w, at('2026-11-01T13:00:00Z'))?.start.toISOString()).toBe('2026-11-08T01:00:00.000Z');
  });

  it('chains windows that overlap into one freeze', () => {
    // Every 6 hours for 8 hours: never a gap; the end reported is far ahead, not 8h after the last start.
    const w = win('0 */6 * * *', 8, 'UTC');
    const s = windowAt(w, at('2026-11-02T07:00:00Z'))!;
    expect(s.start.toISOString()).toBe('2026-11-02T06:00:00.000Z');
    expect(s.end.getTime() - s.start.getTime()).toBeGreaterThan(100 * H);
  });

  it('per environment: the freeze ending last is the one reported; other environments stay open', () => {
    const settings = testSettings({ freezes: [win('0 22 * * *', 4, 'UTC', ['prod', 'preprod']), { ...win('0 0 * * *', 10, 'UTC'), index: 1, reason: 'night batch' }] });
    const now = at('2026-11-03T01:00:00Z');
    expect(activeFreezes(settings, [], now).map((f) => `${f.env}:${f.end}`)).toEqual([
      'prod:2026-11-03T02:00:00.000Z', 'preprod:2026-11-03T02:00:00.000Z', 'prod:2026-11-03T10:00:00.000Z',
    ]);
    expect(freezeOf(settings, [], 'PROD', now)).toMatchObject({ reason: 'night batch', source: 'freezes[1]' });
    expect(freezeOf(settings, [], 'dev', now)).toBeUndefined();
    const adhoc = [{ env: 'dev', reason: 'incident', start: '2026-11-03T00:30:00.000Z', end: '2026-11-03T03:00:00.000Z', by: { id: 'slack:U0ADMIN', name: 'Ada' } }];
    expect(freezeOf(settings, adhoc, 'dev', now)).toMatchObject({ kind: 'adhoc', reason: 'incident' });
    expect(freezeOf(settings, adhoc, 'dev', at('2026-11-03T03:00:00Z'))).toBeUndefined();
  });
});

describe('what a freeze allows', () => {
  const freeze = { id: 'x', kind: 'calendar' as const, env: 'prod', reason: 'weekend freeze', start: '2026-11-06T17:00:00.000Z', end: '2026-11-09T07:00:00.000Z', source: 'freezes[0]' };
  it('refuses promotions, rollouts and traffic changes with the reason and the end', () => {
    expect(checkFreeze('promotion', freeze)).toEqual({
      allowed: false, freeze,
      message: 'Promotions to prod are frozen until 2026-11-09 07:00 UTC: weekend freeze (freezes[0]).',
      remedy: 'Wait until 2026-11-09 07:00 UTC, or, for an emergency, add --break-glass --reason "…" (one approval more). A rollback is allowed.',
    });
    expect(checkFreeze('rollout', freeze).allowed).toBe(false);
    expect(checkFreeze('traffic', freeze).allowed).toBe(false);
  });
  it('allows a rollback, and break glass, and anything without a freeze', () => {
    expect(checkFreeze('rollback', freeze)).toMatchObject({ allowed: true, note: 'prod is frozen until 2026-11-09 07:00 UTC: weekend freeze; a rollback is allowed during a freeze.' });
    expect(checkFreeze('promotion', freeze, { breakGlass: true }).allowed).toBe(true);
    expect(checkFreeze('promotion', undefined)).toEqual({ allowed: true });
  });
});
