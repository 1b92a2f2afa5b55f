/**
 * The rollout timer (run on the leader, DESIGN 9.9): every rollout whose check is due reads the
 * endpoint, its deployments and the live figures of canary and baseline over the last interval in
 * one round of parallel calls, bounded in time, and the pure decision says what happens. A read
 * that fails or times out counts as a check with nothing to judge (bounded, then the rollout pauses
 * visibly). The transition is committed only on the revision that was read, so two replicas or two
 * passes never decide one step twice.
 */
import { mapLimit } from '../commands/map-limit';
import type { LiveMetrics, Serving } from '../ports';
import { checkFreeze } from '../policy/freeze-check';
import { currentFreeze } from '../policy/freezes';
import { decideCheck, toCheckFigures } from './decide';
import type { RolloutEngine } from './engine';
import { checked, type CheckRead } from './reduce-step';
import type { Rollout } from './types';

export interface RolloutDriverDeps {
  engine: RolloutEngine;
  serving?: Serving;
  liveMetrics?: LiveMetrics;
  /** Bound of one check's reads (default 30 s). */
  readTimeoutMs?: number;
}

/** Rollouts checked at once. */
const FAN_OUT = 4;
const PAGE = 200;

export async function checkDueRollouts(deps: RolloutDriverDeps): Promise<number> {
  const { engine } = deps;
  const now = engine.deps.clock.now().getTime();
  const { rollouts } = await engine.deps.store.listRollouts({ statuses: ['running'], limit: PAGE });
  const due = rollouts.filter((r) => r.phase === 'watching' && r.nextCheckAt !== undefined && Date.parse(r.nextCheckAt) <= now);
  const done = await mapLimit(due, FAN_OUT, async (r) => {
    try {
      const read = await readCheck(deps, r);
      return (await engine.apply(r.id, (cur, ctx) => (cur.revision === r.revision ? checked(cur, read, ctx) : null), 1)) ? 1 : 0;
    } catch (err) {
      engine.deps.log?.warn({ rolloutId: r.id, err: err instanceof Error ? err.message : String(err) }, 'rollout check not recorded; the next pass tries again');
      return 0;
    }
  });
  return done.reduce((a: number, b) => a + b, 0);
}

export async function readCheck(deps: RolloutDriverDeps, r: Rollout): Promise<CheckRead> {
  const { engine } = deps;
  const now = engine.deps.clock.now();
  const windowFrom = new Date(Math.max(Date.parse(r.stepAppliedAt ?? r.createdAt), now.getTime() - r.everyMs));
  try {
    if (!deps.serving || !deps.liveMetrics) throw new Error('live metrics are not set up in this installation');
    const { serving, liveMetrics } = deps;
    const [endpoint, deployments, figures, freeze] = await withTimeout(Promise.all([
      serving.getOnlineEndpoint(r.env, r.endpoint),
      serving.listOnlineDeployments(r.env, r.endpoint),
      liveMetrics.deploymentFigures(r.env, r.endpoint, { from: windowFrom, to: now }, [r.canary, r.baseline]),
      currentFreeze(engine.deps, r.env, now),
    ]), deps.readTimeoutMs ?? 30_000);
    const decision = decideCheck({
      canary: r.canary, baseline: r.baseline, thresholds: r.thresholds, figures,
      deployments: endpoint && deployments ? deployments.map((d) => d.name) : null,
      ...(endpoint ? { traffic: { now: endpoint.traffic, canaryPercent: r.steps[r.stepIndex] } } : {}),
    });
    const verdict = checkFreeze('rollout', freeze);
    return { ...decision, windowFrom, ...(verdict.allowed ? {} : { frozen: `Held: ${verdict.message}` }) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { verdict: 'no_data', canary: toCheckFigures(undefined), baseline: toCheckFigures(undefined), reasons: [`the live figures could not be read: ${message}`], windowFrom };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${Math.round(ms / 1000)} s`)), ms); });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
