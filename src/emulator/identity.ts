/**
 * App Service-style managed identity endpoint (plain HTTP, as the platform serves it) and the
 * bearer checks of the ARM, MLflow and Azure DevOps routes. Tokens are opaque random strings; only
 * their SHA-256 is kept, with the audience they were issued for.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EmulatorContext } from './context';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import { looksLikeUserToken, verifyUserAccessToken } from './user-tokens';

const TOKEN_LIFETIME_S = 3600;
const ARM_AUDIENCES = [
  'https://management.azure.com', 'https://management.core.windows.net',
  'https://management.usgovcloudapi.net', 'https://management.chinacloudapi.cn',
];
const DEVOPS_AUDIENCE = '499b84ac-1321-427f-aa17-267ca6975798';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function normaliseAudience(resource: string): string {
  return resource.replace(/\/\.default$/, '').replace(/\/+$/, '').toLowerCase();
}

export function registerIdentityRoutes(router: Router, emu: EmulatorContext, identityHeader: string): void {
  router.add('GET', '/msi/token', (ctx) => issueToken(ctx, emu, identityHeader));
}

function issueToken(ctx: Ctx, emu: EmulatorContext, identityHeader: string): void {
  const header = ctx.req.headers['x-identity-header'];
  const presented = Buffer.from(typeof header === 'string' ? header : '');
  const expected = Buffer.from(identityHeader);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    sendJson(ctx.res, 401, { error: 'invalid_request', error_description: 'X-IDENTITY-HEADER is missing or wrong' });
    return;
  }
  const resource = queryParam(ctx.query, 'resource');
  if (!queryParam(ctx.query, 'api-version') || !resource) {
    sendJson(ctx.res, 400, { error: 'invalid_request', error_description: 'api-version and resource are required' });
    return;
  }
  const token = randomBytes(32).toString('base64url');
  const expiresOn = Math.floor(Date.now() / 1000) + TOKEN_LIFETIME_S;
  pruneExpired(emu);
  emu.state.tokens[hashToken(token)] = { resource: normaliseAudience(resource), expiresOn };
  emu.persist();
  sendJson(ctx.res, 200, {
    access_token: token,
    expires_on: String(expiresOn),
    resource,
    token_type: 'Bearer',
    client_id: emu.state.ado.botIdentity.id,
  });
}

function pruneExpired(emu: EmulatorContext): void {
  const now = Date.now() / 1000;
  for (const [key, entry] of Object.entries(emu.state.tokens)) {
    if (entry.expiresOn < now) delete emu.state.tokens[key];
  }
}

type TokenCheck = { ok: true } | { ok: false; message: string };

function checkBearer(emu: EmulatorContext, authorization: string | undefined, audiences: string[]): TokenCheck {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return { ok: false, message: "The request is missing a 'Authorization: Bearer' header." };
  const entry = emu.state.tokens[hashToken(match[1])];
  if (!entry) return { ok: false, message: 'The access token was not issued by this emulator.' };
  if (entry.expiresOn < Date.now() / 1000) return { ok: false, message: 'The access token has expired.' };
  if (!audiences.includes(entry.resource)) {
    return { ok: false, message: `The access token audience '${entry.resource}' is invalid; expected ${audiences.join(' or ')}.` };
  }
  return { ok: true };
}

/** ARM and MLflow: a bearer token for the ARM audience. Answers 401 itself when it fails. */
export function requireArmToken(ctx: Ctx, emu: EmulatorContext): boolean {
  const result = checkBearer(emu, ctx.req.headers.authorization, ARM_AUDIENCES);
  if (result.ok) return true;
  sendJson(ctx.res, 401, { error: { code: 'InvalidAuthenticationToken', message: result.message } });
  return false;
}

/** Azure DevOps: Basic with any non-empty PAT, or a bearer token for the Azure DevOps audience. */
export function requireDevopsAuth(ctx: Ctx, emu: EmulatorContext): boolean {
  const auth = ctx.req.headers.authorization ?? '';
  let message = 'Authentication is required (Basic with a PAT, or Bearer).';
  const basic = /^Basic\s+(\S+)$/i.exec(auth);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const pat = decoded.slice(decoded.indexOf(':') + 1);
    if (pat.length > 0) return true;
    message = 'The personal access token is empty.';
  } else if (/^Bearer\s/i.test(auth) && looksLikeUserToken(auth)) {
    // A person's delegated token from the emulator's Entra: Azure DevOps acts as that person.
    const result = verifyUserAccessToken(emu, auth);
    if (result.ok) return true;
    message = result.message;
  } else if (/^Bearer\s/i.test(auth)) {
    const result = checkBearer(emu, auth, [DEVOPS_AUDIENCE, `api://${DEVOPS_AUDIENCE}`]);
    if (result.ok) return true;
    message = result.message;
  }
  sendJson(ctx.res, 401, {
    $id: '1', innerException: null, message,
    typeName: 'Microsoft.VisualStudio.Services.Common.VssUnauthorizedException, Microsoft.VisualStudio.Services.Common',
    typeKey: 'VssUnauthorizedException', errorCode: 0, eventId: 3000,
  });
  return false;
}
