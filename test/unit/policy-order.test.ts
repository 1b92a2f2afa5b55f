import { checkOrder, envsFromTags } from '../../src/core/promotion/order';

const order = ['dev', 'preprod', 'prod'];
const base = { model: 'taxi-model', version: '5', sourceEnv: 'dev' };

describe('promotion order', () => {
  it('prod requires preprod first', () => {
    const c = checkOrder(order, { ...base, targetEnv: 'prod', reached: new Set() });
    expect(c).toMatchObject({ allowed: false, requiredEnv: 'preprod' });
    expect(c.reason).toBe('taxi-model v5 has not been promoted to preprod yet (promotion order: dev → preprod → prod)');
  });

  it('prod is allowed once the version runs in preprod (case-insensitive)', () => {
    expect(checkOrder(order, { ...base, targetEnv: 'Prod', reached: new Set(['PreProd']) }).allowed).toBe(true);
  });

  it('the step right after the source is always allowed', () => {
    expect(checkOrder(order, { ...base, targetEnv: 'preprod', reached: new Set() }).allowed).toBe(true);
  });

  it('having reached prod elsewhere does not replace preprod', () => {
    expect(checkOrder(order, { ...base, targetEnv: 'prod', reached: new Set(['dev', 'staging']) }).allowed).toBe(false);
  });

  it('without an order, or for an environment outside it, any order is allowed', () => {
    expect(checkOrder([], { ...base, targetEnv: 'prod', reached: new Set() }).allowed).toBe(true);
    expect(checkOrder(order, { ...base, targetEnv: 'sandbox', reached: new Set() }).allowed).toBe(true);
  });

  it('reads the environments a version reached from its tags', () => {
    expect(envsFromTags({ 'mlops-env-preprod': '2026-10-01T00:00:00Z', owner: 'x', 'mlops-env-prod': 'y' })).toEqual(['preprod', 'prod']);
  });
});
