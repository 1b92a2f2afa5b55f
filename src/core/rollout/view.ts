/** The rollout card's data, from the rollout alone: every card of a rollout renders the same view. */
import type { ActionButton, Fact, RolloutView } from '../cards/views';
import { latencyLimit } from './decide';
import { intervalText, msText, pctText } from './figures-text';
import type { Rollout, RolloutCheck } from './types';

const hhmm = (iso: string | undefined, seconds = false): string => (iso ? `${iso.slice(11, seconds ? 19 : 16)} UTC` : '—');

export function buildRolloutView(r: Rollout): RolloutView {
  const last = r.checks.at(-1);
  return {
    rolloutId: r.id,
    title: `Rollout ${r.model} v${r.version} in ${r.env}`,
    stateLabel: stateLabel(r),
    tone: r.status === 'succeeded' ? 'good' : r.status === 'running' ? 'info' : r.status === 'paused' || r.status === 'aborted' ? 'warning' : 'attention',
    facts: facts(r),
    steps: r.steps.map((pct, i) => ({ step: `${i + 1}`, traffic: `${pct}%`, state: stepState(r, i) })),
    checkTitle: last ? `Last check ${hhmm(last.at, r.everyMs < 120_000)} at ${last.percent}%, over ${intervalText(Date.parse(last.at) - Date.parse(last.windowFrom))}` : '',
    check: last ? checkRows(r, last) : [],
    notice: notice(r),
    actions: actions(r),
    outcome: r.outcome ?? '',
    series: r.checks.map((c) => ({
      at: c.at, percent: c.percent, verdict: c.verdict,
      canaryErrorRate: c.canary.errorRate, baselineErrorRate: c.baseline.errorRate, canaryP95Ms: c.canary.latencyP95Ms, baselineP95Ms: c.baseline.latencyP95Ms,
    })),
  };
}

function stateLabel(r: Rollout): string {
  const now = r.phase === 'shifting' ? `moving to ${r.steps[r.stepIndex]}%` : `${r.steps[r.stepIndex]}% of traffic, next check ${hhmm(r.nextCheckAt, r.everyMs < 120_000)}`;
  switch (r.status) {
    case 'running': return `Running: ${now}`;
    case 'paused': return `Paused at ${r.phase === 'shifting' && r.stepIndex > 0 ? r.steps[r.stepIndex - 1] : r.phase === 'shifting' ? 0 : r.steps[r.stepIndex]}%`;
    case 'succeeded': return 'Done: 100% of traffic';
    case 'rolled_back': return 'Rolled back';
    case 'aborted': return 'Aborted';
    case 'failed': return 'Stopped';
  }
}

function facts(r: Rollout): Fact[] {
  return [
    { title: 'Endpoint', value: `${r.endpoint} (${r.env})` },
    { title: 'Canary', value: `${r.canary}: ${r.model} v${r.version}` },
    { title: 'Baseline', value: `${r.baseline}${r.baselineVersion ? `: ${r.model} v${r.baselineVersion}` : ''}` },
    { title: 'Checks', value: `every ${intervalText(r.everyMs)}; error rate ≤ ${pctText(r.thresholds.maxErrorRate)}, p95 ≤ baseline + ${pctText(r.thresholds.maxLatencyIncrease)} (${r.policySource})` },
    { title: 'Started by', value: `${r.requester.name}, ${r.createdAt.slice(0, 16).replace('T', ' ')} UTC` },
  ];
}

function stepState(r: Rollout, i: number): string {
  const ended = r.status !== 'running' && r.status !== 'paused';
  if (i < r.stepIndex) return 'done';
  if (i > r.stepIndex) return ended ? 'not done' : 'to come';
  if (r.phase === 'shifting') return ended ? 'not done' : r.status === 'paused' ? 'waiting' : 'moving';
  if (r.status === 'succeeded') return 'done';
  if (r.status === 'rolled_back') return 'rolled back here';
  return ended ? 'stopped here' : 'now';
}

function checkRows(r: Rollout, c: RolloutCheck): RolloutView['check'] {
  const t = r.thresholds;
  const errBroke = c.canary.errorRate !== null && c.canary.errorRate > t.maxErrorRate;
  const limit = c.baseline.latencyP95Ms !== null ? latencyLimit(c.baseline.latencyP95Ms, t) : null;
  const latBroke = limit !== null && c.canary.latencyP95Ms !== null && c.canary.latencyP95Ms > limit;
  const mark = (broke: boolean, has: boolean) => (!has ? 'no data' : broke ? 'over' : 'ok');
  return [
    { figure: 'Requests', canary: String(c.canary.requests ?? '—'), baseline: String(c.baseline.requests ?? '—'), limit: '', verdict: '' },
    { figure: 'Error rate (5xx)', canary: pctText(c.canary.errorRate), baseline: pctText(c.baseline.errorRate), limit: `≤ ${pctText(t.maxErrorRate)}`, verdict: mark(errBroke, c.canary.errorRate !== null) },
    { figure: 'p95 latency', canary: msText(c.canary.latencyP95Ms), baseline: msText(c.baseline.latencyP95Ms), limit: limit !== null ? `≤ ${msText(limit)}` : '—', verdict: mark(latBroke, limit !== null && c.canary.latencyP95Ms !== null) },
  ];
}

function notice(r: Rollout): string {
  if (r.back?.state === 'failed') return `Setting ${r.canary} back to 0% failed: ${r.back.error ?? ''} Abort again to retry.`;
  if (r.back?.state === 'pending') return `Setting ${r.canary} back to 0%…`;
  if (r.status === 'paused') return r.pauseReason ?? 'Paused.';
  const last = r.checks.at(-1);
  if (r.status === 'running' && r.note) return r.note;
  if (r.status === 'running' && last?.verdict === 'no_data') return `No figures to judge by yet (${last.reasons.join('; ')}); check ${r.emptyChecks} of 3 before it pauses.`;
  return '';
}

function actions(r: Rollout): ActionButton[] {
  const data = { rolloutId: r.id };
  if (r.status === 'running') return [{ verb: 'rollout-pause', title: 'Pause', data }, { verb: 'rollout-abort', title: 'Abort', data, style: 'destructive' }];
  if (r.status === 'paused') return [{ verb: 'rollout-resume', title: 'Resume', data, style: 'positive' }, { verb: 'rollout-abort', title: 'Abort', data, style: 'destructive' }];
  if (r.back?.state === 'failed') return [{ verb: 'rollout-abort', title: 'Set canary back to 0%', data, style: 'destructive' }];
  return [];
}
