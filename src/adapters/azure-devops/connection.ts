/**
 * The azure-devops-node-api connection. A bearer handler holds a fixed token, so the WebApi (and its
 * area clients, whose discovery results it caches) is rebuilt whenever the token provider hands out a
 * new token. Area clients get a guard that reports a 2xx answer with an unreadable body as malformed:
 * the SDK would otherwise resolve it to null, exactly like a 404.
 */
import { getBearerHandler, getPersonalAccessTokenHandler, WebApi } from 'azure-devops-node-api';
import type { IBuildApi } from 'azure-devops-node-api/BuildApi';
import type { IPipelinesApi } from 'azure-devops-node-api/PipelinesApi';
import type { IReleaseApi } from 'azure-devops-node-api/ReleaseApi';
import { AdoResponseError } from './ado-call';
import { DEFAULT_DEVOPS_TIMEOUT_MS, type DevOpsAuth } from './options';

interface Areas { web: WebApi; release?: Promise<IReleaseApi>; pipelines?: Promise<IPipelinesApi>; build?: Promise<IBuildApi> }

interface RawResponse { message: { statusCode?: number }; readBody(): Promise<string> }
interface GuardableRest { processResponse(res: RawResponse, options: unknown): Promise<{ statusCode: number; result: unknown }> }

function guard<T extends { rest: unknown }>(api: T): T {
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
    areas.release ??= areas.web.getReleaseApi().then(guard);
    areas.release.catch(() => { areas.release = undefined; });
    return areas.release;
  }

  async pipelines(): Promise<IPipelinesApi> {
    const areas = await this.areas();
    areas.pipelines ??= areas.web.getPipelinesApi().then(guard);
    areas.pipelines.catch(() => { areas.pipelines = undefined; });
    return areas.pipelines;
  }

  /** The build area: a YAML run's id is its build id, and the build timeline holds its stages. */
  async build(): Promise<IBuildApi> {
    const areas = await this.areas();
    areas.build ??= areas.web.getBuildApi().then(guard);
    areas.build.catch(() => { areas.build = undefined; });
    return areas.build;
  }

  private async areas(): Promise<Areas> {
    const token = 'pat' in this.auth ? undefined : await this.auth.tokenProvider();
    const key = token ?? 'pat';
    if (this.current?.key !== key) {
      const handler = token === undefined ? getPersonalAccessTokenHandler((this.auth as { pat: string }).pat) : getBearerHandler(token);
      // Retries are ours (adoCall): the client's own would retry POSTs blindly and ignore Retry-After.
      const web = new WebApi(this.orgUrl, handler, { socketTimeout: this.timeoutMs, allowRetries: false });
      this.current = { key, areas: { web } };
    }
    return this.current.areas;
  }
}
