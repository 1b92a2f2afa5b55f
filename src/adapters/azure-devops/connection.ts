/**
 * The azure-devops-node-api area clients. A bearer handler holds a fixed token, so the clients are
 * rebuilt whenever the token provider hands out a new token. They are built at their known hosts
 * with the API locations known up front (locations.ts): no discovery round trips before the first
 * call. Area clients get a guard that reports a 2xx answer with an unreadable body as malformed:
 * the SDK would otherwise resolve it to null, exactly like a 404.
 */
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import type { IRequestHandler, IRequestOptions } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';
import type { IPipelinesApi } from 'azure-devops-node-api/PipelinesApi';
import type { IReleaseApi } from 'azure-devops-node-api/ReleaseApi';
import { AdoResponseError } from './ado-call';
import { knownLocation, releaseAreaUrl } from './locations';
import { DEFAULT_DEVOPS_TIMEOUT_MS, type DevOpsAuth } from './options';

const USER_AGENT = 'mlops-bot (azure-devops-node-api)';

/* eslint-disable @typescript-eslint/no-require-imports */
// The SDK's modules load on first use (a start that never calls Azure DevOps does not pay for them).
const sdk = {
  release: () => (require('azure-devops-node-api/ReleaseApi') as typeof import('azure-devops-node-api/ReleaseApi')).ReleaseApi,
  pipelines: () => (require('azure-devops-node-api/PipelinesApi') as typeof import('azure-devops-node-api/PipelinesApi')).PipelinesApi,
  build: () => (require('azure-devops-node-api/BuildApi') as typeof import('azure-devops-node-api/BuildApi')).BuildApi,
  bearer: () => (require('azure-devops-node-api/handlers/bearertoken') as typeof import('azure-devops-node-api/handlers/bearertoken')).BearerCredentialHandler,
  pat: () => (require('azure-devops-node-api/handlers/personalaccesstoken') as typeof import('azure-devops-node-api/handlers/personalaccesstoken')).PersonalAccessTokenCredentialHandler,
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface Areas { handler: IRequestHandler; options: IRequestOptions; release?: IReleaseApi; pipelines?: IPipelinesApi; build?: IBuildApi }

interface RawResponse { message: { statusCode?: number }; readBody(): Promise<string> }
interface GuardableRest { processResponse(res: RawResponse, options: unknown): Promise<{ statusCode: number; result: unknown }> }

/** Answers the location lookups of the operations the bot calls without asking the service. */
function located<T extends { vsoClient: { beginGetLocation(area: string, id: string): Promise<unknown> } }>(api: T): T {
  const discover = api.vsoClient.beginGetLocation.bind(api.vsoClient);
  api.vsoClient.beginGetLocation = ((area: string, id: string) => {
    const known = knownLocation(id);
    return known ? Promise.resolve(known) : discover(area, id);
  }) as typeof api.vsoClient.beginGetLocation;
  return api;
}

function guard<T extends { rest: unknown; vsoClient: { beginGetLocation(area: string, id: string): Promise<unknown> } }>(api: T): T {
  located(api);
  const rest = api.rest as GuardableRest;
  const original = rest.processResponse.bind(rest);
  rest.processResponse = async (res, options) => {
    let text = '';
    const read = res.readBody.bind(res);
    res.readBody = async () => (text = await read());
    const out = await original(res, options);
    if (out.statusCode >= 200 && out.statusCode < 300 && out.result === null && text.trim() !== '') {
      throw new AdoResponseError(`Azure DevOps answered HTTP ${out.statusCode} with a body that is not JSON`, out.statusCode, {}, true);
    }
    return out;
  };
  return api;
}

export class DevOpsConnection {
  readonly orgUrl: string;
  private current?: { key: string; areas: Areas };

  constructor(orgUrl: string, private readonly auth: DevOpsAuth, private readonly timeoutMs = DEFAULT_DEVOPS_TIMEOUT_MS) {
    this.orgUrl = orgUrl.replace(/\/+$/, '');
  }

  /** The Authorization header value, for the REST endpoints the SDK lacks. */
  async authorization(): Promise<string> {
    if ('pat' in this.auth) return `Basic ${Buffer.from(`PAT:${this.auth.pat}`).toString('base64')}`;
    return `Bearer ${await this.auth.tokenProvider()}`;
  }

  async release(): Promise<IReleaseApi> {
    const areas = await this.areas();
    return (areas.release ??= guard(new (sdk.release())(releaseAreaUrl(this.orgUrl), [areas.handler], areas.options, USER_AGENT)));
  }

  /**
   * The release area as a person, with their delegated token (DESIGN 9.6): at the same known host
   * and locations, so only the person's call itself goes out. Built per call and dropped: the token
   * is kept nowhere.
   */
  releaseAs(token: string): IReleaseApi {
    const options: IRequestOptions = { socketTimeout: this.timeoutMs, allowRetries: false };
    return guard(new (sdk.release())(releaseAreaUrl(this.orgUrl), [new (sdk.bearer())(token)], options, USER_AGENT));
  }

  async pipelines(): Promise<IPipelinesApi> {
    const areas = await this.areas();
    return (areas.pipelines ??= guard(new (sdk.pipelines())(this.orgUrl, [areas.handler], areas.options, USER_AGENT)));
  }

  /** The build area: a YAML run's id is its build id, and the build timeline holds its stages. */
  async build(): Promise<IBuildApi> {
    const areas = await this.areas();
    return (areas.build ??= guard(new (sdk.build())(this.orgUrl, [areas.handler], areas.options, USER_AGENT)));
  }

  private async areas(): Promise<Areas> {
    const token = 'pat' in this.auth ? undefined : await this.auth.tokenProvider();
    const key = token ?? 'pat';
    if (this.current?.key !== key) {
      const handler = token === undefined ? new (sdk.pat())((this.auth as { pat: string }).pat) : new (sdk.bearer())(token);
      // Retries are ours (adoCall): the client's own would retry POSTs blindly and ignore Retry-After.
      this.current = { key, areas: { handler, options: { socketTimeout: this.timeoutMs, allowRetries: false } } };
    }
    return this.current.areas;
  }
}
