/** Sample data for the Store contract. */
import type { PromotionRequest } from '../../src/core/promotion/types';

export function makeRequest(over: Partial<PromotionRequest> = {}): PromotionRequest {
  return {
    id: 'PR-AAAAA', revision: 1, model: 'taxi-model', version: '3', sourceEnv: 'dev', targetEnv: 'prod',
    requester: { id: 'slack:U0REQ', name: 'Req' }, reason: 'better rmse', state: 'awaiting_approval', approvals: [],
    guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02, candidate: 0.41, baseline: 0.43, baselineVersion: '2', regression: -0.046, passed: true, reason: 'better' },
    minApprovals: 1, createdAt: '2026-11-02T09:00:00.000Z', updatedAt: '2026-11-02T09:00:00.000Z', remindersSent: 0,
    ...over,
  };
}
