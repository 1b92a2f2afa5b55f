/**
 * Entra's OAuth 2.0 endpoints as a client sees them: the authorize URL (authorization code + PKCE
 * S256) and the token endpoint (code redemption, refresh). Every call has a timeout; answers are
 * typed, and no token or code ever appears in an error or detail (Entra's error descriptions do not
 * carry them, and nothing of the request is echoed).
 */
export const DEVOPS_SCOPE = '499b84ac-1321-427f-aa17-267ca6975798/.default';
export const SIGN_IN_SCOPE = `${DEVOPS_SCOPE} offline_access openid profile`;

export interface EntraEndpointOptions {
  /** `https://login.microsoftonline.com` (or a sovereign cloud's, or the emulator's), no trailing slash. */
  authorityHost: string;
  /** Tenant id, or `organizations` for a multi-tenant app. */
  tenant: string;
  clientId: string;
  /** Absent for a public client (PKCE alone). */
  clientSecret?: string;
  /** The bot's `<public URL>/auth/callback`. */
  redirectUri: () => string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface TokenSet {
  accessToken: string;
  expiresInS: number;
  refreshToken?: string;
  idToken?: string;
}

/** `refused`: Entra said no (its error code); `unavailable`: no answer, a timeout or a server error. */
export type TokenFailure = { kind: 'refused'; error: string; detail: string } | { kind: 'unavailable'; detail: string };
export type TokenResult = { ok: true; tokens: TokenSet } | ({ ok: false } & TokenFailure);

export class EntraEndpoints {
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;

  constructor(private readonly opts: EntraEndpointOptions) {
    this.fetchFn = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  get base(): string {
    return `${this.opts.authorityHost}/${encodeURIComponent(this.opts.tenant)}`;
  }

  get clientId(): string {
    return this.opts.clientId;
  }

  get tenant(): string {
    return this.opts.tenant;
  }

  get authorityHost(): string {
    return this.opts.authorityHost;
  }

  get jwksUrl(): string {
    return `${this.base}/discovery/v2.0/keys`;
  }

  authorizeUrl(p: { state: string; codeChallenge: string; nonce: string; loginHint?: string }): string {
    const q = new URLSearchParams({
      client_id: this.opts.clientId, response_type: 'code', redirect_uri: this.opts.redirectUri(), response_mode: 'query',
      scope: SIGN_IN_SCOPE, state: p.state, nonce: p.nonce, code_challenge: p.codeChallenge, code_challenge_method: 'S256',
      prompt: 'select_account', ...(p.loginHint ? { login_hint: p.loginHint } : {}),
    });
    return `${this.base}/oauth2/v2.0/authorize?${q}`;
  }

  redeemCode(code: string, codeVerifier: string): Promise<TokenResult> {
    return this.tokenCall({ grant_type: 'authorization_code', code, code_verifier: codeVerifier, redirect_uri: this.opts.redirectUri(), scope: SIGN_IN_SCOPE });
  }

  refresh(refreshToken: string): Promise<TokenResult> {
    return this.tokenCall({ grant_type: 'refresh_token', refresh_token: refreshToken, scope: `${DEVOPS_SCOPE} offline_access` });
  }

  private async tokenCall(fields: Record<string, string>): Promise<TokenResult> {
    const body = new URLSearchParams({ client_id: this.opts.clientId, ...fields, ...(this.opts.clientSecret ? { client_secret: this.opts.clientSecret } : {}) });
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/oauth2/v2.0/token`, {
        method: 'POST', body, headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      return { ok: false, kind: 'unavailable', detail: timedOut ? `Entra did not answer within ${this.timeoutMs / 1000} s` : 'Entra could not be reached' };
    }
    const answer = await res.json().catch(() => undefined) as Record<string, unknown> | undefined;
    if (res.status >= 500 || res.status === 429 || !answer) {
      return { ok: false, kind: 'unavailable', detail: `Entra answered HTTP ${res.status}` };
    }
    if (!res.ok) {
      const error = typeof answer['error'] === 'string' ? answer['error'] : 'invalid_request';
      const description = typeof answer['error_description'] === 'string' ? answer['error_description'].split(/\r?\n/)[0].slice(0, 300) : '';
      return { ok: false, kind: 'refused', error, detail: description || error };
    }
    const access = answer['access_token'];
    if (typeof access !== 'string' || access === '') return { ok: false, kind: 'unavailable', detail: 'Entra answered without an access token' };
    const str = (k: string): string | undefined => (typeof answer[k] === 'string' && answer[k] !== '' ? (answer[k] as string) : undefined);
    const expires = Number(answer['expires_in']);
    return {
      ok: true,
      tokens: { accessToken: access, expiresInS: Number.isFinite(expires) && expires > 0 ? expires : 3600, refreshToken: str('refresh_token'), idToken: str('id_token') },
    };
  }
}
