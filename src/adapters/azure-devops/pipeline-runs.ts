/**
 * YAML pipelines (PipelinesApi) with the model as template parameters, and their environment
 * approvals. Idempotency: the runs API has no filter on parameters, so recent runs are searched for
 * the request id in their template parameters (read with getRun, as listRuns leaves them out) or in
 * their name (a pipeline may put `${{ parameters.promotionRequestId }}` in its `name:`).
 */
import type { TimelineRecord } from 'azure-devops-node-api/interfaces/BuildInterfaces';
import type { Run } from 'azure-devops-node-api/interfaces/PipelinesInterfaces';
import { BotError } from '../../core/errors';
import type { ReleaseInfo, ReleaseRef, ReleaseStatus } from '../../core/models';
import type { DelegatedToken, StartReleaseInput } from '../../core/ports';
import type { PipelineRelease } from '../../core/settings';
import { mapLimit } from '../../core/commands/map-limit';
import { adoCall } from './ado-call';
import type { DevOpsConnection } from './connection';
import { humanRefusal } from './human-refusal';
import type { AdoDeps } from './options';
import type { PipelineApproval, PipelineApprovals } from './pipeline-approvals';
import { approvalIdsUnder, reachedTarget, type StageRecord, stageRecords, stageStatus, targetStage, targetState } from './pipeline-stages';
import { runFacts, runState } from './release-state';

const refOf = (r: Run): ReleaseRef => ({ kind: 'pipeline', id: r.id ?? 0, ...(r.name ? { name: r.name } : {}), ...(r._links?.web?.href ? { url: r._links.web.href } : {}) });
const ownerRunId = (a: PipelineApproval) => Number(a.pipeline?.owner?.id);
const decider = (a: PipelineApproval) => a.steps?.find((s) => s.actualApprover)?.actualApprover?.displayName;

export class PipelineRuns {
  private readonly pipelineIds = new Map<string, Promise<number>>();

  constructor(private readonly conn: DevOpsConnection, private readonly deps: AdoDeps, private readonly approvals: PipelineApprovals) {}

  private call<T>(what: string, fn: () => Promise<T>, idempotent = true): Promise<T> {
    return adoCall({ what, project: this.deps.project, retry: this.deps.retry, log: this.deps.log, idempotent }, fn);
  }

  pipelineId(s: PipelineRelease): Promise<number> {
    if (/^\d+$/.test(s.pipeline)) return Promise.resolve(Number(s.pipeline));
    const key = s.pipeline.toLowerCase();
    let id = this.pipelineIds.get(key);
    if (!id) {
      id = this.findPipeline(s.pipeline);
      this.pipelineIds.set(key, id);
      id.catch(() => this.pipelineIds.delete(key));
    }
    return id;
  }

  private async findPipeline(name: string): Promise<number> {
    const api = await this.conn.pipelines();
    const all = await this.call(`looking up pipeline ${name}`, () => api.listPipelines(this.deps.project, undefined, 1000));
    const found = (all ?? []).find((p) => p.name?.toLowerCase() === name.toLowerCase());
    if (!found?.id) {
      throw new BotError('upstream_not_found', `There is no pipeline "${name}" in Azure DevOps project ${this.deps.project}.`, {
        remedy: 'Check release.pipeline in the configuration.', details: { pipeline: name },
      });
    }
    return found.id;
  }

  async start(s: PipelineRelease, input: StartReleaseInput): Promise<ReleaseRef> {
    const api = await this.conn.pipelines();
    const pipelineId = await this.pipelineId(s);
    const existing = await this.findExisting(s, pipelineId, input.requestId);
    if (existing) return refOf(existing);
    const run = await this.call(`running pipeline ${s.pipeline}`, () => api.runPipeline({
      templateParameters: {
        [s.variables.modelName]: input.model,
        [s.variables.modelVersion]: input.version,
        [s.variables.promotionRequestId]: input.requestId,
      },
    }, this.deps.project, pipelineId), false);
    if (!run?.id) throw new BotError('upstream_invalid', `Azure DevOps did not return the run it started for ${s.pipeline}.`);
    return refOf(run);
  }

  private async findExisting(s: PipelineRelease, pipelineId: number, requestId: string): Promise<Run | undefined> {
    const recent = (await this.recentRuns(pipelineId)).slice(0, this.deps.idempotencyWindow);
    const byName = recent.find((r) => r.name?.includes(requestId));
    if (byName) return byName;
    for (const r of recent) {
      const full = r.templateParameters ? r : await this.getRun(pipelineId, r.id ?? 0);
      if (full?.templateParameters?.[s.variables.promotionRequestId] === requestId) return full;
    }
    return undefined;
  }

  private async recentRuns(pipelineId: number): Promise<Run[]> {
    const api = await this.conn.pipelines();
    const runs = await this.call(`listing runs of pipeline ${pipelineId}`, () => api.listRuns(this.deps.project, pipelineId));
    return [...(runs ?? [])].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
  }

  private async getRun(pipelineId: number, runId: number): Promise<Run | null> {
    const api = await this.conn.pipelines();
    return this.call(`reading run ${runId}`, () => api.getRun(this.deps.project, pipelineId, runId));
  }

  /**
   * The state of the stage deploying to the environment (see pipeline-stages). An approval counts
   * as the target's only when the timeline puts it under that stage, or, on a server whose timeline
   * lists no approvals, when every earlier stage has finished.
   */
  async status(s: PipelineRelease, ref: ReleaseRef): Promise<ReleaseStatus> {
    const run = await this.getRun(await this.pipelineId(s), ref.id);
    if (!run) throw new BotError('upstream_not_found', `Run ${ref.id} of pipeline ${s.pipeline} does not exist.`, { details: { runId: ref.id } });
    return this.statusOf(s, run, await this.timeline(ref.id), () => this.approvals.query('pending'));
  }

  /**
   * Many runs of one pipeline: one list of its runs and one query of pending approvals for all of
   * them, the timelines side by side (bounded).
   */
  async statuses(s: PipelineRelease, refs: ReleaseRef[]): Promise<Map<number, ReleaseStatus | Error>> {
    const out = new Map<number, ReleaseStatus | Error>();
    const runs = await this.recentRuns(await this.pipelineId(s));
    let pending: Promise<PipelineApproval[]> | undefined;
    const pendingOnce = (): Promise<PipelineApproval[]> => (pending ??= this.approvals.query('pending'));
    await mapLimit(refs, 10, async (ref) => {
      const run = runs.find((r) => r.id === ref.id);
      try {
        if (!run) throw new BotError('upstream_not_found', `Run ${ref.id} of pipeline ${s.pipeline} does not exist.`, { details: { runId: ref.id } });
        out.set(ref.id, await this.statusOf(s, run, await this.timeline(ref.id), pendingOnce));
      } catch (e) {
        out.set(ref.id, e as Error);
      }
    });
    return out;
  }

  /**
   * The state of the stage deploying to the environment (see pipeline-stages). An approval counts
   * as the target's only when the timeline puts it under that stage, or, on a server whose timeline
   * lists no approvals, when every earlier stage has finished.
   */
  private async statusOf(s: PipelineRelease, run: Run, records: TimelineRecord[], pendingApprovals: () => Promise<PipelineApproval[]>): Promise<ReleaseStatus> {
    const runId = run.id ?? 0;
    const facts = runFacts(run.state, run.result);
    const stages = stageRecords(records);
    const target = targetStage(stages, s);
    if (!target) return this.beforeStages(s, run, facts);
    const linked = approvalIdsUnder(records, target.id);
    const owned = facts.ended || target.state === 'completed' ? [] : (await pendingApprovals()).filter((a) => ownerRunId(a) === runId);
    const pending = linked ? owned.find((a) => linked.has(a.id.toLowerCase())) : reachedTarget(stages, target) ? owned[0] : undefined;
    const decided = pending ? undefined : await this.decided(runId, linked, stages, target, facts);
    const rejected = decided?.status.toLowerCase() === 'rejected';
    const { state, error } = targetState(target, stages, facts, { pending: pending !== undefined, rejected });
    const by = decided ? decider(decided) ?? (rejected ? undefined : 'an Azure DevOps approver') : undefined;
    return {
      ref: refOf(run),
      state,
      stages: stages.map(stageStatus),
      ...(pending ? { pendingApprovalId: pending.id } : {}),
      ...(by ? { decidedBy: by } : {}),
      ...(error && state !== 'rejected' ? { error } : {}),
    };
  }

  /** The latest approved or rejected approval of the target stage. */
  private async decided(runId: number, linked: Set<string> | undefined, stages: StageRecord[], target: StageRecord, facts: ReturnType<typeof runFacts>): Promise<PipelineApproval | undefined> {
    let candidates: PipelineApproval[];
    if (linked) {
      candidates = linked.size === 0 ? [] : await this.approvals.byIds([...linked]);
    } else {
      // Without approval records, only a rejection that stopped the run at the target is attributed to it.
      if (!facts.ended || facts.succeeded || target.state === 'completed' || !reachedTarget(stages, target)) return undefined;
      candidates = (await this.approvals.query('rejected')).filter((a) => ownerRunId(a) === runId);
    }
    return candidates
      .filter((a) => ['approved', 'rejected'].includes(a.status.toLowerCase()))
      .sort((a, b) => (b.lastModifiedOn ?? '').localeCompare(a.lastModifiedOn ?? ''))[0];
  }

  /** No stage in the timeline yet (the run is still being planned), or none at all. */
  private beforeStages(s: PipelineRelease, run: Run, facts: ReturnType<typeof runFacts>): ReleaseStatus {
    const state = facts.ended || facts.canceling ? runState(run.state, run.result, false, false) : 'queued';
    return {
      ref: refOf(run), state, stages: [{ name: s.stage ?? s.environment, state: state === 'queued' ? 'not_started' : state }],
      ...(state === 'failed' || state === 'canceled' ? { error: `Run ${run.name ?? run.id} ended without reaching the stage for ${s.environment}.` } : {}),
    };
  }

  private async timeline(runId: number): Promise<TimelineRecord[]> {
    const api = await this.conn.build();
    const timeline = await this.call(`reading the stages of run ${runId}`, () => api.getBuildTimeline(this.deps.project, runId));
    return timeline?.records ?? [];
  }

  /** `asUser`: decided as that person (see ClassicReleases.decide). */
  async decide(ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, asUser?: DelegatedToken): Promise<void> {
    const approval = await this.approvals.get(approvalId);
    if (!approval) throw new BotError('upstream_not_found', `Pipeline approval ${approvalId} does not exist.`, { details: { runId: ref.id, approvalId } });
    const status = approval.status.toLowerCase();
    if (status === decision) return;
    if (status !== 'pending') {
      throw new BotError('conflict', `Pipeline approval ${approvalId} is already ${status}${decider(approval) ? ` (by ${decider(approval)})` : ''}.`, {
        remedy: 'Refresh the request: Azure DevOps decided it another way.', details: { runId: ref.id, approvalId },
      });
    }
    // A PATCH that failed may still have been applied (and a second one is refused): read again.
    let updated: PipelineApproval;
    try {
      updated = await this.approvals.update(approvalId, decision, comment, asUser);
    } catch (e) {
      const refused = asUser ? humanRefusal(e) : undefined;
      if (refused) throw refused;
      if ((await this.approvals.get(approvalId).catch(() => null))?.status.toLowerCase() === decision) return;
      throw e;
    }
    if (updated.status.toLowerCase() !== decision) {
      throw new BotError('upstream_invalid', `Azure DevOps did not record the ${decision} decision on approval ${approvalId}.`, { details: { status: updated.status } });
    }
  }

  async list(s: PipelineRelease, limit: number, model?: string): Promise<ReleaseInfo[]> {
    return (await this.search(s, limit, model)).releases;
  }

  /**
   * The list of runs leaves template parameters out, so for a model the newest SEARCH runs are read
   * side by side (bounded) to see which model each carries.
   */
  async search(s: PipelineRelease, want: number, model?: string): Promise<{ releases: ReleaseInfo[]; complete: boolean; searched: number }> {
    const pipelineId = await this.pipelineId(s);
    const runs = await this.recentRuns(pipelineId);
    const window = model ? runs.slice(0, SEARCH) : runs;
    const paramsOf = await mapLimit(window, 25, async (r) => (r.templateParameters || !model ? r.templateParameters : (await this.getRun(pipelineId, r.id ?? 0))?.templateParameters));
    const releases: ReleaseInfo[] = [];
    for (const [i, r] of window.entries()) {
      const params = paramsOf[i] ?? {};
      const modelName = params[s.variables.modelName] as string | undefined;
      if (model && modelName?.toLowerCase() !== model.toLowerCase()) continue;
      const state = runState(r.state, r.result, false, false);
      releases.push({
        ref: refOf(r),
        ...(modelName ? { modelName } : {}),
        ...(params[s.variables.modelVersion] ? { modelVersion: String(params[s.variables.modelVersion]) } : {}),
        ...(r.createdDate ? { createdAt: new Date(r.createdDate) } : {}),
        stages: [{ name: s.environment, state: state === 'queued' ? 'not_started' : state }],
      });
    }
    return { releases, complete: window.length === runs.length, searched: window.length };
  }
}

/** Runs whose parameters are read to find a model's runs. */
const SEARCH = 50;
