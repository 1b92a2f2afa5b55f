/**
 * Managed identity through the App Service / Functions token endpoint (IDENTITY_ENDPOINT +
 * IDENTITY_HEADER). @azure/identity reads those two values from the process environment itself (inside MSAL) and
 * offers no option to pass them, and only src/main.ts may read the environment: so the protocol
 * (a GET with the `X-IDENTITY-HEADER` secret) is spoken here with the values handed in.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

export interface AppServiceIdentityOptions {
  endpoint: string;
  header: string;
  /** User-assigned identity; absent = system-assigned. */
  clientId?: string;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/** Refresh this long before expiry so a token never dies in flight. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export class AppServiceIdentityCredential implements TokenCredential {
  private readonly cache = new Map<string, AccessToken>();
  /** Requests under way: callers that ask for the same resource meanwhile share one round trip. */
  private readonly pending = new Map<string, Promise<AccessToken>>();

  constructor(private readonly opts: AppServiceIdentityOptions) {}

  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    const list = Array.isArray(scopes) ? scopes : [scopes];
    if (list.length !== 1) throw new Error('The managed identity endpoint takes exactly one scope.');
    const resource = list[0].replace(/\/\.default$/, '');
    const cached = this.cache.get(resource);
    if (cached && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > Date.now()) return cached;
    let pending = this.pending.get(resource);
    if (!pending) {
      pending = this.fetchToken(resource).then((token) => {
        this.cache.set(resource, token);
        return token;
      }).finally(() => this.pending.delete(resource));
      this.pending.set(resource, pending);
    }
    return pending;
  }

  private async fetchToken(resource: string): Promise<AccessToken> {
    const url = new URL(this.opts.endpoint);
    url.searchParams.set('api-version', '2019-08-01');
    url.searchParams.set('resource', resource);
    if (this.opts.clientId) url.searchParams.set('client_id', this.opts.clientId);
    const doFetch = this.opts.fetchImpl ?? fetch;
    const get = () => doFetch(url, {
      headers: { 'X-IDENTITY-HEADER': this.opts.header, Metadata: 'true' },
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    // A kept-alive connection the endpoint has closed meanwhile (it restarted) fails before any
    // answer; the GET is safe to send once more on a fresh connection.
    const res = await get().catch((e: unknown) => (closedBeforeAnswer(e) ? get() : Promise.reject(e)));
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`The managed identity endpoint refused a token for ${resource} (HTTP ${res.status}).`);
    }
    let body: { access_token?: unknown; expires_on?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error('The managed identity endpoint answered with something that is not JSON.');
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new Error('The managed identity endpoint answered without an access_token.');
    }
    const expiresOnS = Number(body.expires_on);
    const expiresOnTimestamp = Number.isFinite(expiresOnS) && expiresOnS > 0 ? expiresOnS * 1000 : Date.now() + 60 * 60 * 1000;
    return { token: body.access_token, expiresOnTimestamp, tokenType: 'Bearer' };
  }
}

function closedBeforeAnswer(e: unknown): boolean {
  const code = (e as { cause?: { code?: unknown } })?.cause?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET';
}
