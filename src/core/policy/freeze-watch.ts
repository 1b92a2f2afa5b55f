/**
 * Freeze starts and ends go to the audit trail and its channels (DESIGN §9.5): the promotion clock
 * compares the freezes in force with the ones it saw last time (kept in the store, so a restart
 * neither repeats nor forgets one). Each start and end is claimed once with `markSeen`, so two
 * replicas ticking together record it once.
 */
import { recordAudit } from '../audit/record';
import type { Clock, Store } from '../ports';
import type { BotSettings } from '../settings';
import { utcText } from './freeze-check';
import { activeFreezes, ADHOC_NAMESPACE, listAdhoc, type Freeze } from './freezes';

const WATCH_NAMESPACE = 'freeze-watch';

export interface FreezeWatchDeps { store: Store; settings: BotSettings; clock: Clock }

/** Records the freezes that started or ended since the last look; returns how many. */
export async function watchFreezes(deps: FreezeWatchDeps): Promise<number> {
  const { store, settings } = deps;
  const now = deps.clock.now();
  const adhoc = await listAdhoc(store);
  if ((settings.freezes ?? []).length === 0 && adhoc.length === 0 && (await store.listDocs(WATCH_NAMESPACE)).length === 0) return 0;
  const active = activeFreezes(settings, adhoc, now);
  const seen = await store.listDocs<Freeze>(WATCH_NAMESPACE);
  const ids = new Set(active.map((f) => f.id));
  let recorded = 0;
  for (const f of active) {
    if (seen.some((s) => s.key === f.id)) continue;
    if (await store.markSeen(`freeze:started:${f.id}`, now)) {
      await recordAudit(store, settings, [freezeAudit('freeze.started', f, `${f.env} frozen until ${utcText(f.end)}: ${f.reason}`)]);
      recorded++;
    }
    await store.putDoc(WATCH_NAMESPACE, f.id, f);
  }
  for (const { key, value } of seen) {
    if (ids.has(key)) continue;
    if (await store.markSeen(`freeze:ended:${key}`, now)) {
      await recordAudit(store, settings, [freezeAudit('freeze.ended', value, `${value.env} is no longer frozen (${value.reason})`)]);
      recorded++;
    }
    await store.deleteDoc(WATCH_NAMESPACE, key);
  }
  // Ad-hoc freezes that ran out are no longer needed.
  for (const f of adhoc) if (Date.parse(f.end) <= now.getTime()) await store.deleteDoc(ADHOC_NAMESPACE, f.env.toLowerCase());
  return recorded;
}

/** Marks a freeze's start or end as recorded by a person (`freeze`, `unfreeze`), so the watch does not repeat it. */
export async function claimFreezeEvent(store: Store, event: 'started' | 'ended', f: Freeze, now: Date): Promise<void> {
  await store.markSeen(`freeze:${event}:${f.id}`, now);
  if (event === 'started') await store.putDoc(WATCH_NAMESPACE, f.id, f);
  else await store.deleteDoc(WATCH_NAMESPACE, f.id);
}

export function freezeAudit(action: string, f: Freeze, summary: string, actor = 'system'): import('../audit/types').AuditDraft {
  return {
    action, actor, env: f.env,
    detail: { summary, freeze: f.id, kind: f.kind, reason: f.reason, start: f.start, end: f.end, ...(f.source ? { source: f.source } : {}) },
  };
}
