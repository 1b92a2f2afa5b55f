/**
 * Environment approvals of YAML pipeline runs: a REST API the SDK does not cover
 * (`{org}/{project}/_apis/pipelines/approvals`), called with fetch and the same authorization.
 * 7.2-preview.2 adds `pipeline.owner.id` (the run id), which links an approval to its run.
 */
import { adoCall, AdoResponseError } from './ado-call';
import type { DelegatedToken } from '../../core/ports';
import type { DevOpsConnection } from './connection';
import type { AdoDeps } from './options';

export const APPROVALS_API_VERSION = '7.2-preview.2';

export interface PipelineApproval {
  id: string;
  status: string;
  lastModifiedOn?: string;
  pipeline?: { id?: string | number; name?: string; owner?: { id?: number | string; name?: string } };
  steps?: { status?: string; comment?: string; actualApprover?: { displayName?: string }; assignedApprover?: { displayName?: string } }[];
}

export class PipelineApprovals {
  constructor(private readonly conn: DevOpsConnection, private readonly deps: AdoDeps, private readonly timeoutMs: number) {}

  /** Approvals in a state (pending, approved, rejected, …), with their steps. */
  async query(state: string): Promise<PipelineApproval[]> {
    return this.send('GET', `?state=${encodeURIComponent(state)}&$expand=steps`, `reading ${state} pipeline approvals`, (b) => this.list(b, 'pipeline approvals'));
  }

  /** Approvals by id, whatever their state, with their steps. */
  async byIds(ids: string[]): Promise<PipelineApproval[]> {
    if (ids.length === 0) return [];
    const list = ids.map(encodeURIComponent).join(',');
    return this.send('GET', `?approvalIds=${list}&$expand=steps`, `reading pipeline approvals ${ids.join(', ')}`, (b) => this.list(b, 'pipeline approvals'));
  }

  /** One approval; null when it does not exist. */
  async get(id: string): Promise<PipelineApproval | null> {
    try {
      return await this.send('GET', `/${encodeURIComponent(id)}?$expand=steps`, `reading pipeline approval ${id}`, (b) => this.one(b));
    } catch (e) {
      if ((e as { code?: string; details?: { status?: number } }).details?.status === 404) return null;
      throw e;
    }
  }

  /** Decides one approval; the API takes an array of updates. `asUser`: as that person, with their token. */
  async update(id: string, status: 'approved' | 'rejected', comment: string, asUser?: DelegatedToken): Promise<PipelineApproval> {
    return this.send('PATCH', '', `${status === 'approved' ? 'approving' : 'rejecting'} pipeline approval ${id}`, (b) => {
      const updated = this.list(b, 'the approval update').find((a) => a.id === id);
      if (!updated) throw new AdoResponseError('The approval update did not return the approval', 200, {}, true);
      return updated;
    }, [{ approvalId: id, status, comment }], asUser && `Bearer ${asUser.token}`);
  }

  private url(suffix: string): string {
    const [path, query] = suffix.split('?');
    const q = query ? `${query}&` : '';
    return `${this.conn.orgUrl}/${encodeURIComponent(this.deps.project)}/_apis/pipelines/approvals${path}?${q}api-version=${APPROVALS_API_VERSION}`;
  }

  private send<T>(method: 'GET' | 'PATCH', suffix: string, what: string, parse: (body: unknown) => T, payload?: unknown, authorization?: string): Promise<T> {
    // A decision is not retried after a 5xx: it may have been applied; the caller reads it again.
    return adoCall({ what, project: this.deps.project, retry: this.deps.retry, log: this.deps.log, idempotent: method === 'GET' }, async () => {
      const res = await fetch(this.url(suffix), {
        method,
        headers: { authorization: authorization ?? await this.conn.authorization(), accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
        ...(payload ? { body: JSON.stringify(payload) } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) {
        throw new AdoResponseError(`Azure DevOps answered HTTP ${res.status}: ${text.slice(0, 200)}`, res.status, { 'retry-after': res.headers.get('retry-after') ?? undefined });
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new AdoResponseError(`Azure DevOps answered HTTP ${res.status} with a body that is not JSON`, res.status, {}, true);
      }
      return parse(body);
    });
  }

  private one(body: unknown): PipelineApproval {
    const a = body as PipelineApproval | null;
    if (!a || typeof a.id !== 'string' || typeof a.status !== 'string') throw new AdoResponseError('An approval without id or status', 200, {}, true);
    return a;
  }

  private list(body: unknown, what: string): PipelineApproval[] {
    const value = (body as { value?: unknown } | null)?.value;
    if (!Array.isArray(value)) throw new AdoResponseError(`${what}: an answer without a value array`, 200, {}, true);
    return value.map((a) => this.one(a));
  }
}
