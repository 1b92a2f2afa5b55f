import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, demoSettings, DEMO_SUBSCRIPTION_ID, parseBotSettings } from '../../src/config';

const SUB = '11111111-2222-3333-4444-555555555555';

function minimal(extra = ''): string {
  return `
devops: { project: mlops-v2 }
source: dev
environments:
  - name: dev
    workspace: { subscriptionId: "${SUB}", resourceGroup: rg-dev, name: mlw-dev }
  - name: prod
    workspace: { subscriptionId: "${SUB}", resourceGroup: rg-prod, name: mlw-prod }
    release: { kind: classic, definition: taxi-model-deploy, stage: prod }
    approval: { approvers: ["slack:U0AAA", "teams:aad-1"] }
${extra}`;
}

function issuesOf(yaml: string): string[] {
  try {
    parseBotSettings(yaml, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const err = e as ConfigError;
    expect(err.code).toBe('config_invalid');
    expect(err.message).toContain('test.yaml');
    return err.issues.map((i) => `${i.path}: ${i.problem}${i.fix ? ` Fix: ${i.fix}` : ''}`);
  }
  throw new Error('expected a ConfigError');
}

describe('parseBotSettings', () => {
  it('applies the documented defaults', () => {
    const s = parseBotSettings(minimal(), 'test.yaml');
    const prod = s.environments[1];
    expect(prod.approval).toEqual({
      approvers: ['slack:U0AAA', 'teams:aad-1'], minApprovals: 1, requesterCannotApprove: true,
      expiresAfterMs: 72 * 3600_000, remindEveryMs: 24 * 3600_000, enforcedBy: 'ado', asApprover: 'prefer-human',
    });
    expect(prod.release).toEqual({
      kind: 'classic', definition: 'taxi-model-deploy', stage: 'prod',
      variables: { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' },
    });
    expect(s.environments[0].channels).toEqual({ approvals: [], audit: [], notifications: [] });
    expect(s.promotionOrder).toEqual([]);
    expect(s.admins).toEqual([]);
  });

  it('reads pipeline releases, mapped variables, durations and normalises emails and groups', () => {
    const s = parseBotSettings(`
devops: { project: p }
source: dev
environments:
  - name: dev
    workspace: { subscriptionId: "${SUB.toUpperCase()}", resourceGroup: rg, name: ws }
    release: { kind: pipeline, pipeline: 17, environment: dev, variables: { modelName: MODEL } }
    approval: { approvers: ["Alice@Contoso.com", "group:0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0"], minApprovals: 3, expiresAfter: 1h30m, remindEvery: "0", enforcedBy: bot }
    channels: { approvals: ["teams:19:abc@thread.tacv2"], audit: "slack:C0AUDIT" }
admins: [cli:admin]
`, 'x');
    const dev = s.environments[0];
    expect(dev.workspace.subscriptionId).toBe(SUB);
    expect(dev.release).toEqual({ kind: 'pipeline', pipeline: '17', environment: 'dev', variables: { modelName: 'MODEL', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' } });
    expect(dev.approval).toMatchObject({ approvers: ['alice@contoso.com', 'group:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'], minApprovals: 3, expiresAfterMs: 90 * 60_000, remindEveryMs: 0, enforcedBy: 'bot' });
    expect(dev.channels).toEqual({ approvals: ['teams:19:abc@thread.tacv2'], audit: ['slack:C0AUDIT'], notifications: [] });
    expect(s.admins).toEqual(['cli:admin']);
  });

  it('names the field, the problem and the fix', () => {
    const issues = issuesOf(minimal().replace('approvers: ["slack:U0AAA", "teams:aad-1"]', 'approvers: ["slack:U0AAA", "teams:aad-1"], minApprovals: 3'));
    expect(issues).toEqual(['environments[1].approval.minApprovals: 3 is more than the 2 approvers listed. Fix: lower minApprovals or add approvers.']);
  });

  it('reads approval.rollback (DESIGN 9.3) and names a bad value with its fix', () => {
    const yaml = minimal().replace('approvers: ["slack:U0AAA", "teams:aad-1"]', 'approvers: ["slack:U0AAA", "teams:aad-1"], rollback: { minApprovals: 2, selfApprove: true }');
    expect(parseBotSettings(yaml, 'test.yaml').environments[1].approval?.rollback).toEqual({ minApprovals: 2, selfApprove: true });
    expect(parseBotSettings(minimal(), 'test.yaml').environments[1].approval?.rollback).toBeUndefined();
    const issues = issuesOf(minimal().replace('approvers: ["slack:U0AAA", "teams:aad-1"]', 'approvers: ["slack:U0AAA", "teams:aad-1"], rollback: { minApprovals: 3, selfApproval: yes }'));
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^environments\[1\]\.approval\.rollback/);
    expect(issues.join('\n')).toContain('environments[1].approval.rollback.minApprovals: 3 is more than the 2 approvers listed.');
  });

  it('reads approval.asApprover per environment and per model rule (DESIGN 9.6), naming a bad value with its key', () => {
    const yaml = minimal('models:\n  - match: "taxi-*"\n    approval: { asApprover: bot }\n').replace('approvers: ["slack:U0AAA", "teams:aad-1"]', 'approvers: ["slack:U0AAA", "teams:aad-1"], asApprover: human');
    const s = parseBotSettings(yaml, 'test.yaml');
    expect(s.environments[1].approval?.asApprover).toBe('human');
    expect(s.models?.[0].approval).toEqual({ asApprover: 'bot' });
    const issues = issuesOf(minimal('models:\n  - match: "taxi-*"\n    approval: { asApprover: people, minApprovals: 2 }\n').replace('approvers: ["slack:U0AAA", "teams:aad-1"]', 'approvers: ["slack:U0AAA", "teams:aad-1"], asApprover: humans'));
    expect(issues).toEqual([
      'environments[1].approval.asApprover: string "humans" is not one of human, prefer-human, bot. Fix: did you mean "human"?',
      'models[0] ("taxi-*").approval.minApprovals: is not a known setting. Fix: remove it; known settings here are asApprover.',
      'models[0] ("taxi-*").approval.asApprover: string "people" is not one of human, prefer-human, bot. Fix: use one of human, prefer-human, bot.',
    ]);
  });

  it('collects every problem at once', () => {
    const issues = issuesOf(`
devops: { projet: x }
source: staging
environments:
  - name: dev
    workspace: { subscriptionId: "<sub>", resourceGroup: rg, name: ws }
    channels: { approvals: ["#general"], notifications: ["slack:general"] }
  - name: Dev
    workspace: { subscriptionId: "${SUB}", resourceGroup: rg, name: ws }
    release: { kind: clasic, definition: d, stage: s }
    approval: { approvers: [U0AAA, "slack:U0AAA", "slack:U0AAA"], minApprovals: 0, expiresAfter: 3, remindEvery: 4d, enforcedBy: human }
    guard: { metric: rmse, goal: lower, tolerance: -1 }
promotionOrder: [dev, prd]
admins: ["group:not-a-guid"]
approvers: []
`);
    const text = issues.join('\n');
    expect(text).toContain('devops.projet: is not a known setting. Fix: did you mean "project"?');
    expect(text).toContain('devops.project: is required but missing.');
    expect(text).toContain('environments[0].workspace.subscriptionId: "<sub>" is not a subscription id');
    expect(text).toContain('environments[0].channels.approvals[0]: "#general" is not a platform-qualified channel id');
    expect(text).toContain('environments[0].channels.notifications[0]: "slack:general" is not a Slack channel id');
    expect(text).toContain('environments[1].release.kind: string "clasic" is not one of classic, pipeline. Fix: did you mean "classic"?');
    expect(text).toContain('environments[1].approval.approvers[0]: "U0AAA" is not a platform-qualified user id');
    expect(text).toContain('environments[1].approval.approvers[2]: "slack:U0AAA" is listed twice.');
    expect(text).toContain('environments[1].approval.minApprovals: number 0 must be a whole number of at least 1.');
    expect(text).toContain('environments[1].approval.expiresAfter: number 3 is not a duration.');
    expect(text).toContain('environments[1].approval.remindEvery: is not shorter than expiresAfter');
    expect(text).toContain('environments[1].approval.enforcedBy: string "human" is not one of ado, bot.');
    expect(text).toContain('environments[1].guard.goal: string "lower" is not one of minimize, maximize.');
    expect(text).toContain('environments[1].guard.tolerance: number -1 must be a number of at least 0.');
    expect(text).toContain('admins[0]: "group:not-a-guid" is not group:<Entra object id>.');
    expect(text).toContain('approvers: is not a known setting. Fix: remove it');
    expect(issues.length).toBeGreaterThanOrEqual(16);
  });

  it('checks names across the file once every environment parsed', () => {
    const issues = issuesOf(minimal('promotionOrder: [dev, prd, dev]\n').replace('source: dev', 'source: stage'));
    expect(issues).toEqual([
      'source: "stage" is not one of the environments (dev, prod). Fix: source must name an environment listed under environments.',
      'promotionOrder[1]: "prd" is not one of the environments (dev, prod). Fix: did you mean "prod"?',
      'promotionOrder[2]: "dev" appears twice. Fix: list each environment once.',
    ]);
  });

  it('reports duplicate environment names, case-insensitively', () => {
    const issues = issuesOf(minimal().replace('- name: prod', '- name: DEV').replace(/ *approval: .*\n/, ''));
    expect(issues).toEqual(['environments[1].name: "DEV" is already used by environments[0]. Fix: give every environment its own name.']);
  });

  it('refuses an ADO-enforced approval without a release, and misplaced release keys', () => {
    const issues = issuesOf(minimal().replace(/ *release: .*\n/, ''));
    expect(issues).toEqual(['environments[1].approval.enforcedBy: is ado (the default) but this environment has no release, so Azure DevOps has no gate to pause. Fix: add a release for this environment, or set approval.enforcedBy: bot.']);
    const misplaced = issuesOf(minimal().replace('stage: prod', 'stage: prod, pipeline: p'));
    expect(misplaced).toEqual(['environments[1].release.pipeline: does not apply to kind classic. Fix: remove it, or change kind.']);
  });

  it('a pipeline release may name the stage deploying to its environment; without it none is assumed', () => {
    const withStage = parseBotSettings(minimal().replace('kind: classic, definition: taxi-model-deploy, stage: prod', 'kind: pipeline, pipeline: deploy-model, environment: production, stage: DeployProd'), 'test.yaml');
    expect(withStage.environments[1].release).toEqual({ kind: 'pipeline', pipeline: 'deploy-model', environment: 'production', stage: 'DeployProd', variables: expect.any(Object) });
    const without = parseBotSettings(minimal().replace('kind: classic, definition: taxi-model-deploy, stage: prod', 'kind: pipeline, pipeline: deploy-model, environment: prod'), 'test.yaml');
    expect(without.environments[1].release).not.toHaveProperty('stage');
  });

  it('reports YAML syntax errors with their line, and empty files', () => {
    expect(issuesOf('devops:\n  project: a\n project: b\n')[0]).toMatch(/^line \d+, column \d+: /);
    expect(issuesOf('source: a\nsource: b\n')[0]).toMatch(/^line 2, column 1: .*unique/i);
    expect(issuesOf('')).toEqual(['(top level): the file is empty. Fix: start from mlops.config.example.yaml.']);
    expect(issuesOf('- a\n- b\n')[0]).toMatch(/^\(top level\): expected a mapping/);
  });
});

describe('shipped configs', () => {
  it('the example file is valid and says what it shows', () => {
    const text = readFileSync(join(__dirname, '../../mlops.config.example.yaml'), 'utf8');
    const s = parseBotSettings(text, 'mlops.config.example.yaml');
    expect(s.environments.map((e) => e.name)).toEqual(['dev', 'preprod', 'prod']);
    expect(s.environments[2].approval?.minApprovals).toBe(2);
    expect(s.promotionOrder).toEqual(['dev', 'preprod', 'prod']);
  });

  it('the built-in demo config passes the same validation', () => {
    const s = demoSettings();
    expect(s.devops.project).toBe('mlops-v2');
    expect(s.environments.map((e) => e.workspace)).toEqual(['dev', 'preprod', 'prod'].map((e) => ({
      subscriptionId: DEMO_SUBSCRIPTION_ID, resourceGroup: `rg-mlopsv2-0001${e}`, name: `mlw-mlopsv2-0001${e}`,
    })));
    const prod = s.environments.find((e) => e.name === 'prod');
    expect(prod?.approval?.approvers).toEqual(expect.arrayContaining(['cli:alice', 'slack:U0ALICE', 'teams:user-id-1']));
    expect(prod?.release).toMatchObject({ kind: 'classic', definition: 'taxi-model-deploy', stage: 'prod' });
    expect(prod?.guard).toEqual({ metric: 'rmse', goal: 'minimize', tolerance: 0.02 });
    expect(s.admins).toEqual(['cli:admin', 'slack:U0ADMIN', 'teams:user-id-1']);
    expect(demoSettings()).not.toBe(s);
  });
});
