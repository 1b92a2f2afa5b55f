/**
 * Deployment freezes (DESIGN §9.5): the calendar windows of `freezes:` and the ad-hoc freezes set
 * with `freeze <env>`, which live in the store so they survive a restart and hold on every replica.
 * One ad-hoc freeze per environment: a new `freeze` replaces it, `unfreeze` lifts it.
 */
import type { Store } from '../ports';
import type { BotSettings } from '../settings';
import { nextWindow, windowAt } from './freeze-window';

export interface Freeze {
  /** Stable id of this occurrence: `calendar:<index>:<start>` or `adhoc:<env>:<start>`. */
  id: string;
  kind: 'calendar' | 'adhoc';
  env: string;
  reason: string;
  start: string; // ISO
  end: string; // ISO
  /** Who set an ad-hoc freeze. */
  by?: { id: string; name: string };
  /** `freezes[0]` for a calendar window. */
  source?: string;
}

export interface AdhocFreeze { env: string; reason: string; start: string; end: string; by: { id: string; name: string } }

export const ADHOC_NAMESPACE = 'freezes';

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export async function listAdhoc(store: Pick<Store, 'listDocs'>): Promise<AdhocFreeze[]> {
  return (await store.listDocs<AdhocFreeze>(ADHOC_NAMESPACE)).map((d) => d.value);
}

export function adhocFreeze(f: AdhocFreeze): Freeze {
  return { id: `adhoc:${f.env.toLowerCase()}:${f.start}`, kind: 'adhoc', env: f.env, reason: f.reason, start: f.start, end: f.end, by: f.by };
}

/** Every freeze in force at `now`, across environments (calendar windows expanded per environment). */
export function activeFreezes(settings: BotSettings, adhoc: readonly AdhocFreeze[], now: Date): Freeze[] {
  const out: Freeze[] = [];
  for (const w of settings.freezes ?? []) {
    const span = windowAt(w, now);
    if (!span) continue;
    for (const env of w.envs) {
      out.push({
        id: `calendar:${w.index}:${env.toLowerCase()}:${span.start.toISOString()}`, kind: 'calendar', env, reason: w.reason,
        start: span.start.toISOString(), end: span.end.toISOString(), source: `freezes[${w.index}]`,
      });
    }
  }
  for (const f of adhoc) {
    if (Date.parse(f.start) <= now.getTime() && now.getTime() < Date.parse(f.end)) out.push(adhocFreeze(f));
  }
  return out;
}

/** The freeze that holds `env` longest at `now`, if any: its end is when the environment thaws. */
export function freezeOf(settings: BotSettings, adhoc: readonly AdhocFreeze[], env: string, now: Date): Freeze | undefined {
  return activeFreezes(settings, adhoc, now)
    .filter((f) => same(f.env, env))
    .sort((a, b) => b.end.localeCompare(a.end))[0];
}

/** The next calendar window of each configured freeze that is not in force now, for the `freezes` list. */
export function upcomingFreezes(settings: BotSettings, now: Date): Freeze[] {
  const out: Freeze[] = [];
  for (const w of settings.freezes ?? []) {
    if (windowAt(w, now)) continue;
    const span = nextWindow(w, now);
    if (!span) continue;
    out.push({
      id: `calendar:${w.index}:*:${span.start.toISOString()}`, kind: 'calendar', env: w.envs.join(', '), reason: w.reason,
      start: span.start.toISOString(), end: span.end.toISOString(), source: `freezes[${w.index}]`,
    });
  }
  return out;
}

/** Reads the store once and answers for one environment. */
export async function currentFreeze(deps: { store: Pick<Store, 'listDocs'>; settings: BotSettings }, env: string, now: Date): Promise<Freeze | undefined> {
  if ((deps.settings.freezes ?? []).length === 0) {
    // The common case without calendar windows still honours ad-hoc freezes.
    const adhoc = await listAdhoc(deps.store);
    return adhoc.length === 0 ? undefined : freezeOf(deps.settings, adhoc, env, now);
  }
  return freezeOf(deps.settings, await listAdhoc(deps.store), env, now);
}
