/**
 * Versions the stored catalogue places below the newest page are read beside the page, not after
 * it: `promote --version` of an old version and `compare` of old versions ask for them before the
 * page has answered. Rounds are told apart without timing: the page waits for a gate the test opens.
 */
import { saveCatalogue } from '../../src/core/catalogue/model-catalogue';
import { olderThanPage } from '../../src/core/catalogue/page-reach';
import type { Store } from '../../src/core/ports';
import { planPromotion } from '../../src/core/promotion/plan';
import { FakeClock } from '../fakes/clock';
import { FakeRegistry } from '../fakes/registry';
import { testSettings } from '../fakes/settings';
import { memoryStore } from '../support/store';

let store: Store;
const clock = new FakeClock();
beforeEach(async () => {
  store = await memoryStore(clock);
  await saveCatalogue({ store, clock }, 'dev', [{ name: 'taxi-model', latestVersion: '30', tags: {} }]);
});
afterEach(async () => { await store.close(); });

function gatedRegistry() {
  const registry = new FakeRegistry();
  for (let v = 1; v <= 30; v++) registry.addVersion('dev', { name: 'taxi-model', version: String(v) }, { rmse: 1 - v / 100 });
  const calls: string[] = [];
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  const recent = registry.recentVersions.bind(registry);
  const get = registry.getVersion.bind(registry);
  registry.recentVersions = async (env, model, top) => { calls.push(`page ${top}`); await gate; return recent(env, model, top); };
  registry.getVersion = async (env, model, version) => { calls.push(`get ${version}`); return get(env, model, version); };
  return { registry, calls, release: () => { const before = [...calls]; open(); return before; } };
}

it('olderThanPage: numbered versions below the newest page by the catalogue; nothing when it cannot tell', async () => {
  expect(await olderThanPage(store, 'dev', 'taxi-model', ['3', '10', '11', '25', 'v2', undefined, '3'], 20)).toEqual(['3', '10']);
  expect(await olderThanPage(store, 'dev', 'other-model', ['3'], 20)).toEqual([]);
  expect(await olderThanPage(store, 'prod', 'taxi-model', ['3'], 20)).toEqual([]);
});

it('promote --version of a version below the newest page reads it beside the page', async () => {
  const { registry, release } = gatedRegistry();
  const settings = testSettings();
  const plan = planPromotion({ store, registry, settings, clock }, { model: 'taxi-model', env: settings.environments[1]!, version: '3' });
  await new Promise((r) => setImmediate(r));
  expect(release().sort()).toEqual(['get 3', 'page 20']);
  expect(await plan).toMatchObject({ model: 'taxi-model', version: '3', targetEnv: 'preprod' });
});

it('a version the catalogue places on the page is read after it only if the page lacks it', async () => {
  const { registry, calls, release } = gatedRegistry();
  const settings = testSettings();
  const plan = planPromotion({ store, registry, settings, clock }, { model: 'taxi-model', env: settings.environments[1]!, version: '15' });
  await new Promise((r) => setImmediate(r));
  expect(release()).toEqual(['page 20']);
  await plan;
  expect(calls).toEqual(['page 20']);
});
