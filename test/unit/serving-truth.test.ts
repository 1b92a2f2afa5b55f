/**
 * Serving truth (DESIGN 9.2) as pure functions: model asset ids, the `serving` rule lookup, which
 * version serves (most traffic, then the batch default), the marked fallback and the
 * disagreement between the bot's history and Azure.
 */
import { parseModelAssetId } from '../../src/adapters/azure-ml';
import { buildEndpointsView } from '../../src/core/commands/endpoints';
import { mergeServed, servedLine } from '../../src/core/serving/placements';
import { servingFor } from '../../src/core/serving/rule';
import { primaryServed, servedVersions } from '../../src/core/serving/served';
import { servingTruth } from '../../src/core/serving/truth';
import type { EnvServing, OnlineDeploymentInfo } from '../../src/core/serving/types';
import { buildWhereisView } from '../../src/core/serving/whereis-view';
import { testSettings } from '../fakes/settings';

const WS = '/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev';

describe('model asset ids', () => {
  it.each([
    [`${WS}/models/taxi-model/versions/3`, { name: 'taxi-model', version: '3', source: 'workspace', container: 'mlw-dev' }],
    ['azureml://registries/shared/models/taxi-model/versions/7', { name: 'taxi-model', version: '7', source: 'registry', container: 'shared' }],
    ['/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/registries/shared/models/m/versions/2', { name: 'm', version: '2', source: 'registry' }],
    ['azureml://locations/eastus/workspaces/0000/models/taxi-model/versions/4', { name: 'taxi-model', version: '4', source: 'workspace' }],
    ['azureml:taxi-model:5', { name: 'taxi-model', version: '5', source: 'workspace' }],
  ])('reads %s', (id, expected) => {
    expect(parseModelAssetId(id)).toMatchObject({ ...expected, assetId: id });
  });

  it('does not guess at anything else', () => {
    for (const id of ['', 'string', 'azureml://datastores/x/paths/model/', `${WS}/models/taxi-model`]) expect(parseModelAssetId(id)).toBeUndefined();
  });
});

describe('the serving setting', () => {
  it('first matching model rule, else the environment’s own', () => {
    const base = testSettings();
    const settings = testSettings({
      models: [
        { match: 'taxi-fare-classifier', index: 0, serving: { kind: 'batch', endpoint: 'taxi-batch' } },
        { match: 'taxi-*', index: 1, serving: { kind: 'online', endpoint: 'taxi-online' } },
      ],
      environments: base.environments.map((e) => (e.name === 'prod' ? { ...e, serving: { kind: 'online' as const, endpoint: 'prod-default' } } : e)),
    });
    expect(servingFor(settings, 'taxi-fare-classifier', 'prod')).toEqual({ kind: 'batch', endpoint: 'taxi-batch' });
    expect(servingFor(settings, 'TAXI-model', 'preprod')).toEqual({ kind: 'online', endpoint: 'taxi-online' });
    expect(servingFor(settings, 'churn', 'prod')).toEqual({ kind: 'online', endpoint: 'prod-default' });
    expect(servingFor(settings, 'churn', 'preprod')).toBeUndefined();
    expect(servingFor(base, 'taxi-model', 'nowhere')).toBeUndefined();
  });
});

const dep = (name: string, version: string, model = 'taxi-model'): OnlineDeploymentInfo => ({
  env: 'prod', endpoint: 'taxi-online', name, state: 'succeeded', rawState: 'Succeeded', model: { name: model, version, source: 'workspace', assetId: `azureml:${model}:${version}` },
});

const prod: EnvServing = {
  env: 'prod',
  online: [{ env: 'prod', name: 'taxi-online', traffic: { blue: 10, green: 90 }, mirrorTraffic: { blue: 20 }, state: 'succeeded', rawState: 'Succeeded', deployments: [dep('blue', '5'), dep('green', '4')] }],
  batch: [{ env: 'prod', name: 'taxi-batch', defaultDeployment: 'dp', state: 'succeeded', deployments: [{ env: 'prod', endpoint: 'taxi-batch', name: 'dp', state: 'succeeded', model: { name: 'taxi-model', version: '3', source: 'workspace', assetId: 'azureml:taxi-model:3' } }] }],
};
const preprod: EnvServing = {
  env: 'preprod', online: [],
  batch: [{ env: 'preprod', name: 'b', defaultDeployment: 'dp', state: 'succeeded', deployments: [{ env: 'preprod', endpoint: 'b', name: 'dp', state: 'succeeded', model: { name: 'churn', version: '2', source: 'workspace', assetId: 'azureml:churn:2' } }] }],
};

describe('which version serves', () => {
  it('is the deployment with the most live traffic, else the batch default', () => {
    expect(primaryServed('taxi-model', prod)).toMatchObject({ kind: 'online', version: '4', traffic: 90 });
    expect(primaryServed('churn', preprod)).toMatchObject({ kind: 'batch', version: '2' });
    expect(servedVersions([prod, preprod])).toEqual(new Map([['taxi-model', new Map([['prod', '4']])], ['churn', new Map([['preprod', '2']])]]));
  });

  it('whereis lists every deployment with traffic and mirror, marks the fallback and says a disagreement', () => {
    const dev: EnvServing = { env: 'dev', online: [], batch: [], error: 'Azure refused listing online endpoints (HTTP 403).' };
    const truth = servingTruth('taxi-model', [dev, preprod, prod], new Map([['prod', '5'], ['preprod', '4']]), new Map([['dev', '6']]));
    const view = buildWhereisView('taxi-model', [dev, preprod, prod], truth);
    expect(view.rows.map((r) => [r.env, r.endpoint, r.deployment, r.version, r.traffic, r.mirror, r.state])).toEqual([
      ['dev', '—', '—', 'v6', '—', '—', 'from the mlops-env-dev tag (Azure could not be read)'],
      ['preprod', '—', '—', 'v4', '—', '—', 'from the request history (no endpoint serves it)'],
      ['prod', 'taxi-online (online)', 'green', 'v4', '90%', '—', 'Succeeded'],
      ['prod', 'taxi-online (online)', 'blue', 'v5', '10%', '20%', 'Succeeded'],
      ['prod', 'taxi-batch (batch)', 'dp (default)', 'v3', '—', '—', 'succeeded'],
    ]);
    expect(view.notes.map((n) => n.text)).toEqual([
      'dev: could not read its endpoints (Azure refused listing online endpoints (HTTP 403).).',
      "prod: the bot's request history says v5, Azure serves v4 — Azure is what serves.",
    ]);
    expect(truth.find((t) => t.env === 'dev')).toMatchObject({ version: '6', source: 'tag' });
  });

  it('lists for models: Azure first, the fallback starred, disagreements with the history said', () => {
    const merged = mergeServed(new Map([['prod', '4']]), new Map([['prod', '5'], ['preprod', '4']]), new Map([['dev', '6'], ['prod', '3']]));
    expect(servedLine(merged, ['dev', 'preprod', 'prod'])).toBe('dev v6* · preprod v4* · prod v4');
    expect(merged.disagreements).toEqual(["prod: the bot's history says v5, Azure serves v4"]);
  });

  it('endpoints lists every deployment with model, size, traffic, mirror and state, and a failing environment', () => {
    const view = buildEndpointsView([prod, { env: 'dev', online: [], batch: [], error: 'HTTP 403' }]);
    expect(view.rows[1]).toEqual({ env: 'prod', endpoint: 'taxi-online (online, Succeeded)', deployment: 'green', model: 'taxi-model v4', traffic: '90%', mirror: '—', state: 'Succeeded' });
    expect(view.rows[2]).toMatchObject({ deployment: 'dp (default)', model: 'taxi-model v3', traffic: '—' });
    expect(view.subtitle).toBe('1 online endpoint and 1 batch endpoint in prod, dev.');
    expect(view.notes).toEqual([{ text: 'dev: could not read its endpoints (HTTP 403).' }]);
  });
});
