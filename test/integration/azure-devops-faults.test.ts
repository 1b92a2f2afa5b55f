import { DevOpsReleases } from '../../src/adapters/azure-devops';
import type { BotError } from '../../src/core/errors';
import type { EnvironmentSettings } from '../../src/core/settings';
import { CapturingLogger } from '../fakes/logger';
import { answerDevOpsDiscovery, exampleBody, FakeAzureServer, fixture } from '../support/fake-azure-server';

const ORG = '/fabrikam';
const P = `${ORG}/MyFirstProject/_apis/Release`;
const APPROVALS = `${ORG}/MyFirstProject/_apis/pipelines/approvals`;
const variables = { modelName: 'modelName', modelVersion: 'modelVersion', promotionRequestId: 'promotionRequestId' };
const env = (name: string, release: EnvironmentSettings['release']): EnvironmentSettings => ({
  name, workspace: { subscriptionId: 's', resourceGroup: 'rg', name: 'ws' }, release, channels: { approvals: [], audit: [], notifications: [] },
});
const environments = [
  env('prod', { kind: 'classic', definition: '1', stage: 'Dev', variables }),
  env('yaml', { kind: 'pipeline', pipeline: '4597', environment: 'prod', variables }),
];
const input = { env: 'prod', model: 'taxi-model', version: '7', requestId: 'req-42', description: 'promotion req-42' };
const REL = { kind: 'classic' as const, id: 14 };

let fake: FakeAzureServer;
let logger: CapturingLogger;

function releases(timeoutMs = 5000, maxRetryAfterMs = 5000) {
  return new DevOpsReleases({
    orgUrl: `${fake.url}${ORG}`, project: 'MyFirstProject', auth: { pat: 'very-secret-pat' }, environments, log: logger,
    retry: { maxRetries: 2, retryDelayMs: 5, maxRetryDelayMs: 20, maxRetryAfterMs }, timeoutMs,
  });
}

function release14() {
  const r = exampleBody('azure-devops/release-get.7.1.json');
  r.id = 14;
  return r;
}

beforeEach(async () => {
  fake = await FakeAzureServer.http();
  logger = new CapturingLogger();
  answerDevOpsDiscovery(fake, ORG);
  fake.on('GET', `${P}/approvals`, { body: { count: 0, value: [] } });
});
afterEach(async () => { await fake.close(); });

describe('Azure DevOps adapter faults', () => {
  it('waits out a 429 with Retry-After, then succeeds', async () => {
    fake.once('GET', `${P}/releases/14`, { status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow down' } });
    fake.on('GET', `${P}/releases/14`, { body: release14() });
    expect((await releases().status('prod', REL)).ref.id).toBe(14);
    expect(fake.matching('GET', `${P}/releases/14`)).toHaveLength(2);
  });

  it('fails as throttled without waiting for a Retry-After above the ceiling', async () => {
    fake.on('GET', `${P}/releases/14`, { status: 429, headers: { 'retry-after': '600' }, body: { message: 'later' } });
    await expect(releases(5000, 1000).status('prod', REL)).rejects.toMatchObject({ code: 'upstream_throttled' });
    expect(fake.matching('GET', `${P}/releases/14`)).toHaveLength(1);
  });

  it('retries a read on 500 a bounded number of times', async () => {
    fake.on('GET', `${P}/releases/14`, { status: 500, body: { message: 'boom' } });
    await expect(releases().status('prod', REL)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(fake.matching('GET', `${P}/releases/14`)).toHaveLength(3);
  });

  it('never retries a release creation that failed with 500 (it may have happened)', async () => {
    fake.on('GET', `${P}/releases`, { body: { count: 0, value: [] } });
    fake.on('POST', `${P}/releases`, { status: 500, body: { message: 'boom' } });
    await expect(releases().start(input)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(fake.matching('POST', `${P}/releases`)).toHaveLength(1);
  });

  it('bounds a slow answer with the timeout', async () => {
    fake.on('GET', `${P}/releases/14`, { delayMs: 3000, body: release14() });
    await expect(releases(200).status('prod', REL)).rejects.toMatchObject({ code: 'timeout' });
  });

  it('reports malformed JSON as upstream_invalid, not as a missing release', async () => {
    fake.on('GET', `${P}/releases/14`, { rawBody: '{"id": 14, "environments": [' });
    await expect(releases().status('prod', REL)).rejects.toMatchObject({ code: 'upstream_invalid' });
  });

  it('reports a release that does not exist as upstream_not_found', async () => {
    await expect(releases().status('prod', { kind: 'classic', id: 999 })).rejects.toMatchObject({ code: 'upstream_not_found' });
  });

  it('names the permissions to check on 401, and never logs the PAT', async () => {
    fake.on('GET', `${P}/releases/14`, { status: 401, body: { message: 'unauthorized' } });
    const err = (await releases().status('prod', REL).catch((e) => e)) as BotError;
    expect(err.code).toBe('upstream_auth');
    expect(err.remedy).toContain('PAT scopes');
    expect(err.remedy).toContain('MyFirstProject');
    expect(JSON.stringify({ m: err.message, r: err.remedy, d: err.details })).not.toContain('very-secret-pat');
    expect(logger.text()).not.toContain('very-secret-pat');
  });

  it('retries the approvals REST API on 429 and reports its malformed answers', async () => {
    fake.on('GET', `${ORG}/MyFirstProject/_apis/pipelines/4597/runs/5`, { body: { id: 5, state: 'inProgress' } });
    fake.on('GET', `${ORG}/MyFirstProject/_apis/build/builds/5/timeline`, { body: fixture('azure-devops/build-timeline-prod-waiting.CONSTRUCTED.json') });
    fake.once('GET', APPROVALS, { status: 429, headers: { 'retry-after': '0' }, body: { message: 'slow' } });
    fake.once('GET', APPROVALS, { rawBody: '<html>oops</html>' });
    await expect(releases().status('yaml', { kind: 'pipeline', id: 5 })).rejects.toMatchObject({ code: 'upstream_invalid' });
    expect(fake.matching('GET', APPROVALS)).toHaveLength(2);
  });

  it('refuses a reference of the wrong kind for the environment', async () => {
    await expect(releases().status('yaml', REL)).rejects.toMatchObject({ code: 'invalid_state' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('a pipeline approval decided while Azure DevOps answers 500 (issue 11, item 7)', () => {
  it('sends the PATCH once and reads the approval again: applied means done', async () => {
    const approval = exampleBody('azure-devops/pipelines-approval-get.7.1.json');
    const id = String(approval.id);
    const at = `${APPROVALS}/${id}`;
    let decided = false;
    fake.on('GET', at, () => ({ body: { ...approval, status: decided ? 'approved' : 'pending' } }));
    // Azure DevOps applies the decision, then answers 500; a second PATCH would be refused with 400.
    fake.on('PATCH', APPROVALS, () => {
      if (decided) return { status: 400, body: { message: `Approval ${id} is already approved.` } };
      decided = true;
      return { status: 500, body: { message: 'boom' } };
    });
    await releases().decide('yaml', { kind: 'pipeline', id: 5 }, id, 'approved', 'ok');
    expect(fake.matching('PATCH', APPROVALS)).toHaveLength(1);
  });
});
