/** Releases over Azure DevOps: classic releases or YAML pipeline runs, as each environment says. */
import { BotError } from '../../core/errors';
import type { ReleaseInfo, ReleaseRef, ReleaseStatus } from '../../core/models';
import type { DelegatedToken, HumanDecision, Releases, ReleaseSearch, StartReleaseInput } from '../../core/ports';
import { effectivePolicy, releasesOfEnv } from '../../core/policy/model-policy';
import type { BotSettings, EnvironmentSettings, ReleaseSettings } from '../../core/settings';
import { ClassicReleases } from './classic-releases';
import { DevOpsConnection } from './connection';
import { asHumanDecision } from './human-refusal';
import { type AdoDeps, DEFAULT_DEVOPS_RETRY, DEFAULT_DEVOPS_TIMEOUT_MS, type DevOpsOptions } from './options';
import { PipelineApprovals } from './pipeline-approvals';
import { PipelineRuns } from './pipeline-runs';

export class DevOpsReleases implements Releases {
  private readonly classic: ClassicReleases;
  private readonly pipelines: PipelineRuns;

  constructor(private readonly opts: DevOpsOptions) {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_DEVOPS_TIMEOUT_MS;
    const conn = new DevOpsConnection(opts.orgUrl, opts.auth, timeoutMs);
    const deps: AdoDeps = {
      project: opts.project, retry: { ...DEFAULT_DEVOPS_RETRY, ...opts.retry }, log: opts.log, idempotencyWindow: opts.idempotencyWindow ?? 25,
    };
    this.classic = new ClassicReleases(conn, deps);
    this.pipelines = new PipelineRuns(conn, deps, new PipelineApprovals(conn, deps, timeoutMs));
  }

  async start(input: StartReleaseInput): Promise<ReleaseRef> {
    const s = this.settings(input.env, undefined, input.model);
    return s.kind === 'classic' ? this.classic.start(s, input) : this.pipelines.start(s, input);
  }

  async status(env: string, ref: ReleaseRef, model?: string): Promise<ReleaseStatus> {
    const s = this.settings(env, ref, model);
    return s.kind === 'classic' ? this.classic.status(s, ref) : this.pipelines.status(s, ref);
  }

  async decide(env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, model?: string): Promise<void> {
    const s = this.settings(env, ref, model);
    return s.kind === 'classic' ? this.classic.decide(ref, approvalId, decision, comment) : this.pipelines.decide(ref, approvalId, decision, comment);
  }

  async decideAs(user: DelegatedToken, env: string, ref: ReleaseRef, approvalId: string, decision: 'approved' | 'rejected', comment: string, model?: string): Promise<HumanDecision> {
    const s = this.settings(env, ref, model);
    return asHumanDecision(() => (s.kind === 'classic' ? this.classic.decide(ref, approvalId, decision, comment, user) : this.pipelines.decide(ref, approvalId, decision, comment, user)));
  }

  async list(opts: { env?: string; model?: string; limit?: number }): Promise<ReleaseInfo[]> {
    const limit = opts.limit ?? 20;
    return (await this.search({ ...opts, want: limit })).releases.slice(0, limit);
  }

  async search(opts: { env?: string; model?: string; want: number }): Promise<ReleaseSearch> {
    const envs = opts.env ? [this.environment(opts.env)] : this.opts.environments;
    // Several environments (and model rules) often share one definition (one stage each): read it once.
    const sources = new Map<string, ReleaseSettings>();
    for (const s of envs.flatMap((env) => releasesOfEnv(this.rules(), env))) {
      sources.set(s.kind === 'classic' ? `classic:${s.definition.toLowerCase()}` : `pipeline:${s.pipeline.toLowerCase()}`, s);
    }
    const found = await Promise.all([...sources.values()].map((s) => (s.kind === 'classic' ? this.classic.search(s, opts.want, opts.model) : this.pipelines.search(s, opts.want, opts.model))));
    const releases = found.flatMap((f) => f.releases).sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return { releases, complete: found.every((f) => f.complete), searched: found.reduce((n, f) => n + f.searched, 0) };
  }

  async statuses(env: string, items: { ref: ReleaseRef; model?: string }[]): Promise<Map<number, ReleaseStatus | Error>> {
    const out = new Map<number, ReleaseStatus | Error>();
    // One batch per release definition or pipeline (model rules may give some models their own).
    const groups = new Map<string, { s: ReleaseSettings; refs: ReleaseRef[] }>();
    for (const { ref, model } of items) {
      try {
        const s = this.settings(env, ref, model);
        const key = s.kind === 'classic' ? `classic:${s.definition.toLowerCase()}:${s.stage.toLowerCase()}` : `pipeline:${s.pipeline.toLowerCase()}:${s.environment.toLowerCase()}:${s.stage ?? ''}`;
        const group = groups.get(key) ?? { s, refs: [] };
        group.refs.push(ref);
        groups.set(key, group);
      } catch (e) {
        out.set(ref.id, e as Error);
      }
    }
    await Promise.all([...groups.values()].map(async ({ s, refs }) => {
      const got = s.kind === 'classic' ? await this.classic.statuses(s, refs) : await this.pipelines.statuses(s, refs);
      for (const [id, st] of got) out.set(id, st);
    }));
    return out;
  }

  private environment(env: string): EnvironmentSettings {
    const found = this.opts.environments.find((e) => e.name.toLowerCase() === env.toLowerCase());
    if (!found) {
      throw new BotError('unknown_env', `There is no environment named "${env}".`, { remedy: `Use one of: ${this.opts.environments.map((e) => e.name).join(', ')}.` });
    }
    return found;
  }

  /** The models' rules in the shape the policy reads. */
  private rules(): Pick<BotSettings, 'models'> {
    return { models: this.opts.models };
  }

  /** The release of `model` in `env`: a model rule's when one sets it (DESIGN §9.1), else the environment's. */
  private settings(env: string, ref?: ReleaseRef, model?: string): ReleaseSettings {
    const e = this.environment(env);
    const release = model === undefined ? e.release : effectivePolicy(this.rules(), model, e).release;
    if (!release) {
      throw new BotError('config_invalid', `Environment ${e.name} has no release settings${model ? ` for ${model}` : ''}.`, { remedy: `Add release: to environment ${e.name}, or to the model rule for ${model ?? 'the model'}, in the configuration.` });
    }
    if (ref && ref.kind !== release.kind) {
      throw new BotError('invalid_state', `Release ${ref.id} is a ${ref.kind} release but ${model ? `${model} in ` : ''}${e.name} now uses ${release.kind}.`, { details: { env: e.name, ref } });
    }
    return release;
  }
}
