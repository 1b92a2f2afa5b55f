/**
 * Which effects must run one after another. Effects in one lane keep the order they were claimed
 * in; different lanes run side by side, so one slow target (a channel, an Azure DevOps project)
 * holds only the work that needs it. A payload may name its lane; otherwise a post to a channel
 * queues behind that channel, and anything else about one request behind that request.
 */
import type { OutboxEffect } from './types';

export type LaneOf = (effect: OutboxEffect) => string;

export const defaultLaneOf: LaneOf = (effect) => {
  const p = effect.payload;
  if (typeof p.lane === 'string') return p.lane;
  if (typeof p.channel === 'string') return `chat:${p.channel}`;
  if (typeof p.requestId === 'string') return `request:${p.requestId}`;
  return `effect:${effect.key}`;
};
