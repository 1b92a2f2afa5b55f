import { BotError } from '../../src/core/errors';
import { backoffDelay, retryAfterOf } from '../../src/core/outbox/backoff';

describe('backoffDelay', () => {
  it('grows by the factor per attempt and stops at the cap', () => {
    const policy = { baseMs: 500, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(policy, a))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoffDelay({ baseMs: 100, maxMs: 1e9, factor: 3 }, 3)).toBe(900);
  });
});

describe('retryAfterOf', () => {
  it('reads retryAfterMs from the error or from BotError details', () => {
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: 1500 }))).toBe(1500);
    expect(retryAfterOf(new BotError('upstream_throttled', 'slow down', { details: { retryAfterMs: 0 } }))).toBe(0);
  });

  it('ignores values that are missing or unusable', () => {
    expect(retryAfterOf(new Error('x'))).toBeUndefined();
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: -1 }))).toBeUndefined();
    expect(retryAfterOf(Object.assign(new Error('x'), { retryAfterMs: '10' }))).toBeUndefined();
    expect(retryAfterOf('boom')).toBeUndefined();
  });
});
