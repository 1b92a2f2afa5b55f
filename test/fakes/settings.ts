import type { BotSettings, EnvironmentSettings } from '../../src/core/settings';

const HOUR = 3_600_000;
const vars = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };

function env(name: string, extra: Partial<EnvironmentSettings> = {}): EnvironmentSettings {
  return {
    name,
    workspace: { subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: `rg-mlopsv2-0001${name}`, name: `mlw-mlopsv2-0001${name}` },
    release: { kind: 'classic', definition: 'taxi-model-deploy', stage: name, variables: vars },
    channels: { approvals: [], audit: [], notifications: [] },
    ...extra,
  };
}

/** The mlops-v2 story: dev → preprod → prod, prod gated by an approval and an rmse guard. */
export function testSettings(overrides: Partial<BotSettings> = {}): BotSettings {
  return {
    devops: { project: 'mlops-v2' },
    source: 'dev',
    environments: [
      env('dev'),
      env('preprod', { guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 } }),
      env('prod', {
        approval: {
          approvers: ['slack:U0ALICE', 'slack:U0BOB', 'carol@contoso.com', 'group:11111111-2222-3333-4444-555555555555'],
          minApprovals: 1, requesterCannotApprove: true, expiresAfterMs: 72 * HOUR, remindEveryMs: 24 * HOUR, enforcedBy: 'ado',
        },
        guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 },
        channels: { approvals: ['slack:C0APPROVE'], audit: ['slack:C0AUDIT'], notifications: ['slack:C0ALERTS'] },
      }),
    ],
    promotionOrder: ['dev', 'preprod', 'prod'],
    admins: ['slack:U0ADMIN'],
    ...overrides,
  };
}
