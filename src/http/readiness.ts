/** A readiness check: true (or resolving true) when the dependency it watches is ready. */
export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'ok' | 'failing'>;
  failing: string[];
}

export const CHECK_TIMEOUT_MS = 3000;

/** Named checks run together for `/healthz`; a check that throws or hangs counts as failing. */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): () => void {
    if (this.checks.has(name)) throw new Error(`Readiness check "${name}" is already registered.`);
    this.checks.set(name, check);
    return () => void this.checks.delete(name);
  }

  async run(timeoutMs = CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
    const entries = [...this.checks.entries()];
    const results = await Promise.all(entries.map(([, check]) => runOne(check, timeoutMs)));
    const checks: Record<string, 'ok' | 'failing'> = {};
    const failing: string[] = [];
    entries.forEach(([name], i) => {
      checks[name] = results[i] ? 'ok' : 'failing';
      if (!results[i]) failing.push(name);
    });
    return { ready: failing.length === 0, checks, failing };
  }
}

async function runOne(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return (await Promise.race([Promise.resolve().then(check), timeout])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
