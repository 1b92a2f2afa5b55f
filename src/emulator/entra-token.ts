/**
 * Entra's token endpoint, emulated (`POST /{tenant}/oauth2/v2.0/token`, a form): the
 * `authorization_code` grant checks the code (single use, 10 minutes, same client and redirect URI)
 * and the PKCE verifier against its S256 challenge; the `refresh_token` grant rotates the refresh
 * token (the one presented stops working). Tokens for a resource carry the user; an id token comes
 * when `openid` was asked for, a refresh token when `offline_access` was. Also the OpenID metadata
 * and the JWKS the id tokens verify against.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorContext } from './context';
import { knownTenant } from './entra-authorize';
import { oauthState, pruneOAuth, sha256, type OAuthClientRec } from './oauth-state';
import type { Ctx, Router } from './router';
import { isRecord, sendJson } from './router';
import { graphDirectoryState } from './seed-graph';
import { emulatorJwks, issueIdToken, issueUserAccessToken } from './user-tokens';

const REFRESH_LIFETIME_MS = 90 * 24 * 3600_000;
const GRAPH_RESOURCE = '00000003-0000-0000-c000-000000000000';

type Grant = { userId: string; clientId: string; scope: string; nonce?: string };

function entraError(ctx: Ctx, status: number, error: string, description: string): void {
  const codes = /^AADSTS(\d+)/.exec(description);
  sendJson(ctx.res, status, {
    error, error_description: description, error_codes: codes ? [Number(codes[1])] : [],
    timestamp: new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z'), trace_id: '', correlation_id: '',
  }, { 'cache-control': 'no-store' });
}

/** The resource of the first scope naming one (`<resource>/.default`, `<resource>/<scope>`), else Graph. */
export function resourceOf(scope: string): string {
  const named = scope.split(/\s+/).find((s) => s.includes('/'));
  return named ? named.slice(0, named.lastIndexOf('/')) : GRAPH_RESOURCE;
}

const base = (ctx: Ctx): string => `${ctx.secure ? 'https' : 'http'}://127.0.0.1:${ctx.port}`;

function redeemCode(emu: EmulatorContext, f: Record<string, string>, client: OAuthClientRec): Grant | string {
  if (!f['code'] || !f['redirect_uri']) return "AADSTS900144: The request body must contain the following parameters: 'code', 'redirect_uri'.";
  const key = sha256(f['code']);
  const rec = oauthState(emu).codes[key];
  // Single use: whatever happens next, this code is spent.
  delete oauthState(emu).codes[key];
  if (!rec || rec.expiresAt < emu.clock.now().getTime()) return 'AADSTS70008: The provided authorization code or refresh token has expired or was already used.';
  if (rec.clientId !== client.clientId) return 'AADSTS70000: The code was issued to another client.';
  if (rec.redirectUri !== f['redirect_uri']) return 'AADSTS50148: The redirect_uri does not match the one of the authorization request.';
  const verifier = f['code_verifier'] ?? '';
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== rec.codeChallenge) {
    return 'AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.';
  }
  return { userId: rec.userId, clientId: rec.clientId, scope: rec.scope, nonce: rec.nonce };
}

function redeemRefresh(emu: EmulatorContext, f: Record<string, string>, client: OAuthClientRec): Grant | string {
  if (!f['refresh_token']) return "AADSTS900144: The request body must contain the following parameter: 'refresh_token'.";
  const key = sha256(f['refresh_token']);
  const rec = oauthState(emu).refreshTokens[key];
  delete oauthState(emu).refreshTokens[key];
  if (!rec || rec.expiresAt < emu.clock.now().getTime()) return 'AADSTS700082: The refresh token has expired, was revoked or was already used.';
  if (rec.clientId !== client.clientId) return 'AADSTS700005: The refresh token was issued to another client.';
  return { userId: rec.userId, clientId: rec.clientId, scope: f['scope'] || rec.scope };
}

function token(ctx: Ctx, emu: EmulatorContext): void {
  if (!knownTenant(emu, ctx.params['tenant'] ?? '')) return entraError(ctx, 400, 'invalid_request', `AADSTS90002: Tenant '${ctx.params['tenant'] ?? ''}' not found.`);
  if (!isRecord(ctx.body) || !/x-www-form-urlencoded/i.test(ctx.req.headers['content-type'] ?? '')) {
    return entraError(ctx, 400, 'invalid_request', 'AADSTS900144: The request body must be application/x-www-form-urlencoded.');
  }
  const f = ctx.body as Record<string, string>;
  const client = oauthState(emu).clients.find((c) => c.clientId === f['client_id']);
  if (!client) return entraError(ctx, 400, 'unauthorized_client', `AADSTS700016: Application with identifier '${f['client_id'] ?? ''}' was not found in the directory.`);
  if (client.public && (f['client_secret'] || f['client_assertion'])) {
    return entraError(ctx, 401, 'invalid_client', "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
  }
  pruneOAuth(emu);
  const grantType = f['grant_type'];
  const grant = grantType === 'authorization_code' ? redeemCode(emu, f, client)
    : grantType === 'refresh_token' ? redeemRefresh(emu, f, client)
      : `AADSTS70003: The app requested an unsupported grant type '${grantType ?? ''}'.`;
  if (typeof grant === 'string') {
    emu.persist();
    return entraError(ctx, 400, grant.startsWith('AADSTS70003') ? 'unsupported_grant_type' : 'invalid_grant', grant);
  }
  const user = graphDirectoryState(emu).users.find((u) => u.id === grant.userId);
  if (!user) {
    emu.persist();
    return entraError(ctx, 400, 'invalid_grant', 'AADSTS50034: The user account does not exist in the directory.');
  }
  const scopes = grant.scope.split(/\s+/);
  const resource = resourceOf(grant.scope);
  const access = issueUserAccessToken(emu, user, { audience: resource, clientId: client.clientId });
  const answer: Record<string, unknown> = {
    token_type: 'Bearer', scope: `${resource}/user_impersonation`, expires_in: access.expiresIn, ext_expires_in: access.expiresIn, access_token: access.token,
  };
  if (scopes.includes('offline_access')) {
    const refresh = randomBytes(48).toString('base64url');
    oauthState(emu).refreshTokens[sha256(refresh)] = { clientId: client.clientId, userId: user.id, scope: grant.scope, expiresAt: emu.clock.now().getTime() + REFRESH_LIFETIME_MS };
    answer['refresh_token'] = refresh;
  }
  if (scopes.includes('openid')) {
    answer['id_token'] = issueIdToken(emu, user, { issuer: `${base(ctx)}/${emu.state.tenantId}/v2.0`, clientId: client.clientId, nonce: grant.nonce });
  }
  emu.persist();
  sendJson(ctx.res, 200, answer, { 'cache-control': 'no-store', pragma: 'no-cache' });
}

function metadata(ctx: Ctx, emu: EmulatorContext): void {
  const t = emu.state.tenantId;
  const b = base(ctx);
  sendJson(ctx.res, 200, {
    issuer: `${b}/${t}/v2.0`, authorization_endpoint: `${b}/${t}/oauth2/v2.0/authorize`, token_endpoint: `${b}/${t}/oauth2/v2.0/token`,
    jwks_uri: `${b}/${t}/discovery/v2.0/keys`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'],
    id_token_signing_alg_values_supported: ['RS256'], subject_types_supported: ['pairwise'], scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'none'], tenant_region_scope: null,
  });
}

export function registerTokenRoutes(router: Router, emu: EmulatorContext): void {
  router.add('POST', '/:tenant/oauth2/v2.0/token', (ctx) => token(ctx, emu));
  router.add('GET', '/:tenant/v2.0/.well-known/openid-configuration', (ctx) => metadata(ctx, emu));
  router.add('GET', '/:tenant/discovery/v2.0/keys', (ctx) => sendJson(ctx.res, 200, emulatorJwks(emu)));
}
