import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppServiceIdentityCredential } from '../../src/adapters/azure-identity/app-service-identity';
import { createAzureCredential, DEVOPS_AUDIENCE, scopeFor } from '../../src/adapters/azure-identity/credential';
import { createTlsMaterial, type TlsMaterial } from '../../src/emulator/tls';
import { FakeAzureServer } from '../support/fake-azure-server';

const TENANT = '72f988bf-0000-0000-0000-000000000001';
let tls: TlsMaterial;
let fake: FakeAzureServer;

beforeAll(async () => { tls = await createTlsMaterial(); });
afterEach(async () => { await fake?.close(); });

describe('scopeFor', () => {
  it('turns an audience into its .default scope', () => {
    expect(scopeFor('https://management.azure.com/')).toBe('https://management.azure.com/.default');
    expect(scopeFor(DEVOPS_AUDIENCE)).toBe('499b84ac-1321-427f-aa17-267ca6975798/.default');
  });
});

describe('createAzureCredential with a client secret', () => {
  it('gets a token from a private HTTPS authority without public instance discovery', async () => {
    fake = await FakeAzureServer.https(tls);
    const base = `${fake.url}/${TENANT}`;
    fake.on('GET', `/${TENANT}/v2.0/.well-known/openid-configuration`, { body: {
      token_endpoint: `${base}/oauth2/v2.0/token`, authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      issuer: `${base}/v2.0`, jwks_uri: `${base}/discovery/v2.0/keys`, end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    } });
    fake.on('POST', `/${TENANT}/oauth2/v2.0/token`, { body: { token_type: 'Bearer', expires_in: 3600, ext_expires_in: 3600, access_token: 'arm-token-1' } });

    const cred = createAzureCredential({ tenantId: TENANT, clientId: 'app-1', clientSecret: 's3cret', authorityHost: fake.url, ca: tls.ca });
    const token = await cred.getToken(scopeFor('https://management.azure.com'));

    expect(token?.token).toBe('arm-token-1');
    const post = fake.matching('POST', `/${TENANT}/oauth2/v2.0/token`)[0];
    const form = new URLSearchParams(post.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('app-1');
    expect(form.get('scope')).toContain('https://management.azure.com/.default');
    expect(fake.requests.every((r) => !r.path.includes('discovery/instance'))).toBe(true);
  });

  it('refuses a secret without tenant and client ids', () => {
    expect(() => createAzureCredential({ clientSecret: 'x' })).toThrow(/AZURE_TENANT_ID/);
  });
});

describe('App Service managed identity endpoint (values passed in, not read from the environment)', () => {
  it('asks the endpoint with the identity header for the resource, and caches the token', async () => {
    fake = await FakeAzureServer.http();
    const expiresOn = Math.floor(Date.now() / 1000) + 3600;
    fake.on('GET', '/msi/token', (req) => req.headers['x-identity-header'] === 'hdr-123'
      ? { body: { access_token: `tok-for-${req.query.get('resource')}`, expires_on: String(expiresOn), resource: req.query.get('resource'), token_type: 'Bearer' } }
      : { status: 401, body: { error: 'bad header' } });

    const cred = createAzureCredential({ identityEndpoint: `${fake.url}/msi/token`, identityHeader: 'hdr-123' });
    expect(cred).toBeInstanceOf(AppServiceIdentityCredential);
    const t1 = await cred.getToken('https://management.azure.com/.default');
    const t2 = await cred.getToken(['https://management.azure.com/.default']);

    expect(t1?.token).toBe('tok-for-https://management.azure.com');
    expect(t1?.expiresOnTimestamp).toBe(expiresOn * 1000);
    expect(t2?.token).toBe(t1?.token);
    const reqs = fake.matching('GET', '/msi/token');
    expect(reqs).toHaveLength(1);
    expect(reqs[0].query.get('api-version')).toBe('2019-08-01');
  });

  it('callers asking for the same resource at once share one request', async () => {
    fake = await FakeAzureServer.http();
    fake.on('GET', '/msi/token', (req) => ({ delayMs: 50, body: { access_token: `tok-for-${req.query.get('resource')}`, expires_on: String(Math.floor(Date.now() / 1000) + 3600) } }));
    const cred = createAzureCredential({ identityEndpoint: `${fake.url}/msi/token`, identityHeader: 'h' });
    const arm = 'https://management.azure.com/.default';
    const tokens = await Promise.all([cred.getToken(arm), cred.getToken(arm), cred.getToken('499b84ac-1321-427f-aa17-267ca6975798/.default'), cred.getToken(arm)]);
    expect(tokens.map((t) => t!.token)).toEqual(['tok-for-https://management.azure.com', 'tok-for-https://management.azure.com', 'tok-for-499b84ac-1321-427f-aa17-267ca6975798', 'tok-for-https://management.azure.com']);
    expect(fake.matching('GET', '/msi/token').map((r) => r.query.get('resource'))).toEqual(['https://management.azure.com', '499b84ac-1321-427f-aa17-267ca6975798']);
  });

  it('asks again on a fresh connection when the endpoint closed the connection before answering (it restarted)', async () => {
    let calls = 0;
    const server = createServer((req, res) => {
      calls += 1;
      if (calls === 1) { req.socket.destroy(); return; }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: 'tok-after-restart', expires_on: String(Math.floor(Date.now() / 1000) + 3600) }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const cred = new AppServiceIdentityCredential({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/msi/token`, header: 'h' });
      expect((await cred.getToken('https://management.azure.com/.default')).token).toBe('tok-after-restart');
      expect(calls).toBe(2);
    } finally {
      server.close();
    }
  });

  it('passes the user-assigned client id and reports a refusal without the secret header value', async () => {
    fake = await FakeAzureServer.http();
    fake.on('GET', '/msi/token', { status: 400, body: { error: 'unknown identity' } });
    const cred = createAzureCredential({ identityEndpoint: `${fake.url}/msi/token`, identityHeader: 'hdr-secret', clientId: 'uami-1' });
    const err = (await cred.getToken('https://graph.microsoft.com/.default').catch((e) => e)) as Error;
    expect(err.message).toContain('HTTP 400');
    expect(err.message).not.toContain('hdr-secret');
    expect(fake.requests[0].query.get('client_id')).toBe('uami-1');
  });
});
