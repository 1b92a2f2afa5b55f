/** Rules per model (DESIGN §9.1): exact name or glob, first match wins, a rule overrides its environment. */
import { globMatches } from '../../src/core/policy/glob';
import { effectivePolicy, matchRule, releasesOfEnv } from '../../src/core/policy/model-policy';
import type { ModelRule } from '../../src/core/settings';
import { testSettings } from '../fakes/settings';

const vars = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const pipeline = { kind: 'pipeline' as const, pipeline: 'deploy-online-endpoint-pipeline', environment: 'prod', variables: vars };
const rules: ModelRule[] = [
  { match: 'taxi-fare-classifier', index: 0, guard: { metric: 'auc', goal: 'maximize', tolerance: 0.01 }, release: { prod: pipeline } },
  { match: 'taxi-*', index: 1, guard: { metric: 'rmse', goal: 'minimize', tolerance: 0.05 }, serving: { kind: 'online', endpoint: 'taxi-online' } },
  { match: 'churn-v?', index: 2, rollout: { steps: [10, 100], everyMs: 60_000, maxErrorRate: 0.01, maxLatencyIncrease: 0.2 } },
];
const settings = testSettings({ models: rules });
const env = (name: string) => settings.environments.find((e) => e.name === name)!;

describe('glob matching', () => {
  it.each([
    ['taxi-*', 'taxi-model', true], ['taxi-*', 'taxi-', true], ['taxi-*', 'TAXI-Model', true], ['taxi-*', 'my-taxi-model', false],
    ['churn-v?', 'churn-v2', true], ['churn-v?', 'churn-v10', false], ['a.b', 'a.b', true], ['a.b', 'axb', false],
    ['taxi-model', 'taxi-model', true], ['taxi-model', 'taxi-model-2', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(globMatches(pattern, name)).toBe(expected);
  });
});

describe('rule precedence', () => {
  it('first match wins: the exact classifier rule before the glob that also matches it', () => {
    expect(matchRule(rules, 'taxi-fare-classifier')?.index).toBe(0);
    expect(matchRule(rules, 'taxi-model')?.index).toBe(1);
    expect(matchRule([...rules].reverse(), 'taxi-fare-classifier')?.index).toBe(1);
    expect(matchRule(rules, 'nyc-demand-forecast')).toBeUndefined();
    expect(matchRule(undefined, 'taxi-model')).toBeUndefined();
  });

  it('a rule overrides what it sets and leaves the rest to the environment', () => {
    const clf = effectivePolicy(settings, 'taxi-fare-classifier', env('prod'));
    expect(clf).toMatchObject({ guard: { metric: 'auc' }, release: { kind: 'pipeline' }, sources: { guard: 'rule', release: 'rule', serving: 'none', rollout: 'none' } });
    // The classifier's rule sets no release for preprod: the environment's classic release stays.
    expect(effectivePolicy(settings, 'taxi-fare-classifier', env('preprod'))).toMatchObject({ release: { kind: 'classic', stage: 'preprod' }, sources: { release: 'environment' } });
    const taxi = effectivePolicy(settings, 'taxi-model', env('prod'));
    expect(taxi).toMatchObject({ guard: { metric: 'rmse', tolerance: 0.05 }, serving: { endpoint: 'taxi-online' }, sources: { guard: 'rule', release: 'environment', serving: 'rule' } });
    const other = effectivePolicy(settings, 'nyc-demand-forecast', env('prod'));
    expect(other.rule).toBeUndefined();
    expect(other).toMatchObject({ guard: { metric: 'rmse', tolerance: 0.02 }, sources: { guard: 'environment', serving: 'none' } });
    // A rule's guard applies where the environment has none (dev has no guard).
    expect(effectivePolicy(settings, 'taxi-model', env('dev')).guard?.metric).toBe('rmse');
    expect(effectivePolicy(settings, 'churn-v2', env('prod')).rollout?.steps).toEqual([10, 100]);
  });

  it('lists every release an environment can use, for following releases of all models', () => {
    expect(releasesOfEnv(settings, env('prod')).map((r) => r.kind)).toEqual(['classic', 'pipeline']);
    expect(releasesOfEnv(settings, env('preprod')).map((r) => r.kind)).toEqual(['classic']);
  });
});
