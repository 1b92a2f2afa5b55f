/**
 * Background work of a running bot: the outbox worker, following releases in Azure DevOps, and
 * the promotion clock (expiry, reminders). Each loop never overlaps itself, and stop() waits for
 * the run in flight so a shutdown never cuts an effect in half.
 */
import type { Logger } from '../core/ports';

export interface Loop {
  stop(): Promise<void>;
  /** Runs the loop now instead of waiting for the next period. */
  wake(): void;
}

export function every(name: string, periodMs: number, run: () => Promise<unknown>, log: Logger): Loop {
  let timer: NodeJS.Timeout | undefined;
  let inflight: Promise<void> | undefined;
  let stopped = false;
  let again = false;

  const fire = (): void => {
    if (stopped) return;
    if (inflight) { again = true; return; }
    if (timer) clearTimeout(timer);
    inflight = run()
      .then(() => undefined, (err: unknown) => log.warn({ loop: name, err: err instanceof Error ? err.message : String(err) }, 'background loop failed; will retry'))
      .finally(() => {
        inflight = undefined;
        if (stopped) return;
        if (again) { again = false; fire(); return; }
        timer = setTimeout(fire, periodMs);
        timer.unref();
      });
  };
  timer = setTimeout(fire, 0);
  timer.unref();

  return {
    wake: fire,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inflight;
    },
  };
}
