/** The rollback card's data, from the request alone: the same view for every card of the request. */
import type { CardMessage, RollbackView } from '../cards/views';
import { card } from '../cards/views';
import type { PromotionRequest } from '../promotion/types';
import { buildPromotionView, stateLabel } from '../promotion/view';
import { buildTrafficView } from '../traffic/view';

const pct = (n: number | undefined): string => `${n ?? 0}%`;

export function buildRollbackView(r: PromotionRequest): RollbackView {
  const plan = r.rollback!;
  // The promotion view already words states, approvals, outcomes and buttons; the rollback card reuses them.
  const base = buildPromotionView(r);
  const from = plan.fromVersion ? `v${plan.fromVersion} → ` : '';
  const path = plan.mode === 'traffic'
    ? `Traffic switch on online endpoint ${plan.endpoint}: 100% to deployment ${plan.deployment}, no pipeline`
    : `No deployment of v${r.version} is left on an endpoint: it is released again through ${r.targetEnv}'s release`;
  const deployments = [...new Set([...Object.keys(plan.trafficBefore ?? {}), ...Object.keys(plan.trafficAfter ?? {})])].sort();
  return {
    requestId: r.id,
    title: `Roll back ${r.model} in ${r.targetEnv}: ${from}v${r.version}`,
    stateLabel: stateLabel(r),
    tone: base.tone,
    facts: [
      ...base.facts.filter((f) => f.title !== 'Version'),
      { title: 'Back to', value: `v${r.version} (from ${plan.chosenFrom})` },
      { title: 'Guard', value: 'skipped (rollback)' },
      ...(plan.freezeNote ? [{ title: 'Freeze', value: plan.freezeNote }] : []),
    ],
    path,
    traffic: plan.mode === 'traffic' ? deployments.map((d) => ({
      deployment: d, version: plan.deploymentVersions?.[d] ? `v${plan.deploymentVersions[d]}` : '—',
      before: pct(plan.trafficBefore?.[d]), after: pct(plan.trafficAfter?.[d]),
    })) : [],
    actions: base.actions,
    outcome: outcome(r, base.outcome),
    links: base.links,
  };
}

function outcome(r: PromotionRequest, promotionWords: string): string {
  const plan = r.rollback!;
  const by = r.approvals.length > 0 ? `Approved by ${r.approvals.map((a) => a.name).join(', ')} — ` : '';
  if (plan.mode !== 'traffic') return promotionWords;
  if (r.state === 'approved') return `${by}switching traffic on ${plan.endpoint}`;
  if (r.state === 'succeeded') return `${by}traffic switched: ${plan.deployment} serves 100%; v${r.version} serves ${r.targetEnv}`;
  if (r.state === 'failed') return `${by}${r.failure ?? 'the traffic switch failed'}`;
  return promotionWords;
}

/** The card of any request: the rollback card for rollbacks and traffic changes, the promotion card otherwise. */
export function requestCard(r: PromotionRequest): CardMessage {
  if (r.traffic) return card('rollback', buildTrafficView(r));
  return r.rollback ? card('rollback', buildRollbackView(r)) : card('promotion', buildPromotionView(r));
}
