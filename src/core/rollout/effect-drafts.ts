/**
 * The effects of a rollout, each keyed so it happens once: a step's traffic change by rollout id and
 * step (and the retry a person asked for after it failed), putting the canary back to 0% by rollout
 * id, a card post per channel, a card update per revision. All of one rollout run in one lane, in
 * the order they were recorded.
 */
import type { EffectDraft } from '../outbox/types';
import type { Rollout } from './types';

export const ROLLOUT_TRAFFIC = 'rollout_traffic';
export const ROLLOUT_CARD = 'rollout_card';
export const ROLLOUT_NOTICE = 'rollout_notice';

export interface RolloutTrafficPayload {
  rolloutId: string;
  env: string;
  endpoint: string;
  traffic: Record<string, number>;
  purpose: 'step' | 'back';
  stepIndex: number;
  lane: string;
}
export interface RolloutCardPayload { rolloutId: string; channel?: string; lane: string }
export interface RolloutNoticePayload { rolloutId: string; channel: string; title: string; text: string; tone: 'good' | 'warning' | 'attention' }

const lane = (r: Rollout): string => `rollout:${r.id}`;
const asPayload = <T>(p: T): Record<string, unknown> => p as unknown as Record<string, unknown>;

/** The endpoint's split with the canary at `percent`: the baseline has the rest, others keep theirs. */
export function splitAt(r: Pick<Rollout, 'canary' | 'baseline' | 'others'>, percent: number): Record<string, number> {
  return { ...r.others, [r.baseline]: 100 - percent, [r.canary]: percent };
}

export function stepKey(r: Pick<Rollout, 'id' | 'stepIndex' | 'stepTries'>): string {
  return `rollout:${r.id}:step:${r.stepIndex}${r.stepTries > 0 ? `:retry${r.stepTries}` : ''}`;
}

export function stepTraffic(r: Rollout): EffectDraft {
  return {
    key: stepKey(r), kind: ROLLOUT_TRAFFIC,
    payload: asPayload<RolloutTrafficPayload>({ rolloutId: r.id, env: r.env, endpoint: r.endpoint, traffic: splitAt(r, r.steps[r.stepIndex]), purpose: 'step', stepIndex: r.stepIndex, lane: lane(r) }),
  };
}

export function backTraffic(r: Rollout, tries = 0): EffectDraft {
  return {
    key: `rollout:${r.id}:back${tries > 0 ? `:retry${tries}` : ''}`, kind: ROLLOUT_TRAFFIC,
    payload: asPayload<RolloutTrafficPayload>({ rolloutId: r.id, env: r.env, endpoint: r.endpoint, traffic: splitAt(r, 0), purpose: 'back', stepIndex: r.stepIndex, lane: lane(r) }),
  };
}

export function postCard(r: Rollout, channel: string): EffectDraft {
  return { key: `rollout:${r.id}:card:${channel}`, kind: ROLLOUT_CARD, payload: asPayload<RolloutCardPayload>({ rolloutId: r.id, channel, lane: lane(r) }) };
}

/** Renders the rollout as it is when the effect runs, so an older update never shows a stale state. */
export function updateCard(r: Rollout): EffectDraft {
  return { key: `rollout:${r.id}:card@${r.revision}`, kind: ROLLOUT_CARD, payload: asPayload<RolloutCardPayload>({ rolloutId: r.id, lane: lane(r) }) };
}

export function notices(r: Rollout, channels: readonly string[], text: string, tone: RolloutNoticePayload['tone']): EffectDraft[] {
  return [...new Set(channels)].map((channel) => ({
    key: `rollout:${r.id}:notice@${r.revision}:${channel}`, kind: ROLLOUT_NOTICE,
    payload: asPayload<RolloutNoticePayload>({ rolloutId: r.id, channel, title: `Rollout ${r.id}: ${r.model} v${r.version} in ${r.env}`, text, tone }),
  }));
}
