/**
 * One effect that acts on several targets (every card of a request): each target is tried even
 * when an earlier one fails, the targets that succeeded are remembered under the effect's key, and
 * the effect then fails so the outbox retries it — the retry redoes only the failed targets.
 */
import { retryAfterOf } from '../outbox/backoff';
import type { Store } from '../ports';

export const PROGRESS_NAMESPACE = 'effect-progress';

export async function eachOnce<T>(
  store: Pick<Store, 'getDoc' | 'putDoc' | 'deleteDoc'>,
  key: string,
  items: readonly T[],
  idOf: (item: T) => string,
  act: (item: T) => Promise<void>,
): Promise<{ done: number; skipped: number }> {
  const done = new Set((await store.getDoc<string[]>(PROGRESS_NAMESPACE, key)) ?? []);
  const failures: { id: string; error: unknown }[] = [];
  let now = 0;
  for (const item of items) {
    const id = idOf(item);
    if (done.has(id)) continue;
    try {
      await act(item);
      done.add(id);
      now++;
    } catch (error) {
      failures.push({ id, error });
    }
  }
  if (failures.length > 0) {
    if (now > 0) await store.putDoc(PROGRESS_NAMESPACE, key, [...done]);
    throw combined(failures, items.length);
  }
  // Finished: nothing left to remember (a replay after this point redoes safe, idempotent work).
  if (done.size > now) await store.deleteDoc(PROGRESS_NAMESPACE, key);
  return { done: now, skipped: items.length - now };
}

/** One failure is rethrown as is (its code and Retry-After stay intact); several become one error. */
function combined(failures: { id: string; error: unknown }[], total: number): unknown {
  if (failures.length === 1) return failures[0].error;
  const text = failures.map((f) => `${f.id}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  const waits = failures.map((f) => retryAfterOf(f.error)).filter((v): v is number => v !== undefined);
  return Object.assign(new Error(`${failures.length} of ${total} failed: ${text}`), {
    ...(waits.length > 0 ? { retryAfterMs: Math.max(...waits) } : {}),
    cause: failures[0].error,
  });
}
