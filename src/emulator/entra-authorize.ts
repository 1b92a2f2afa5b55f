/**
 * Entra's authorize endpoint, emulated: `GET /{tenant}/oauth2/v2.0/authorize` shows a sign-in page
 * listing the directory's users; choosing one posts back and redirects to the client's redirect URI
 * with a single-use authorization code bound to the PKCE challenge (S256 only). A bad client or
 * redirect URI is shown on the page (never redirected to), as Entra does.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorContext } from './context';
import type { GraphUserRec } from './entra-state';
import { oauthState, pruneOAuth, sha256 } from './oauth-state';
import type { Ctx, Router } from './router';
import { isRecord } from './router';
import { graphDirectoryState } from './seed-graph';

const CODE_LIFETIME_MS = 10 * 60_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  nonce: string;
}

type Parsed = { ok: true; req: AuthorizeRequest } | { ok: false; page: string } | { ok: false; redirect: string };

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Tenants the emulator answers for: its own, and the multi-tenant aliases. */
export function knownTenant(emu: EmulatorContext, tenant: string): boolean {
  return ['organizations', 'common', emu.state.tenantId.toLowerCase()].includes(tenant.toLowerCase());
}

function loopbackUri(uri: string): boolean {
  try {
    const u = new URL(uri);
    return (u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.has(u.hostname) && !u.hash;
  } catch {
    return false;
  }
}

function errorRedirect(redirectUri: string, state: string, error: string, description: string): string {
  const u = new URL(redirectUri);
  u.searchParams.set('error', error);
  u.searchParams.set('error_description', description);
  if (state) u.searchParams.set('state', state);
  return u.toString();
}

export function parseAuthorize(emu: EmulatorContext, tenant: string, p: Record<string, string>): Parsed {
  if (!knownTenant(emu, tenant)) return { ok: false, page: `AADSTS90002: Tenant '${tenant}' not found.` };
  const client = oauthState(emu).clients.find((c) => c.clientId === p['client_id']);
  if (!client) return { ok: false, page: `AADSTS700016: Application with identifier '${p['client_id'] ?? ''}' was not found in the directory.` };
  const redirectUri = p['redirect_uri'] ?? '';
  if (!loopbackUri(redirectUri)) return { ok: false, page: `AADSTS50011: The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application (the emulator accepts loopback URIs).` };
  const state = p['state'] ?? '';
  const fail = (error: string, d: string): Parsed => ({ ok: false, redirect: errorRedirect(redirectUri, state, error, d) });
  if (p['response_type'] !== 'code') return fail('unsupported_response_type', 'AADSTS700054: response_type must be code.');
  if ((p['response_mode'] ?? 'query') !== 'query') return fail('invalid_request', 'AADSTS900144: the emulator answers with response_mode=query only.');
  if (!p['code_challenge']) return fail('invalid_request', 'AADSTS9002325: Proof Key for Code Exchange is required.');
  if (p['code_challenge_method'] !== 'S256') return fail('invalid_request', 'AADSTS501491: code_challenge_method must be S256.');
  if (!/^[A-Za-z0-9_-]{43}$/.test(p['code_challenge'])) return fail('invalid_request', 'AADSTS501491: code_challenge is not a base64url SHA-256.');
  if (!p['scope']) return fail('invalid_request', "AADSTS900144: The request body must contain the following parameter: 'scope'.");
  return { ok: true, req: { clientId: client.clientId, redirectUri, scope: p['scope'], state, codeChallenge: p['code_challenge'], nonce: p['nonce'] ?? '' } };
}

function sendHtml(ctx: Ctx, status: number, title: string, body: string): void {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1>${body}</body></html>`;
  ctx.res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html).toString(), 'cache-control': 'no-store' });
  ctx.res.end(html);
}

function signInPage(ctx: Ctx, users: GraphUserRec[], fields: Record<string, string>): void {
  const hidden = Object.entries(fields).filter(([k]) => k !== 'user')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  const buttons = users.map((u) => `<li><button type="submit" name="user" value="${esc(u.id)}">${esc(u.displayName)} (${esc(u.userPrincipalName)})</button></li>`).join('');
  sendHtml(ctx, 200, 'Sign in (local Entra emulator)', `<p>Pick an account of the emulator's directory.</p><form method="post" action="${esc(ctx.path)}">${hidden}<ul>${buttons}</ul></form>`);
}

function redirect(ctx: Ctx, location: string): void {
  ctx.res.writeHead(302, { location, 'cache-control': 'no-store', 'content-length': '0' });
  ctx.res.end();
}

function fieldsOf(ctx: Ctx): Record<string, string> {
  const source = ctx.method === 'POST' ? (isRecord(ctx.body) ? ctx.body : {}) : Object.fromEntries(ctx.query.entries());
  return Object.fromEntries(Object.entries(source).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

function authorize(ctx: Ctx, emu: EmulatorContext): void {
  const fields = fieldsOf(ctx);
  const parsed = parseAuthorize(emu, ctx.params['tenant'] ?? '', fields);
  if (!parsed.ok) return 'page' in parsed ? sendHtml(ctx, 400, 'Sign-in error', `<p>${esc(parsed.page)}</p>`) : redirect(ctx, parsed.redirect);
  const users = graphDirectoryState(emu).users;
  if (ctx.method === 'GET') return signInPage(ctx, users, fields);
  const user = users.find((u) => u.id === fields['user']);
  if (!user) return signInPage(ctx, users, fields);
  pruneOAuth(emu);
  const code = randomBytes(32).toString('base64url');
  const { req } = parsed;
  oauthState(emu).codes[sha256(code)] = {
    clientId: req.clientId, redirectUri: req.redirectUri, codeChallenge: req.codeChallenge, userId: user.id,
    scope: req.scope, nonce: req.nonce || undefined, expiresAt: emu.clock.now().getTime() + CODE_LIFETIME_MS,
  };
  emu.persist();
  const to = new URL(req.redirectUri);
  to.searchParams.set('code', code);
  if (req.state) to.searchParams.set('state', req.state);
  redirect(ctx, to.toString());
}

export function registerAuthorizeRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', '/:tenant/oauth2/v2.0/authorize', (ctx) => authorize(ctx, emu));
  router.add('POST', '/:tenant/oauth2/v2.0/authorize', (ctx) => authorize(ctx, emu));
}
