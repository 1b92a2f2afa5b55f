/** Releases over Azure DevOps: classic releases or YAML pipeline runs, as each environment says. */
import { BotError } from '../../core/errors';
import type { ReleaseInfo, ReleaseRef, ReleaseStatus } from '../../core/models';
import type { Releases, StartReleaseInput } from '../../core/ports';
import { effectivePolicy, releasesOfEnv } from '../../core/policy/model-policy';
import type { BotSettings, EnvironmentSettings, ReleaseSettings } from '../../core/settings';
import { ClassicReleases } from './classic-releases';
import { DevOpsConnection } from './connection';
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

  async list(opts: { env?: string; model?: string; limit?: number }): Promise<ReleaseInfo[]> {
    const limit = opts.limit ?? 20;
    const envs = opts.env ? [this.environment(opts.env)] : this.opts.environments;
    const seen = new Set<string>();
    const out: ReleaseInfo[] = [];
    const releases = envs.flatMap((env) => releasesOfEnv(this.rules(), env));
    for (const s of releases) {
      // Several environments often share one definition (one stage each): read it once.
      const key = s.kind === 'classic' ? `classic:${s.definition.toLowerCase()}` : `pipeline:${s.pipeline.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(...(s.kind === 'classic' ? await this.classic.list(s, limit, opts.model) : await this.pipelines.list(s, limit, opts.model)));
    }
    out.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
    return out.slice(0, limit);
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
