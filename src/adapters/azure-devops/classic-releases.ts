/** Classic releases (ReleaseApi): start idempotently per request, follow the target stage, decide approvals. */
import {
  ApprovalStatus, ApprovalType, EnvironmentStatus, ReleaseDefinitionExpands, ReleaseExpands, ReleaseQueryOrder, ReleaseReason,
  type Release, type ReleaseApproval, type ReleaseDefinitionEnvironment, type ReleaseEnvironment,
} from 'azure-devops-node-api/interfaces/ReleaseInterfaces';
import { BotError } from '../../core/errors';
import type { ReleaseInfo, ReleaseRef, ReleaseStatus } from '../../core/models';
import type { DelegatedToken, StartReleaseInput } from '../../core/ports';
import type { ClassicRelease } from '../../core/settings';
import { adoCall } from './ado-call';
import type { DevOpsConnection } from './connection';
import { humanRefusal } from './human-refusal';
import type { AdoDeps } from './options';
import { SEARCH_PAGE, searchReleases } from './classic-search';
import { environmentStageState, targetState } from './release-state';

const varValue = (r: Release, name: string): string | undefined => r.variables?.[name]?.value ?? undefined;
const stagesOf = (envs: ReleaseDefinitionEnvironment[] | undefined): { name: string; rank: number }[] =>
  (envs ?? []).filter((e) => e.name && typeof e.rank === 'number').map((e) => ({ name: e.name!, rank: e.rank! })).sort((a, b) => a.rank - b.rank);
const refOf = (r: Release): ReleaseRef => ({ kind: 'classic', id: r.id ?? 0, ...(r.name ? { name: r.name } : {}), ...(r._links?.web?.href ? { url: r._links.web.href } : {}) });

/** What the bot needs of a release definition: its id and its stages in order. */
interface DefinitionInfo { id: number; stages: { name: string; rank: number }[] }

export class ClassicReleases {
  private readonly definitions = new Map<string, Promise<DefinitionInfo>>();

  constructor(private readonly conn: DevOpsConnection, private readonly deps: AdoDeps) {}

  private call<T>(what: string, fn: () => Promise<T>, idempotent = true): Promise<T> {
    return adoCall({ what, project: this.deps.project, retry: this.deps.retry, log: this.deps.log, idempotent }, fn);
  }

  async definitionId(s: ClassicRelease): Promise<number> {
    if (/^\d+$/.test(s.definition)) return Number(s.definition);
    return (await this.definition(s)).id;
  }

  private definition(s: ClassicRelease): Promise<DefinitionInfo> {
    const key = s.definition.toLowerCase();
    let found = this.definitions.get(key);
    if (!found) {
      found = /^\d+$/.test(s.definition) ? this.readDefinition(Number(s.definition)) : this.findDefinition(s.definition);
      this.definitions.set(key, found);
      found.catch(() => this.definitions.delete(key));
    }
    return found;
  }

  private async readDefinition(id: number): Promise<DefinitionInfo> {
    const api = await this.conn.release();
    const def = await this.call(`reading release definition ${id}`, () => api.getReleaseDefinition(this.deps.project, id));
    return { id, stages: stagesOf(def?.environments) };
  }

  private async findDefinition(name: string): Promise<DefinitionInfo> {
    const api = await this.conn.release();
    const defs = await this.call(`looking up release definition ${name}`,
      () => api.getReleaseDefinitions(this.deps.project, name, ReleaseDefinitionExpands.Environments, undefined, undefined, undefined, undefined, undefined, undefined, true));
    const found = (defs ?? []).find((d) => d.name?.toLowerCase() === name.toLowerCase());
    if (!found?.id) {
      throw new BotError('upstream_not_found', `There is no release definition "${name}" in Azure DevOps project ${this.deps.project}.`, {
        remedy: 'Check release.definition in the configuration.', details: { definition: name },
      });
    }
    return { id: found.id, stages: stagesOf(found.environments) };
  }

  /**
   * Stages after the target, made manual in this release: a release created for preprod must not
   * go on to prod and leave prod's pre-deployment approval pending in Azure DevOps forever. A later
   * promotion makes its own release for its own target.
   */
  private async laterStages(s: ClassicRelease): Promise<string[]> {
    const { stages } = await this.definition(s);
    const target = stages.find((st) => st.name.toLowerCase() === s.stage.toLowerCase());
    return target ? stages.filter((st) => st.rank > target.rank).map((st) => st.name) : [];
  }

  async start(s: ClassicRelease, input: StartReleaseInput): Promise<ReleaseRef> {
    const api = await this.conn.release();
    const definitionId = await this.definitionId(s);
    let release = await this.findExisting(s, definitionId, input.requestId);
    if (!release) {
      const manualEnvironments = await this.laterStages(s);
      release = await this.call(`creating a release of ${s.definition}`, () => api.createRelease({
        definitionId,
        description: input.description,
        reason: ReleaseReason.Manual,
        isDraft: false,
        ...(manualEnvironments.length > 0 ? { manualEnvironments } : {}),
        variables: {
          [s.variables.modelName]: { value: input.model },
          [s.variables.modelVersion]: { value: input.version },
          [s.variables.promotionRequestId]: { value: input.requestId },
        },
      }, this.deps.project), false);
      if (!release?.id) throw new BotError('upstream_invalid', `Azure DevOps did not return the release it created for ${s.definition}.`);
    }
    const stage = this.stage(release, s);
    // A stage without trigger conditions (manual) would stay notStarted forever: start it, also when a
    // retry finds the release. A stage waiting for its trigger (previous stage succeeded) is left alone.
    if (stage.status === EnvironmentStatus.NotStarted && (stage.conditions ?? []).length === 0) {
      await this.call(`starting stage ${s.stage} of release ${release.id}`, () => api.updateReleaseEnvironment(
        { status: EnvironmentStatus.InProgress, comment: `Started by MLOps Bot for request ${input.requestId}` },
        this.deps.project, release!.id!, stage.id!));
    }
    return refOf(release);
  }

  private async findExisting(s: ClassicRelease, definitionId: number, requestId: string): Promise<Release | undefined> {
    const api = await this.conn.release();
    const recent = await this.call(`looking for a release already started for request ${requestId}`, () => api.getReleases(
      this.deps.project, definitionId, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
      ReleaseQueryOrder.Descending, this.deps.idempotencyWindow, undefined, ReleaseExpands.Environments | ReleaseExpands.Variables | ReleaseExpands.Approvals));
    return (recent ?? []).find((r) => varValue(r, s.variables.promotionRequestId) === requestId);
  }

  private stage(r: Release, s: ClassicRelease): ReleaseEnvironment {
    const stage = r.environments?.find((e) => e.name?.toLowerCase() === s.stage.toLowerCase());
    if (!stage?.id) {
      const names = (r.environments ?? []).map((e) => e.name).join(', ');
      throw new BotError('config_invalid', `Release ${r.name ?? r.id} has no stage "${s.stage}" (it has: ${names}).`, {
        remedy: 'Fix release.stage of this environment in the configuration; the release exists in Azure DevOps.',
        details: { releaseId: r.id, stage: s.stage },
      });
    }
    return stage;
  }

  private async getRelease(ref: ReleaseRef): Promise<Release> {
    const api = await this.conn.release();
    const r = await this.call(`reading release ${ref.id}`, () => api.getRelease(this.deps.project, ref.id));
    if (!r) throw new BotError('upstream_not_found', `Release ${ref.id} does not exist in project ${this.deps.project}.`, { details: { releaseId: ref.id } });
    return r;
  }

  async status(s: ClassicRelease, ref: ReleaseRef): Promise<ReleaseStatus> {
    const api = await this.conn.release();
    const [release, pending] = await Promise.all([
      this.getRelease(ref),
      this.call(`reading approvals of release ${ref.id}`, () => api.getApprovals(this.deps.project, undefined, ApprovalStatus.Pending, [ref.id], ApprovalType.PreDeploy)),
    ]);
    return this.statusOf(s, release, pending ?? []);
  }

  /**
   * Many releases in two requests side by side: the releases by id (with their stages and
   * approvals) and the pending approvals of all of them. A release that is gone maps to an error.
   */
  async statuses(s: ClassicRelease, refs: ReleaseRef[]): Promise<Map<number, ReleaseStatus | Error>> {
    const out = new Map<number, ReleaseStatus | Error>();
    const api = await this.conn.release();
    for (let i = 0; i < refs.length; i += BATCH) {
      const ids = refs.slice(i, i + BATCH).map((r) => r.id);
      const [releases, pending] = await Promise.all([
        this.call(`reading ${ids.length} release(s)`, () => api.getReleases(
          this.deps.project, undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
          ReleaseQueryOrder.Descending, ids.length, undefined, ReleaseExpands.Environments | ReleaseExpands.Approvals | ReleaseExpands.Variables,
          undefined, undefined, undefined, undefined, undefined, undefined, undefined, ids)),
        this.call(`reading approvals of ${ids.length} release(s)`, () => api.getApprovals(this.deps.project, undefined, ApprovalStatus.Pending, ids, ApprovalType.PreDeploy)),
      ]);
      for (const id of ids) {
        const release = (releases ?? []).find((r) => r.id === id);
        if (!release) { out.set(id, new BotError('upstream_not_found', `Release ${id} does not exist in project ${this.deps.project}.`, { details: { releaseId: id } })); continue; }
        try {
          out.set(id, this.statusOf(s, release, (pending ?? []).filter((a) => a.release?.id === id)));
        } catch (e) {
          out.set(id, e as Error);
        }
      }
    }
    return out;
  }

  private statusOf(s: ClassicRelease, release: Release, pending: ReleaseApproval[]): ReleaseStatus {
    const stage = this.stage(release, s);
    const mine = pending.find((a) => a.releaseEnvironment?.id === stage.id || a.releaseEnvironment?.name === stage.name);
    const state = targetState(stage.status, mine !== undefined);
    const decided = (stage.preDeployApprovals ?? []).find((a) => !a.isAutomated && (a.status === ApprovalStatus.Approved || a.status === ApprovalStatus.Rejected));
    const by = decided?.approvedBy?.displayName ?? decided?.approver?.displayName;
    return {
      ref: refOf(release),
      state,
      stages: (release.environments ?? []).map((e) => ({ name: e.name ?? '', state: environmentStageState(e) })),
      ...(mine?.id !== undefined ? { pendingApprovalId: String(mine.id) } : {}),
      ...(by ? { decidedBy: by } : {}),
      ...(state === 'failed' ? { error: `Stage ${stage.name} did not succeed.` } : {}),
    };
  }

  /**
   * `asUser`: a person's delegated token; the approval is read as the bot and decided as that
   * person, and Azure DevOps refusing them is thrown as a HumanRefused (nothing retried).
   */
  async decide(ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, asUser?: DelegatedToken): Promise<void> {
    const api = asUser ? this.conn.releaseAs(asUser.token) : await this.conn.release();
    const release = await this.getRelease(ref);
    const all: ReleaseApproval[] = (release.environments ?? []).flatMap((e) => [...(e.preDeployApprovals ?? []), ...(e.postDeployApprovals ?? [])]);
    const approval = all.find((a) => String(a.id) === approvalId);
    if (!approval) {
      throw new BotError('upstream_not_found', `Release ${ref.id} has no approval ${approvalId}.`, { details: { releaseId: ref.id, approvalId } });
    }
    const wanted = decision === 'approved' ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
    if (approval.status === wanted) return;
    if (approval.status !== ApprovalStatus.Pending) {
      const who = approval.approvedBy?.displayName ?? approval.approver?.displayName ?? 'someone';
      throw new BotError('conflict', `Approval ${approvalId} of release ${ref.id} is already ${ApprovalStatus[approval.status ?? 0]?.toLowerCase()} (by ${who}).`, {
        remedy: 'Refresh the request: Azure DevOps decided it another way.', details: { releaseId: ref.id, approvalId },
      });
    }
    // Not retried blindly: a PATCH that failed (a 500, a timeout) may still have been applied, and a
    // second one is refused. The approval is read again instead; what it says decides.
    let updated: ReleaseApproval | null | undefined;
    try {
      updated = await this.call(`${decision === 'approved' ? 'approving' : 'rejecting'} approval ${approvalId} of release ${ref.id}`,
        () => api.updateReleaseApproval({ status: wanted, comments: comment }, this.deps.project, Number(approvalId)), false);
    } catch (e) {
      const refused = asUser ? humanRefusal(e) : undefined;
      if (refused) throw refused;
      if ((await this.approvalStatus(ref, approvalId).catch(() => undefined)) === wanted) return;
      throw e;
    }
    if (updated?.status !== wanted) {
      throw new BotError('upstream_invalid', `Azure DevOps did not record the ${decision} decision on approval ${approvalId}.`, { details: { status: updated?.status } });
    }
  }

  private async approvalStatus(ref: ReleaseRef, approvalId: string): Promise<ApprovalStatus | undefined> {
    const release = await this.getRelease(ref);
    const all = (release.environments ?? []).flatMap((e) => [...(e.preDeployApprovals ?? []), ...(e.postDeployApprovals ?? [])]);
    return all.find((a) => String(a.id) === approvalId)?.status;
  }

  async list(s: ClassicRelease, limit: number, model?: string): Promise<ReleaseInfo[]> {
    return (await this.search(s, limit, model)).releases;
  }

  /**
   * Newest first, in one round of requests side by side (classic-search.ts). A search that may
   * need more than the newest page reads the definition first, for the id of its newest release.
   */
  async search(s: ClassicRelease, want: number, model?: string): Promise<{ releases: ReleaseInfo[]; complete: boolean; searched: number }> {
    const api = await this.conn.release();
    const deep = model !== undefined || want > SEARCH_PAGE;
    const def = deep ? await this.currentDefinition(s) : { id: await this.definitionId(s), lastReleaseId: undefined };
    const found = await searchReleases({
      newestId: def.lastReleaseId,
      read: (what, top, ids) => this.call(`listing releases of ${s.definition}${what}`, () => api.getReleases(
        this.deps.project, def.id, undefined, undefined, undefined, undefined, undefined, undefined, undefined,
        ReleaseQueryOrder.Descending, top, undefined, ReleaseExpands.Environments | ReleaseExpands.Variables | ReleaseExpands.Approvals,
        undefined, undefined, undefined, undefined, undefined, undefined, undefined, ids)).then((r) => r ?? []),
    });
    const releases = found.releases.filter((r) => !model || varValue(r, s.variables.modelName)?.toLowerCase() === model.toLowerCase()).map((r) => infoOf(r, s));
    return { releases, complete: found.complete, searched: found.searched };
  }

  /** The definition as it is now, with the id of its newest release (the definition cache refreshed). */
  private async currentDefinition(s: ClassicRelease): Promise<DefinitionInfo & { lastReleaseId?: number }> {
    const api = await this.conn.release();
    const numeric = /^\d+$/.test(s.definition);
    const defs = await this.call(`reading release definition ${s.definition}`, () => api.getReleaseDefinitions(
      this.deps.project, numeric ? undefined : s.definition, ReleaseDefinitionExpands.Environments | ReleaseDefinitionExpands.LastRelease,
      undefined, undefined, undefined, undefined, undefined, undefined, numeric ? undefined : true, undefined, undefined, numeric ? [s.definition] : undefined));
    const found = (defs ?? []).find((d) => (numeric ? String(d.id) === s.definition : d.name?.toLowerCase() === s.definition.toLowerCase()));
    if (!found?.id) {
      throw new BotError('upstream_not_found', `There is no release definition "${s.definition}" in Azure DevOps project ${this.deps.project}.`, {
        remedy: 'Check release.definition in the configuration.', details: { definition: s.definition },
      });
    }
    const info = { id: found.id, stages: stagesOf(found.environments) };
    this.definitions.set(s.definition.toLowerCase(), Promise.resolve(info));
    return { ...info, ...(found.lastRelease?.id !== undefined ? { lastReleaseId: found.lastRelease.id } : {}) };
  }
}

/** Release ids per batched status read. */
const BATCH = 100;

function infoOf(r: Release, s: ClassicRelease): ReleaseInfo {
  return {
    ref: refOf(r),
    ...(varValue(r, s.variables.modelName) ? { modelName: varValue(r, s.variables.modelName) } : {}),
    ...(varValue(r, s.variables.modelVersion) ? { modelVersion: varValue(r, s.variables.modelVersion) } : {}),
    ...(r.createdOn ? { createdAt: new Date(r.createdOn) } : {}),
    stages: (r.environments ?? []).map((e) => ({ name: e.name ?? '', state: environmentStageState(e) })),
  };
}
