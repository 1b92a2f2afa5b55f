/**
 * Reading what serves with the endpoint names remembered in the store: the deployments of the
 * remembered endpoints are asked for before the endpoint lists have answered (one round instead of
 * two); a new endpoint is still read after the lists; an endpoint that is gone neither shows nor fails
 * the read. Rounds are told apart without timing: the endpoint lists wait for a gate the test opens.
 */
import type { Serving, Store } from '../../src/core/ports';
import { readServing } from '../../src/core/serving/read';
import type { BatchEndpointInfo, OnlineDeploymentInfo, OnlineEndpointInfo } from '../../src/core/serving/types';
import { memoryStore } from '../support/store';

function fakeServing(online: string[]) {
  const calls: string[] = [];
  let open!: () => void;
  let gate = new Promise<void>((r) => { open = r; });
  const endpoint = (name: string): OnlineEndpointInfo => ({ env: 'prod', name, traffic: { blue: 100 }, mirrorTraffic: {}, state: 'succeeded' });
  const deployment = (ep: string): OnlineDeploymentInfo => ({ env: 'prod', endpoint: ep, name: 'blue', state: 'succeeded', model: { name: 'm', version: ep.length.toString(), source: 'workspace', assetId: 'x' } });
  const serving: Serving = {
    async listOnlineEndpoints() { calls.push('list online'); await gate; return online.map(endpoint); },
    async listBatchEndpoints() { calls.push('list batch'); await gate; return [] as BatchEndpointInfo[]; },
    async getOnlineEndpoint() { throw new Error('not used'); },
    async listOnlineDeployments(_env, ep) {
      calls.push(`deployments ${ep}`);
      if (ep === 'gone') throw new Error('HTTP 500 on an endpoint deleted meanwhile');
      return [deployment(ep)];
    },
    async listBatchDeployments() { return []; },
    async setTraffic() { throw new Error('not used'); },
  };
  return {
    serving, calls,
    /** Calls made before the endpoint lists answered; then lets them answer. */
    release() { const before = [...calls]; open(); return before; },
    reset() { calls.length = 0; gate = new Promise<void>((r) => { open = r; }); },
  };
}

let store: Store;
beforeEach(async () => { store = await memoryStore(); });
afterEach(async () => { await store.close(); });

it('first read: the lists, then the deployments; the next read asks for both at once', async () => {
  const fake = fakeServing(['taxi-online', 'churn-online']);
  const first = readServing(fake.serving, ['prod'], { memory: store });
  await new Promise((r) => setImmediate(r));
  expect(fake.release()).toEqual(['list online', 'list batch']);
  expect((await first)[0]!.online.map((e) => e.deployments.length)).toEqual([1, 1]);

  fake.reset();
  const second = readServing(fake.serving, ['prod'], { memory: store });
  await new Promise((r) => setImmediate(r));
  expect(fake.release().sort()).toEqual(['deployments churn-online', 'deployments taxi-online', 'list batch', 'list online']);
  expect((await second)[0]).toMatchObject({ env: 'prod', online: [{ name: 'taxi-online', deployments: [{ endpoint: 'taxi-online' }] }, { name: 'churn-online', deployments: [{ endpoint: 'churn-online' }] }] });
  expect(fake.calls.filter((c) => c.startsWith('deployments'))).toHaveLength(2);
});

it('a new endpoint is read after the lists; one that is gone neither shows nor fails the read', async () => {
  await store.putDoc('serving-endpoints', 'prod', { online: ['gone', 'taxi-online'], batch: [] });
  const fake = fakeServing(['taxi-online', 'new-online']);
  const read = readServing(fake.serving, ['prod'], { memory: store });
  await new Promise((r) => setImmediate(r));
  expect(fake.release().sort()).toEqual(['deployments gone', 'deployments taxi-online', 'list batch', 'list online']);
  const [prod] = await read;
  expect(prod!.error).toBeUndefined();
  expect(prod!.online.map((e) => [e.name, e.deployments.length])).toEqual([['taxi-online', 1], ['new-online', 1]]);
  expect(await store.getDoc('serving-endpoints', 'prod')).toEqual({ online: ['new-online', 'taxi-online'], batch: [] });
});

it('without a memory the read is the two rounds it always was', async () => {
  const fake = fakeServing(['taxi-online']);
  const read = readServing(fake.serving, ['prod']);
  await new Promise((r) => setImmediate(r));
  expect(fake.release()).toEqual(['list online', 'list batch']);
  expect((await read)[0]!.online[0]!.deployments).toHaveLength(1);
});
