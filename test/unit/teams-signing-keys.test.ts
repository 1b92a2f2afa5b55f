/**
 * The signing-key cache: a rotated key is picked up, forged key ids cost at most one fetch per
 * window, a failed fetch is remembered for a while and keys fetched before stay usable meanwhile.
 */
import { generateKeyPairSync } from 'node:crypto';
import { SigningKeys } from '../../src/adapters/teams/signing-keys';

const URL = 'https://login.botframework.com/v1/.well-known/keys';
const jwk = (kid: string) => ({ kty: 'RSA', use: 'sig', kid, ...generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }), endorsements: ['msteams'] });
const [A, B] = [jwk('A'), jwk('B')];

function rig() {
  const state = { now: 0, fetches: 0, published: [A] as unknown[], status: 200 };
  const fetchFn = (async () => {
    state.fetches++;
    return new Response(JSON.stringify({ keys: state.published }), { status: state.status, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const keys = new SigningKeys({ fetch: fetchFn, now: () => state.now, missRefetchMs: 300_000, failureTtlMs: 60_000, refreshMs: 86_400_000 });
  return { state, keys };
}

test('a known key is served from the cache; a rotated-in key is fetched once the miss window has passed', async () => {
  const { state, keys } = rig();
  expect((await keys.find(URL, 'A')).ok).toBe(true);
  expect((await keys.find(URL, 'A')).ok).toBe(true);
  expect(state.fetches).toBe(1);
  state.published = [A, B];
  expect(await keys.find(URL, 'B')).toEqual({ ok: false, reason: 'unknown_key' });
  expect(state.fetches).toBe(1);
  state.now += 300_000;
  expect((await keys.find(URL, 'B')).ok).toBe(true);
  expect(state.fetches).toBe(2);
});

test('concurrent lookups share one fetch; endorsements are kept', async () => {
  const { state, keys } = rig();
  const found = await Promise.all(Array.from({ length: 10 }, () => keys.find(URL, 'A')));
  expect(state.fetches).toBe(1);
  expect(found[0]).toMatchObject({ ok: true, key: { endorsements: ['msteams'] } });
});

test('a failed fetch is cached for its TTL; keys fetched before stay usable when a refresh fails', async () => {
  const { state, keys } = rig();
  state.status = 503;
  expect(await keys.find(URL, 'A')).toEqual({ ok: false, reason: 'keys_unavailable' });
  expect(await keys.find(URL, 'A')).toEqual({ ok: false, reason: 'keys_unavailable' });
  expect(state.fetches).toBe(1);
  state.now += 60_000;
  state.status = 200;
  expect((await keys.find(URL, 'A')).ok).toBe(true);
  expect(state.fetches).toBe(2);
  // A day later the keys are due for a refresh that fails: the cached key still answers.
  state.now += 86_400_000;
  state.status = 500;
  expect((await keys.find(URL, 'A')).ok).toBe(true);
  expect(state.fetches).toBe(3);
});

test('a document without usable keys counts as a failure', async () => {
  const { state, keys } = rig();
  state.published = [{ kty: 'EC', kid: 'A' }, { kty: 'RSA', kid: 'A' }, 'not a key'];
  expect(await keys.find(URL, 'A')).toEqual({ ok: false, reason: 'keys_unavailable' });
});
