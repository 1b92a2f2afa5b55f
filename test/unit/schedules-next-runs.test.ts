import { nextRuns } from '../../src/core/schedules/next-runs';
import { formatRun } from '../../src/core/schedules/view';
import { canonicalZone, instantOf, localTime } from '../../src/core/schedules/zoned-time';

const iso = (ds: Date[]): string[] => ds.map((d) => d.toISOString());
const AMS = 'Europe/Amsterdam';

describe('zoned time', () => {
  it('reads the wall clock of a zone, with its DST offset', () => {
    expect(localTime(new Date('2026-07-01T10:00:00Z'), AMS)).toMatchObject({ hour: 12, minute: 0, weekday: 3 });
    expect(localTime(new Date('2026-12-01T10:00:00Z'), AMS)).toMatchObject({ hour: 11 });
    expect(localTime(new Date('2026-12-01T10:00:00Z'), 'Asia/Kolkata')).toMatchObject({ hour: 15, minute: 30 });
  });

  it('resolves a skipped local time past the gap and a repeated one to its first occurrence', () => {
    // 2026-03-29 02:30 does not exist in Amsterdam; 2026-10-25 02:30 happens twice.
    expect(instantOf(2026, 3, 29, 2, 30, AMS).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(instantOf(2026, 10, 25, 2, 30, AMS).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(instantOf(2026, 10, 25, 3, 30, AMS).toISOString()).toBe('2026-10-25T02:30:00.000Z');
  });

  it('canonicalises IANA names and rejects unknown ones', () => {
    expect(canonicalZone('europe/amsterdam')).toBe('Europe/Amsterdam');
    expect(() => canonicalZone('Mars/Olympus')).toThrow(/Unknown time zone 'Mars\/Olympus'/);
    expect(() => canonicalZone('')).toThrow(/Unknown time zone/);
  });
});

describe('nextRuns: cron', () => {
  it('gives the next three matches strictly after now', () => {
    const runs = nextRuns({ type: 'cron', expression: '*/15 * * * *' }, 'UTC', new Date('2026-11-02T09:15:00Z'));
    expect(iso(runs)).toEqual(['2026-11-02T09:30:00.000Z', '2026-11-02T09:45:00.000Z', '2026-11-02T10:00:00.000Z']);
  });

  it('keeps 02:30 local across the spring-forward change in Amsterdam', () => {
    const runs = nextRuns({ type: 'cron', expression: '30 2 * * *' }, AMS, new Date('2026-03-27T12:00:00Z'));
    // 28 Mar CET (+1), 29 Mar the skipped hour resolves to 03:30 CEST, 30 Mar CEST (+2).
    expect(iso(runs)).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('runs once on the fall-back day in Amsterdam', () => {
    const runs = nextRuns({ type: 'cron', expression: '30 2 * * *' }, AMS, new Date('2026-10-24T12:00:00Z'));
    expect(iso(runs)).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });

  it('requires both day fields to match, as NCrontab does', () => {
    const runs = nextRuns({ type: 'cron', expression: '0 12 13 * fri' }, 'UTC', new Date('2026-01-01T00:00:00Z'));
    expect(iso(runs)).toEqual(['2026-02-13T12:00:00.000Z', '2026-03-13T12:00:00.000Z', '2026-11-13T12:00:00.000Z']);
  });

  it('finds rare matches years ahead and nothing for impossible dates', () => {
    expect(iso(nextRuns({ type: 'cron', expression: '0 0 29 feb *' }, 'UTC', new Date('2026-03-01T00:00:00Z'), 1))).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(nextRuns({ type: 'cron', expression: '0 0 31 2 *' }, 'UTC', new Date('2026-03-01T00:00:00Z'))).toEqual([]);
  });
});

describe('nextRuns: recurrence', () => {
  const now = new Date('2026-11-02T09:00:20Z'); // a Monday, 10:00 in Amsterdam

  it('steps minutes and hours from the creation minute', () => {
    expect(iso(nextRuns({ type: 'recurrence', frequency: 'minute', interval: 15 }, 'UTC', now))).toEqual([
      '2026-11-02T09:01:00.000Z', '2026-11-02T09:16:00.000Z', '2026-11-02T09:31:00.000Z',
    ]);
    expect(iso(nextRuns({ type: 'recurrence', frequency: 'hour', interval: 6 }, AMS, now))).toEqual([
      '2026-11-02T09:01:00.000Z', '2026-11-02T15:01:00.000Z', '2026-11-02T21:01:00.000Z',
    ]);
  });

  it('runs daily at a local time, every other day, across the DST change', () => {
    const t = { type: 'recurrence' as const, frequency: 'day' as const, interval: 2, hours: [9], minutes: [0] };
    expect(iso(nextRuns(t, AMS, new Date('2026-03-27T12:00:00Z')))).toEqual([
      '2026-03-29T07:00:00.000Z', '2026-03-31T07:00:00.000Z', '2026-04-02T07:00:00.000Z',
    ]);
  });

  it('without --at, a daily schedule keeps the time of day it was created at', () => {
    expect(iso(nextRuns({ type: 'recurrence', frequency: 'day', interval: 1 }, AMS, now))).toEqual([
      '2026-11-02T09:01:00.000Z', '2026-11-03T09:01:00.000Z', '2026-11-04T09:01:00.000Z',
    ]);
  });

  it('runs on the chosen weekdays every other week', () => {
    const t = { type: 'recurrence' as const, frequency: 'week' as const, interval: 2, hours: [6], minutes: [0], weekDays: ['Monday', 'Thursday'] };
    expect(iso(nextRuns(t, AMS, now, 4))).toEqual([
      '2026-11-05T05:00:00.000Z', '2026-11-16T05:00:00.000Z', '2026-11-19T05:00:00.000Z', '2026-11-30T05:00:00.000Z',
    ]);
  });

  it('runs monthly on the creation day, skipping months too short for it', () => {
    const t = { type: 'recurrence' as const, frequency: 'month' as const, interval: 1, hours: [3], minutes: [0] };
    expect(iso(nextRuns(t, 'UTC', new Date('2026-12-31T12:00:00Z')))).toEqual([
      '2027-01-31T03:00:00.000Z', '2027-03-31T03:00:00.000Z', '2027-05-31T03:00:00.000Z',
    ]);
  });
});

describe('formatRun', () => {
  it('shows the local time with its zone and the UTC time', () => {
    expect(formatRun(new Date('2026-03-30T00:30:00Z'), AMS)).toBe('Mon 2026-03-30 02:30 Europe/Amsterdam (00:30 UTC)');
    expect(formatRun(new Date('2026-03-30T00:30:00Z'), 'UTC')).toBe('Mon 2026-03-30 00:30 UTC');
  });
});
