/** `models:` and `freezes:` in the YAML: parsed into typed settings, or start-up stops with field, problem and fix. */
import { ConfigError, demoSettings, parseBotSettings } from '../../src/config';

const SUB = '11111111-2222-3333-4444-555555555555';
const base = (extra: string) => `
devops: { project: mlops-v2 }
source: dev
environments:
  - name: dev
    workspace: { subscriptionId: "${SUB}", resourceGroup: rg-dev, name: mlw-dev }
  - name: prod
    workspace: { subscriptionId: "${SUB}", resourceGroup: rg-prod, name: mlw-prod }
    release: { kind: classic, definition: taxi-model-deploy, stage: prod }
    guard: { metric: rmse, goal: minimize, tolerance: 0.02 }
${extra}`;

function issuesOf(yaml: string): string[] {
  try {
    parseBotSettings(yaml, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues.map((i) => `${i.path}: ${i.problem}${i.fix ? ` Fix: ${i.fix}` : ''}`);
  }
  throw new Error('expected a ConfigError');
}

describe('models: rules', () => {
  it('parses guard, per-environment release, serving and rollout into typed settings', () => {
    const s = parseBotSettings(base(`
models:
  - match: taxi-fare-classifier
    guard: { metric: auc, goal: maximize, tolerance: 0.01 }
    serving: { kind: batch, endpoint: taxi-batch }
    release: { prod: { kind: pipeline, pipeline: deploy-online-endpoint-pipeline, environment: prod } }
  - match: "taxi-*"
    rollout: { steps: [10, 50, 100], every: 15m, maxErrorRate: 0.01, maxLatencyIncrease: 0.25 }
`), 'test.yaml');
    expect(s.models).toEqual([
      {
        match: 'taxi-fare-classifier', index: 0,
        guard: { metric: 'auc', goal: 'maximize', tolerance: 0.01 },
        serving: { kind: 'batch', endpoint: 'taxi-batch' },
        release: { prod: { kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', variables: { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' } } },
      },
      { match: 'taxi-*', index: 1, rollout: { steps: [10, 50, 100], everyMs: 900_000, maxErrorRate: 0.01, maxLatencyIncrease: 0.25 } },
    ]);
  });

  it('names the rule and the field of every problem, with the fix', () => {
    expect(issuesOf(base(`
models:
  - match: "taxi-*"
    guard: { metric: auc, goal: maximise }
    release: { prood: { kind: pipeline, pipeline: p, environment: prod } }
    serving: { kind: streaming, endpoint: taxi-online }
    rollout: { steps: [50, 10], maxErrorRate: 2 }
  - match: "taxi-*"
    guard: { metric: rmse, goal: minimize, tolerance: 0.02 }
  - match: "nyc demand"
  - match: churn
    release: { kind: classic, definition: d, stage: prod }
`))).toEqual([
      'models[0] ("taxi-*").guard.goal: string "maximise" is not one of minimize, maximize. Fix: did you mean "maximize"?',
      'models[0] ("taxi-*").release.prood: "prood" is not one of the environments (dev, prod). Fix: did you mean "prod"?',
      'models[0] ("taxi-*").serving.kind: string "streaming" is not one of online, batch. Fix: use one of online, batch.',
      'models[0] ("taxi-*").rollout.steps: [50, 10] must rise step by step and end at 100. Fix: write them ascending and end with 100, e.g. steps: [10, 50, 100].',
      'models[0] ("taxi-*").rollout.maxErrorRate: 2 is more than 1 (100% errors). Fix: write a fraction: 0.01 allows 1% of requests to fail.',
      'models[1] ("taxi-*").match: "taxi-*" is already matched by models[0] ("taxi-*"), so this rule never applies. Fix: merge the two rules, or remove this one.',
      'models[2] ("nyc demand").match: "nyc demand" is not a model name or glob. Fix: use letters, digits, . _ - and the wildcards * and ?, e.g. "taxi-*".',
      'models[3] ("churn").release: is a single release, but a rule names the environment each release is for. Fix: write it per environment, e.g. release: { prod: { kind: classic, … } }.',
    ]);
  });

  it('refuses a rule that sets nothing, and a rule without match', () => {
    expect(issuesOf(base(`
models:
  - match: churn
  - guard: { metric: auc, goal: maximize, tolerance: 0 }
    matches: churn
`))).toEqual([
      'models[0] ("churn"): sets nothing, so it only hides the rules after it. Fix: add guard, release, serving, rollout or approval to it, or remove it.',
      'models[1].matches: is not a known setting. Fix: did you mean "match"? Rename it.',
      'models[1].match: is required but missing. Fix: add match: "taxi-*".',
    ]);
  });
});

describe('freezes:', () => {
  it('parses windows with their environments, cron, duration, time zone and reason', () => {
    const s = parseBotSettings(base(`
freezes:
  - { envs: [PROD], cron: "0 18 * * fri", duration: 62h, tz: europe/paris, reason: weekend freeze }
  - { envs: prod, cron: "0 0 24 12 *", duration: 3d, reason: holidays }
`), 'test.yaml');
    expect(s.freezes).toEqual([
      { index: 0, envs: ['prod'], cron: '0 18 * * fri', durationMs: 62 * 3_600_000, tz: 'Europe/Paris', reason: 'weekend freeze' },
      { index: 1, envs: ['prod'], cron: '0 0 24 12 *', durationMs: 3 * 86_400_000, tz: 'UTC', reason: 'holidays' },
    ]);
  });

  it('stops start-up with the field, the problem and the fix', () => {
    expect(issuesOf(base(`
freezes:
  - { envs: [prd], cron: "0 18 * * friday", duration: 62, tz: Mars/Olympus }
  - { envs: [], cron: "0 18 * * fri", duration: 6w, reason: too long }
`))).toEqual([
      'freezes[0].envs[0]: "prd" is not one of the environments (dev, prod). Fix: did you mean "prod"?',
      expect.stringMatching(/^freezes\[0\]\.cron: "0 18 \* \* friday" is not a cron expression: .+ Fix: /),
      'freezes[0].duration: number 62 is not a duration. Fix: write a number with a unit, such as 72h, 30m, 7d or 1h30m.',
      'freezes[0].tz: "Mars/Olympus" is not an IANA time zone. Fix: use a name such as Europe/Paris, America/New_York or UTC.',
      'freezes[0].reason: is required but missing. Fix: add reason: "weekend freeze".',
      'freezes[1].envs: is empty, so the freeze stops nothing. Fix: list the environments it freezes, e.g. envs: [prod].',
      'freezes[1].duration: is longer than 5 weeks. Fix: use a shorter window; an environment that should stay closed needs no release instead.',
    ]);
  });
});

describe('the demo config', () => {
  it('guards the classifier on auc and releases it to prod by the YAML pipeline, taxi models on rmse', () => {
    const s = demoSettings();
    expect(s.models?.map((r) => [r.match, r.guard?.metric, Object.keys(r.release ?? {})])).toEqual([
      ['taxi-fare-classifier', 'auc', ['prod']],
      ['taxi-*', 'rmse', []],
    ]);
    expect(s.models?.[0].release?.prod).toMatchObject({ kind: 'pipeline', pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod' });
  });
});
