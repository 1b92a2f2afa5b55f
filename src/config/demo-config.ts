import type { BotSettings } from '../core/settings';
import { validateBotSettings } from './settings-parser';

/**
 * The built-in config for the embedded default (DESIGN §7): it describes the mlops-v2 story the
 * local Azure emulator is seeded with, so `npm start` works with no file at all.
 */
export const DEMO_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000001';
export const DEMO_ORIGIN = 'the built-in demo config';
/**
 * "ML Leads" in the emulator's Entra directory (Adele, and Isaiah through a nested group): a prod
 * approver by group, so the demo shows group approval through Microsoft Graph.
 */
export const DEMO_APPROVER_GROUP = '00000000-0000-4000-8000-000000000041';

const workspace = (env: string) => ({
  subscriptionId: DEMO_SUBSCRIPTION_ID,
  resourceGroup: `rg-mlopsv2-0001${env}`,
  name: `mlw-mlopsv2-0001${env}`,
});

const release = (stage: string) => ({ kind: 'classic', definition: 'taxi-model-deploy', stage });

const channels = (env: string) => ({
  approvals: ['cli:approvals', 'teams:demo-approvals', 'slack:C0APPROVALS'],
  audit: ['cli:audit', 'teams:demo-audit', 'slack:C0AUDIT'],
  notifications: env === 'dev' ? ['cli:alerts'] : ['cli:alerts', 'teams:demo-alerts', 'slack:C0ALERTS'],
});

/** In the YAML data model, so it goes through exactly the validation a file does. */
export const DEMO_CONFIG_INPUT = {
  devops: { project: 'mlops-v2' },
  source: 'dev',
  environments: [
    { name: 'dev', workspace: workspace('dev'), release: release('dev'), channels: channels('dev') },
    {
      name: 'preprod', workspace: workspace('preprod'), release: release('preprod'),
      guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 },
      channels: channels('preprod'),
    },
    {
      name: 'prod', workspace: workspace('prod'), release: release('prod'),
      approval: {
        approvers: ['slack:U0ALICE', 'slack:U0BOB', 'teams:user-id-0', 'teams:user-id-1', 'teams:user-id-2', 'cli:alice', 'cli:bob', `group:${DEMO_APPROVER_GROUP}`],
        // Short enough to watch in a demo: a reminder after 10 minutes, the expiry after 30 (README).
        minApprovals: 1, requesterCannotApprove: true, expiresAfter: '30m', remindEvery: '10m', enforcedBy: 'ado',
        rollback: { minApprovals: 1, selfApprove: false },
      },
      guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 },
      channels: channels('prod'),
      schedulers: ['cli:alice', 'slack:U0ALICE'],
    },
  ],
  promotionOrder: ['dev', 'preprod', 'prod'],
  admins: ['cli:admin', 'slack:U0ADMIN', 'teams:user-id-1'],
  // Rules per model (first match wins), so the classifier comes before the taxi-* glob that also matches it.
  models: [
    {
      // Guarded on auc (its runs log accuracy, f1, auc; no rmse), and released to prod by the YAML
      // pipeline whose DeployProd stage waits at the prod environment's Approvals check.
      match: 'taxi-fare-classifier',
      guard: { metric: 'auc', goal: 'maximize', tolerance: 0.01 },
      release: { prod: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', stage: 'DeployProd' } },
      serving: { kind: 'batch', endpoint: 'taxi-batch' },
    },
    {
      match: 'taxi-*',
      guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.02 },
      // What the emulator's blue/green taxi-online endpoint serves (whereis, rollback, the guard's baseline).
      serving: { kind: 'online', endpoint: 'taxi-online' },
      rollout: { steps: [10, 50, 100], every: '15m', maxErrorRate: 0.01, maxLatencyIncrease: 0.25 },
    },
  ],
};

export function demoSettings(): BotSettings {
  return validateBotSettings(structuredClone(DEMO_CONFIG_INPUT), DEMO_ORIGIN);
}
