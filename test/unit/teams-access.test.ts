/**
 * The Teams access rules on their own: when the endpoint may run anonymously, which connector URLs
 * the bot posts to, which activities pass the gate, and the proxy-header refusal.
 */
import { anonymousGuard, decideAccess, gateActivity, serviceUrlAllowed } from '../../src/adapters/teams';
import { tenantIdProblem } from '../../src/adapters/teams/access';
import { parseRuntimeEnv } from '../../src/config';

describe('decideAccess', () => {
  test.each([
    [{ appId: 'a', anonymous: false, appMode: 'configured' as const }, 'authenticated'],
    [{ appId: 'a', anonymous: false, appMode: 'demo' as const }, 'authenticated'],
    [{ anonymous: true, appMode: 'demo' as const }, 'anonymous'],
    [{ anonymous: true, appMode: 'configured' as const, local: true }, 'anonymous'],
    [{ anonymous: true, appMode: 'configured' as const }, 'off'],
    [{ anonymous: true }, 'off'], // no mode given counts as configured
    [{ appId: 'a', anonymous: true }, 'off'], // inconsistent: never anonymous by accident
  ])('%j → %s', (config, mode) => {
    expect(decideAccess(config).mode).toBe(mode);
  });

  test('off says which variables to set', () => {
    const off = decideAccess({ anonymous: true, appMode: 'configured' });
    expect(off).toMatchObject({ reason: expect.stringMatching(/MicrosoftAppId/), fix: expect.stringMatching(/MicrosoftAppPassword.*MicrosoftAppTenantId.*MLOPS_TEAMS_LOCAL=true/s) });
  });
});

describe('serviceUrlAllowed', () => {
  test.each([
    'https://smba.trafficmanager.net/teams/', 'https://smba.trafficmanager.net/amer/', 'https://SMBA.trafficmanager.net/apac/',
    'https://smba.infra.gcc.teams.microsoft.com/teams', 'https://smba.infra.gov.teams.microsoft.us/teams',
    'https://smba.infra.dod.teams.microsoft.us/teams', 'https://directline.botframework.com/',
  ])('authenticated allows %s', (url) => expect(serviceUrlAllowed(url, 'authenticated')).toBe(true));

  test.each([
    'http://smba.trafficmanager.net/teams/', 'https://smba.trafficmanager.net:8443/teams/', 'https://smba.trafficmanager.net./teams/',
    'https://smba.trafficmanager.net.evil.example/', 'https://evil.example/?x=smba.trafficmanager.net', 'https://smba.trafficmanager.net@evil.example/',
    'https://user:pw@smba.trafficmanager.net/', 'https://botframework.com.evil.example/', 'https://evilbotframework.com/',
    'https://teams.microsoft.com/', 'https://127.0.0.1/', 'http://localhost:56150/_connector', 'not a url', '', undefined, 42,
  ])('authenticated refuses %s', (url) => expect(serviceUrlAllowed(url, 'authenticated')).toBe(false));

  test.each(['http://127.0.0.1:56150/_connector', 'http://localhost:3978/', 'https://localhost/', 'http://[::1]:8080/'])(
    'anonymous allows %s', (url) => expect(serviceUrlAllowed(url, 'anonymous')).toBe(true));

  test.each([
    'https://smba.trafficmanager.net/teams/', 'http://127.0.0.2/', 'http://169.254.169.254/', 'http://10.0.0.1/',
    'http://localhost.evil.example/', 'http://127.0.0.1@evil.example/', 'ftp://127.0.0.1/', 'file:///etc/passwd', 'http://0.0.0.0/',
  ])('anonymous refuses %s', (url) => expect(serviceUrlAllowed(url, 'anonymous')).toBe(false));
});

describe('gateActivity', () => {
  const tenant = 'aaaaaaaa-0000-4000-8000-000000000001';
  const ok = { channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/teams/', conversation: { id: 'c', tenantId: tenant }, channelData: { tenant: { id: tenant } } };

  test('a Teams activity from an allowed connector passes, with or without the tenant rule', () => {
    expect(gateActivity(ok, { mode: 'authenticated' })).toBeNull();
    expect(gateActivity(ok, { mode: 'authenticated', tenantId: tenant.toUpperCase() })).toBeNull();
    // Only one of the two tenant fields is enough when it matches.
    expect(gateActivity({ ...ok, channelData: {} }, { mode: 'authenticated', tenantId: tenant })).toBeNull();
  });

  test.each([
    [{ ...ok, channelId: 'webchat' }, 'wrong_channel'],
    [{ ...ok, channelId: 'MSTEAMS' }, 'wrong_channel'],
    [{ ...ok, serviceUrl: 'https://evil.example/' }, 'service_url_not_allowed'],
    [{ ...ok, serviceUrl: undefined }, 'service_url_not_allowed'],
    [null, 'wrong_channel'],
  ])('%j is refused: %s', (activity, code) => {
    expect(gateActivity(activity, { mode: 'authenticated' })).toMatchObject({ status: 403, code });
  });

  test('the tenant rule refuses other, mixed and missing tenants', () => {
    const policy = { mode: 'authenticated' as const, tenantId: tenant };
    const other = 'bbbbbbbb-0000-4000-8000-000000000002';
    expect(gateActivity({ ...ok, conversation: { id: 'c', tenantId: other }, channelData: { tenant: { id: other } } }, policy)?.code).toBe('wrong_tenant');
    expect(gateActivity({ ...ok, channelData: { tenant: { id: other } } }, policy)?.code).toBe('wrong_tenant');
    expect(gateActivity({ ...ok, conversation: { id: 'c' }, channelData: {} }, policy)?.code).toBe('wrong_tenant');
  });

  test('refusal details carry the host only, never the whole URL', () => {
    const refusal = gateActivity({ ...ok, serviceUrl: 'https://evil.example/path?token=abc' }, { mode: 'authenticated' });
    expect(refusal?.details).toEqual({ serviceHost: 'evil.example' });
  });

  test('a tenant given by domain name is flagged: activities carry the GUID', () => {
    expect(tenantIdProblem('contoso.onmicrosoft.com')).toMatch(/Directory \(tenant\) ID/);
    expect(tenantIdProblem(tenant)).toBeNull();
    expect(tenantIdProblem(undefined)).toBeNull();
  });
});

describe('anonymousGuard', () => {
  const req = (remoteAddress: string, headers: Record<string, string> = {}) => ({ socket: { remoteAddress }, headers }) as never;

  test.each([['x-forwarded-for', '198.51.100.1'], ['forwarded', 'for=198.51.100.1'], ['x-real-ip', '198.51.100.1']])(
    'refuses a loopback request carrying %s', (header, value) => {
      expect(anonymousGuard(req('127.0.0.1', { [header]: value }), true)).toMatchObject({ status: 403, message: expect.stringMatching(/proxy/) });
    });

  test('lets a direct loopback request through, and does nothing in authenticated mode', () => {
    expect(anonymousGuard(req('127.0.0.1'), true)).toBeNull();
    expect(anonymousGuard(req('10.1.2.3', { 'x-forwarded-for': '1.2.3.4' }), false)).toBeNull();
  });
});

describe('MLOPS_TEAMS_LOCAL', () => {
  test('sets the local flag only without an app id, and rejects values that are not booleans', () => {
    expect(parseRuntimeEnv({ MLOPS_TEAMS_LOCAL: 'true' }).teams).toMatchObject({ anonymous: true, local: true });
    expect(parseRuntimeEnv({ MLOPS_TEAMS_LOCAL: '0' }).teams.local).toBeUndefined();
    expect(parseRuntimeEnv({}).teams.local).toBeUndefined();
    const withApp = parseRuntimeEnv({ MLOPS_TEAMS_LOCAL: '1', MicrosoftAppId: '11111111-2222-3333-4444-555555555555', MicrosoftAppPassword: 'x' });
    expect(withApp.teams).toMatchObject({ anonymous: false });
    expect(withApp.teams.local).toBeUndefined();
    expect(() => parseRuntimeEnv({ MLOPS_TEAMS_LOCAL: 'maybe' })).toThrow(/MLOPS_TEAMS_LOCAL/);
  });
});
