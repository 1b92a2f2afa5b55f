/** The traffic change card's data, from the request alone (the rollback card's template: split before and after). */
import type { RollbackView } from '../cards/views';
import type { PromotionRequest } from '../promotion/types';
import { buildPromotionView, stateLabel } from '../promotion/view';
import { splitText } from './split';
import type { Split } from './types';

const share = (s: Split, d: string): string => {
  const live = `${s.traffic[d] ?? 0}%`;
  const mirror = s.mirror[d] ?? 0;
  return mirror > 0 ? `${live} · mirror ${mirror}%` : live;
};

export function buildTrafficView(r: PromotionRequest): RollbackView {
  const plan = r.traffic!;
  const base = buildPromotionView(r);
  const deployments = [...new Set([...Object.keys(plan.before.traffic), ...Object.keys(plan.after.traffic), ...Object.keys(plan.before.mirror), ...Object.keys(plan.after.mirror)])].sort();
  return {
    requestId: r.id,
    title: `Traffic on ${plan.endpoint} in ${r.targetEnv}: ${splitText(plan.after)}`,
    stateLabel: stateLabel(r),
    tone: base.tone,
    facts: [
      ...base.facts.filter((f) => f.title !== 'Version'),
      { title: 'Endpoint', value: `${plan.endpoint} (online, ${r.targetEnv})` },
      { title: 'Now', value: splitText(plan.before) },
      ...(plan.droppedMirror ? [{ title: 'Mirror', value: plan.droppedMirror }] : []),
    ],
    path: `Traffic change on online endpoint ${plan.endpoint}: one update of the endpoint, no pipeline`,
    traffic: deployments.map((d) => ({ deployment: d, version: plan.deploymentModels[d] ?? '—', before: share(plan.before, d), after: share(plan.after, d) })),
    actions: base.actions,
    outcome: outcome(r, base.outcome),
    links: base.links,
  };
}

function outcome(r: PromotionRequest, promotionWords: string): string {
  const plan = r.traffic!;
  const by = r.approvals.length > 0 ? `Approved by ${r.approvals.map((a) => a.name).join(', ')} — ` : '';
  if (r.state === 'approved' && !r.heldBy) return `${by}changing traffic on ${plan.endpoint}`;
  if (r.state === 'succeeded') return `${by}traffic changed: ${splitText(plan.after)}`;
  if (r.state === 'failed') return `${by}${r.failure ?? 'the traffic change failed'}`;
  return promotionWords;
}
