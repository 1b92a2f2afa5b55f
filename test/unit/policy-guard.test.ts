import { evaluateGuard, relativeRegression } from '../../src/core/promotion/guard';

const rmse = { metric: 'rmse', goal: 'minimize' as const, tolerance: 0.02 };
const r2 = { metric: 'r2', goal: 'maximize' as const, tolerance: 0.02 };
const run = (version: string, metrics?: Record<string, number>) => ({ version, metrics });

describe('guard: relative tolerance', () => {
  it.each([
    // minimize: lower is better
    [rmse, 0.50, 0.50, true, 'no change'],
    [rmse, 0.45, 0.50, true, '10% better'],
    [rmse, 0.51, 0.50, true, '2% worse, within the 2% tolerance'],
    [rmse, 0.5101, 0.50, false, 'beyond the 2% tolerance'],
    [rmse, 0.60, 0.50, false, '20% worse, beyond the 2% tolerance'],
    // maximize: higher is better
    [r2, 0.90, 0.80, true, '12.5% better'],
    [r2, 0.784, 0.80, true, '2% worse, within'],
    [r2, 0.78, 0.80, false, '2.5% worse, beyond the 2% tolerance'],
  ])('%o candidate %d vs baseline %d → passed %s', (settings, c, b, passed, words) => {
    const g = evaluateGuard(settings, { candidate: run('5', { [settings.metric]: c }), baseline: run('4', { [settings.metric]: b }), targetEnv: 'prod' });
    expect(g).toMatchObject({ passed, candidate: c, baseline: b, baselineVersion: '4', metric: settings.metric, goal: settings.goal, tolerance: 0.02 });
    expect(g.reason).toContain(words);
    expect(g.reason).toContain('(v4 in prod)');
  });

  it('regression is positive when worse, in both directions', () => {
    expect(relativeRegression(0.55, 0.5, 'minimize')).toBeCloseTo(0.1);
    expect(relativeRegression(0.45, 0.5, 'minimize')).toBeCloseTo(-0.1);
    expect(relativeRegression(0.45, 0.5, 'maximize')).toBeCloseTo(0.1);
    expect(relativeRegression(-0.9, -1, 'maximize')).toBeCloseTo(-0.1);
  });

  it('a zero baseline compares by plain difference', () => {
    expect(relativeRegression(0.01, 0, 'minimize')).toBeCloseTo(0.01);
    expect(evaluateGuard(rmse, { candidate: run('5', { rmse: 0.5 }), baseline: run('4', { rmse: 0 }), targetEnv: 'prod' }).passed).toBe(false);
  });
});

describe('guard: missing metrics', () => {
  it('nothing in the target yet passes', () => {
    const g = evaluateGuard(rmse, { candidate: run('5', { rmse: 0.5 }), targetEnv: 'prod' });
    expect(g).toMatchObject({ passed: true, reason: 'nothing in prod yet', candidate: 0.5 });
    expect(g.baselineVersion).toBeUndefined();
  });

  it('a candidate without the metric fails with a clear reason', () => {
    const g = evaluateGuard(rmse, { candidate: run('5', { mae: 0.3 }), baseline: run('4', { rmse: 0.5 }), targetEnv: 'prod' });
    expect(g.passed).toBe(false);
    expect(g.reason).toBe('v5 has no rmse metric, so it cannot be compared with prod; log rmse in its training run');
    expect(g.baseline).toBe(0.5);
  });

  it('a candidate with no run metrics at all fails', () => {
    expect(evaluateGuard(rmse, { candidate: run('5'), targetEnv: 'prod' }).passed).toBe(false);
  });

  it('a baseline without the metric passes and says so', () => {
    const g = evaluateGuard(rmse, { candidate: run('5', { rmse: 0.5 }), baseline: run('4', {}), targetEnv: 'prod' });
    expect(g).toMatchObject({ passed: true, baselineVersion: '4', reason: 'v4 in prod has no rmse to compare with' });
  });
});
