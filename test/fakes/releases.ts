import type { ReleaseInfo, ReleaseRef, ReleaseState, ReleaseStatus } from '../../src/core/models';
import type { DelegatedToken, HumanDecision, HumanDecisionRefusal, Releases, ReleaseSearch, StartReleaseInput } from '../../src/core/ports';

interface FakeRelease { ref: ReleaseRef; input: StartReleaseInput; state: ReleaseState; approvalId?: string; decidedBy?: string }

/**
 * Azure DevOps in memory: a started release waits at the approval gate when `gated(env)` says so,
 * otherwise deploys; tests move it on with `finish`. Counts starts and decisions to catch doubles.
 */
export class FakeReleases implements Releases {
  readonly releases: FakeRelease[] = [];
  readonly decisions: { approvalId: string; decision: string; comment: string; asToken?: string }[] = [];
  /** Test control: Azure DevOps refuses decisions made with these tokens, for the reason given. */
  readonly refusedTokens = new Map<string, HumanDecisionRefusal>();
  startCalls = 0;
  failStart = 0;
  constructor(private readonly gated: (env: string) => boolean = (env) => env === 'prod') {}

  async start(input: StartReleaseInput): Promise<ReleaseRef> {
    this.startCalls++;
    if (this.failStart > 0) { this.failStart--; throw new Error('azure devops unavailable'); }
    const existing = this.releases.find((r) => r.input.requestId === input.requestId);
    if (existing) return existing.ref;
    const id = this.releases.length + 1;
    const gated = this.gated(input.env);
    const ref: ReleaseRef = { kind: 'classic', id, name: `Release-${id}`, url: `https://dev.azure.com/org/mlops-v2/_releaseProgress?releaseId=${id}` };
    this.releases.push({ ref, input, state: gated ? 'awaiting_approval' : 'in_progress', approvalId: gated ? `appr-${id}` : undefined });
    return ref;
  }
  async status(_env: string, ref: ReleaseRef): Promise<ReleaseStatus> {
    const r = this.find(ref);
    return { ref, state: r.state, stages: [{ name: r.input.env, state: r.state }], pendingApprovalId: r.state === 'awaiting_approval' ? r.approvalId : undefined, decidedBy: r.decidedBy };
  }
  async decide(_env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string): Promise<void> {
    const r = this.find(ref);
    if (r.approvalId !== approvalId) throw new Error(`unknown approval ${approvalId}`);
    if (r.state !== 'awaiting_approval') return;
    this.decisions.push({ approvalId, decision, comment });
    r.state = decision === 'approved' ? 'in_progress' : 'rejected';
  }
  async decideAs(user: DelegatedToken, env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string): Promise<HumanDecision> {
    const refused = this.refusedTokens.get(user.token);
    if (refused) return { ok: false, reason: refused, detail: `Azure DevOps refused the approver (${refused})` };
    await this.decide(env, ref, approvalId, decision, comment);
    const last = this.decisions.at(-1);
    if (last && last.approvalId === approvalId) last.asToken = user.token;
    return { ok: true };
  }
  async list(opts: { env?: string; model?: string }): Promise<ReleaseInfo[]> {
    return this.releases
      .filter((r) => (!opts.env || r.input.env === opts.env) && (!opts.model || r.input.model === opts.model))
      .map((r) => ({ ref: r.ref, modelName: r.input.model, modelVersion: r.input.version, stages: [{ name: r.input.env, state: r.state }] }));
  }
  async search(opts: { env?: string; model?: string; want: number }): Promise<ReleaseSearch> {
    const releases = await this.list(opts);
    return { releases, complete: true, searched: this.releases.length };
  }
  async statuses(env: string, items: { ref: ReleaseRef; model?: string }[]): Promise<Map<number, ReleaseStatus | Error>> {
    const out = new Map<number, ReleaseStatus | Error>();
    for (const { ref } of items) {
      try { out.set(ref.id, await this.status(env, ref)); } catch (e) { out.set(ref.id, e as Error); }
    }
    return out;
  }
  /** Test control: the deployment ends, or someone decides in the Azure DevOps web UI. */
  finish(id: number, state: ReleaseState, decidedBy?: string): void {
    const r = this.find({ kind: 'classic', id });
    r.state = state;
    r.decidedBy = decidedBy;
  }
  private find(ref: ReleaseRef): FakeRelease {
    const r = this.releases.find((x) => x.ref.id === ref.id);
    if (!r) throw new Error(`no release ${ref.id}`);
    return r;
  }
}
