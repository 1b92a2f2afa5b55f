/** `freezes:` (DESIGN §9.5): recurring windows, each with its environments, cron start, duration, time zone and reason. */
import { isBotError } from '../core/errors';
import { parseCron } from '../core/schedules/cron';
import { canonicalZone } from '../core/schedules/zoned-time';
import type { FreezeWindow } from '../core/settings';
import type { IssueList } from './config-error';
import { Fields } from './yaml-fields';

const KEYS = ['envs', 'cron', 'duration', 'tz', 'reason'];
const WEEK = 7 * 86_400_000;

export function parseFreezes(
  items: { value: unknown; path: string }[], issues: IssueList, known: (name: string, path: string, what: string) => string | undefined,
): FreezeWindow[] {
  const out: FreezeWindow[] = [];
  items.forEach(({ value, path }, index) => {
    const f = Fields.of(value, path, issues, KEYS);
    if (!f) return;
    const envItems = f.list('envs', true) ?? [];
    const envs: string[] = [];
    for (const item of envItems) {
      if (typeof item.value !== 'string') {
        issues.add(item.path, `expected an environment name but found ${JSON.stringify(item.value)}.`, 'list environment names, e.g. envs: [prod].');
        continue;
      }
      const name = known(item.value.trim(), item.path, 'each freeze env');
      if (name && !envs.includes(name)) envs.push(name);
    }
    if (f.has('envs') && envItems.length === 0) issues.add(f.at('envs'), 'is empty, so the freeze stops nothing.', 'list the environments it freezes, e.g. envs: [prod].');
    const cron = f.str('cron', '"0 18 * * fri"');
    if (cron !== undefined) {
      try {
        parseCron(cron);
      } catch (e) {
        if (!isBotError(e)) throw e;
        issues.add(f.at('cron'), `"${cron}" is not a cron expression: ${e.message}`, e.remedy ?? 'write five fields: minute hour day-of-month month day-of-week.');
      }
    }
    const durationMs = f.has('duration') ? f.duration('duration', 0, false) : undefined;
    if (!f.has('duration')) issues.add(f.at('duration'), 'is required but missing.', 'add duration: 62h (how long each window lasts).');
    else if (durationMs !== undefined && durationMs > 5 * WEEK) {
      issues.add(f.at('duration'), 'is longer than 5 weeks.', 'use a shorter window; an environment that should stay closed needs no release instead.');
    }
    const tz = zone(f, issues);
    const reason = f.str('reason', '"weekend freeze"');
    if (cron === undefined || !durationMs || tz === undefined || reason === undefined || envs.length === 0 || issues.items.some((i) => i.path.startsWith(`${path}.cron`))) return;
    out.push({ index, envs, cron, durationMs, tz, reason });
  });
  return out;
}

function zone(f: Fields, issues: IssueList): string | undefined {
  const tz = f.str('tz', 'Europe/Paris', false) ?? 'UTC';
  try {
    return canonicalZone(tz);
  } catch {
    issues.add(f.at('tz'), `"${tz}" is not an IANA time zone.`, 'use a name such as Europe/Paris, America/New_York or UTC.');
    return undefined;
  }
}
