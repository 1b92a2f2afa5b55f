/**
 * The decision before each rollout step (DESIGN 9.4), threshold by threshold: canary error rate
 * (5xx / requests) ≤ maxErrorRate and canary p95 ≤ baseline p95 × (1 + maxLatencyIncrease);
 * missing figures never advance; a deployment gone stops the rollout.
 */
import type { DeploymentLiveFigures } from '../../src/core/ports';
import { decideCheck, type CheckInput } from '../../src/core/rollout/decide';

const thresholds = { maxErrorRate: 0.01, maxLatencyIncrease: 0.25 };
const fig = (deployment: string, requests: number | null, errors5xx: number | null, latencyP95Ms: number | null): DeploymentLiveFigures => ({ deployment, requests, errors5xx, latencyP95Ms });

function decide(canary: DeploymentLiveFigures | null, baseline: DeploymentLiveFigures | null, over: Partial<CheckInput> = {}) {
  return decideCheck({
    canary: 'green', baseline: 'blue', thresholds, deployments: ['blue', 'green'],
    figures: [canary, baseline].filter((f): f is DeploymentLiveFigures => f !== null), ...over,
  });
}

describe('rollout step decision', () => {
  it('goes on when both figures are within the thresholds, and keeps the figures it judged', () => {
    const d = decide(fig('green', 400, 2, 110), fig('blue', 3600, 10, 100));
    expect(d).toEqual({
      verdict: 'pass', reasons: [],
      canary: { requests: 400, errors5xx: 2, errorRate: 0.005, latencyP95Ms: 110 },
      baseline: { requests: 3600, errors5xx: 10, errorRate: 10 / 3600, latencyP95Ms: 100 },
    });
  });

  it('an error rate exactly at maxErrorRate still goes on; one request more in error breaks it, with the numbers', () => {
    expect(decide(fig('green', 1000, 10, 100), fig('blue', 9000, 0, 100)).verdict).toBe('pass');
    const d = decide(fig('green', 1000, 11, 100), fig('blue', 9000, 0, 100));
    expect(d.verdict).toBe('breach');
    expect(d.reasons).toEqual(['error rate of green 1.1% (11 of 1000 requests answered 5xx) is above the 1% allowed']);
  });

  it('a p95 exactly at baseline × (1 + maxLatencyIncrease) still goes on; above it breaks, saying the limit and the baseline', () => {
    expect(decide(fig('green', 500, 0, 125), fig('blue', 4500, 0, 100)).verdict).toBe('pass');
    const d = decide(fig('green', 500, 0, 126), fig('blue', 4500, 0, 100));
    expect(d.verdict).toBe('breach');
    expect(d.reasons).toEqual(['p95 latency of green 126 ms is above 125 ms (baseline blue 100 ms + 25%)']);
  });

  it('both thresholds broken: both are said', () => {
    const d = decide(fig('green', 200, 16, 300), fig('blue', 1800, 1, 120));
    expect(d.verdict).toBe('breach');
    expect(d.reasons).toEqual([
      'error rate of green 8% (16 of 200 requests answered 5xx) is above the 1% allowed',
      'p95 latency of green 300 ms is above 150 ms (baseline blue 120 ms + 25%)',
    ]);
  });

  it('thresholds of 0 allow no error and no slowdown at all', () => {
    const strict = { maxErrorRate: 0, maxLatencyIncrease: 0 };
    expect(decide(fig('green', 100, 0, 100), fig('blue', 900, 3, 100), { thresholds: strict }).verdict).toBe('pass');
    expect(decide(fig('green', 100, 1, 100), fig('blue', 900, 3, 100), { thresholds: strict }).verdict).toBe('breach');
    expect(decide(fig('green', 100, 0, 100.5), fig('blue', 900, 3, 100), { thresholds: strict }).verdict).toBe('breach');
  });

  describe('missing data never advances', () => {
    it('no figures of the canary at all', () => {
      const d = decide(null, fig('blue', 3600, 0, 100));
      expect(d).toMatchObject({ verdict: 'no_data', reasons: ['no requests of canary green were counted'] });
    });

    it('the canary served no request in the window', () => {
      expect(decide(fig('green', 0, 0, null), fig('blue', 3600, 0, 100))).toMatchObject({ verdict: 'no_data', reasons: ['no requests of canary green were counted'] });
    });

    it('requests but no 5xx count, or no p95', () => {
      expect(decide(fig('green', 300, null, 100), fig('blue', 3600, 0, 100))).toMatchObject({ verdict: 'no_data', reasons: ['no 5xx count of canary green'] });
      expect(decide(fig('green', 300, 0, null), fig('blue', 3600, 0, 100))).toMatchObject({ verdict: 'no_data', reasons: ['no p95 latency of canary green'] });
    });

    it('no baseline p95 to compare with', () => {
      expect(decide(fig('green', 300, 0, 100), fig('blue', null, null, null))).toMatchObject({ verdict: 'no_data', reasons: ['no p95 latency of baseline blue to compare with'] });
      expect(decide(fig('green', 300, 0, 100), null).verdict).toBe('no_data');
    });

    it('figures that are not numbers (negative, NaN, infinite) count as missing', () => {
      expect(decide(fig('green', -5, 0, 100), fig('blue', 100, 0, 100)).verdict).toBe('no_data');
      expect(decide(fig('green', 100, 0, Number.NaN), fig('blue', 100, 0, 100)).verdict).toBe('no_data');
      expect(decide(fig('green', 100, 0, 100), fig('blue', 100, 0, Number.POSITIVE_INFINITY)).verdict).toBe('no_data');
    });

    it('a breach on the figures there are decides even when others are missing', () => {
      const d = decide(fig('green', 100, 50, null), fig('blue', 900, 0, 100));
      expect(d.verdict).toBe('breach');
      expect(d.reasons).toEqual(['error rate of green 50% (50 of 100 requests answered 5xx) is above the 1% allowed']);
    });
  });

  describe('a deployment gone stops the rollout', () => {
    it('the canary was deleted from the endpoint', () => {
      expect(decide(fig('green', 100, 0, 100), fig('blue', 900, 0, 100), { deployments: ['blue'] })).toMatchObject({ verdict: 'gone', reasons: ['deployment green is gone from the endpoint'] });
    });

    it('the baseline was deleted from the endpoint', () => {
      expect(decide(fig('green', 100, 0, 100), null, { deployments: ['green'] })).toMatchObject({ verdict: 'gone', reasons: ['deployment blue is gone from the endpoint'] });
    });

    it('the endpoint itself is gone', () => {
      expect(decide(null, null, { deployments: null })).toMatchObject({ verdict: 'gone', reasons: ['the endpoint is gone'] });
    });

    it('names compare case-insensitively, as Azure names do', () => {
      expect(decide(fig('GREEN', 100, 0, 100), fig('Blue', 900, 0, 100), { deployments: ['Blue', 'Green'] }).verdict).toBe('pass');
    });
  });

  describe('traffic changed outside the rollout stops it', () => {
    it('the canary no longer has the share the rollout set (someone rolled back by hand)', () => {
      const d = decide(fig('green', 100, 0, 100), fig('blue', 900, 0, 100), { traffic: { now: { blue: 100, green: 0 }, canaryPercent: 10 } });
      expect(d).toMatchObject({ verdict: 'changed', reasons: ['the traffic was changed outside this rollout (now blue 100%, green 0%; the rollout set green to 10%)'] });
    });

    it('the split the rollout set goes on', () => {
      expect(decide(fig('green', 100, 0, 100), fig('blue', 900, 0, 100), { traffic: { now: { blue: 90, green: 10 }, canaryPercent: 10 } }).verdict).toBe('pass');
    });
  });
});
