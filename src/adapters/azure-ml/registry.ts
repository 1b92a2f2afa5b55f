/** ModelRegistry over @azure/arm-machinelearning (models, versions, jobs) and MLflow (metrics). */
import type { ModelVersion } from '@azure/arm-machinelearning';
import { mlSdk } from './sdk';
import type { TokenCredential } from '@azure/identity';
import { BotError } from '../../core/errors';
import type { JobInfo, MetricsByRun, ModelSummary, ModelVersionInfo } from '../../core/models';
import type { ModelRegistry } from '../../core/ports';
import { ArmClients, type WorkspaceHandle } from './arm-client';
import { armCall } from './arm-errors';
import { jobsSince, listJobs, toJobInfo } from './jobs';
import { getMetrics } from './metrics';
import { TrackingUris } from './mlflow-client';
import { newestFirst, toModelSummary, toModelVersionInfo } from './model-mapping';
import type { AzureMlOptions } from './options';

export class AzureMlRegistry implements ModelRegistry {
  private readonly arm: ArmClients;
  private readonly uris = new TrackingUris();
  private readonly maxJobPages: number;

  constructor(credential: TokenCredential, opts: AzureMlOptions) {
    this.arm = new ArmClients(credential, opts);
    this.maxJobPages = opts.maxJobPages ?? 5;
  }

  async listModels(env: string): Promise<ModelSummary[]> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing models'), async () => {
      const out: ModelSummary[] = [];
      for await (const c of h.client.modelContainers.list(h.ws.resourceGroup, h.ws.name, h.op)) out.push(toModelSummary(c));
      return out;
    });
  }

  async pageModels(env: string, count: number): Promise<{ models: ModelSummary[]; more: boolean }> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing models'), async () => {
      // `count` is the page size; only the first page is read.
      for await (const page of h.client.modelContainers.list(h.ws.resourceGroup, h.ws.name, { ...h.op, count }).byPage()) {
        return { models: page.map(toModelSummary), more: Boolean(mlSdk().getContinuationToken(page)) };
      }
      return { models: [], more: false };
    });
  }

  async recentVersions(env: string, model: string, top: number): Promise<{ versions: ModelVersionInfo[]; more: boolean } | null> {
    const h = this.arm.workspace(env);
    const page = await armCall(h.ctx(`listing versions of model ${model}`), async () => {
      const pages = h.client.modelVersions.list(h.ws.resourceGroup, h.ws.name, model, { ...h.op, orderBy: 'createdtime desc', top });
      for await (const p of pages.byPage()) {
        return { versions: p.map((v) => toModelVersionInfo(model, v)), more: Boolean(mlSdk().getContinuationToken(p)) };
      }
      return { versions: [], more: false };
    }, 'null');
    if (page === null) return null;
    if (page.versions.length === 0 && !(await this.modelExists(h, model))) return null;
    return { versions: page.versions.sort(newestFirst).slice(0, top), more: page.more || page.versions.length > top };
  }

  async listVersions(env: string, model: string): Promise<ModelVersionInfo[] | null> {
    const h = this.arm.workspace(env);
    const versions = await armCall(h.ctx(`listing versions of model ${model}`), async () => {
      const out: ModelVersionInfo[] = [];
      const pages = h.client.modelVersions.list(h.ws.resourceGroup, h.ws.name, model, { ...h.op, orderBy: 'createdtime desc' });
      for await (const v of pages) out.push(toModelVersionInfo(model, v));
      return out;
    }, 'null');
    if (versions === null) return null;
    // An empty list does not tell a missing model from one without versions.
    if (versions.length === 0 && !(await this.modelExists(h, model))) return null;
    return versions.sort(newestFirst);
  }

  async getVersion(env: string, model: string, version: string): Promise<ModelVersionInfo | null> {
    const h = this.arm.workspace(env);
    const v = await armCall(h.ctx(`reading version ${version} of model ${model}`),
      () => h.client.modelVersions.get(h.ws.resourceGroup, h.ws.name, model, version, h.op), 'null');
    return v ? toModelVersionInfo(model, v) : null;
  }

  async prepareMetrics(env: string): Promise<void> {
    await this.uris.get(this.arm.workspace(env)).catch(() => undefined);
  }

  getMetrics(env: string, runIds: string[]): Promise<MetricsByRun> {
    return getMetrics(this.arm.workspace(env), this.uris, runIds);
  }

  async tagVersion(env: string, model: string, version: string, tags: Record<string, string>): Promise<void> {
    const h = this.arm.workspace(env);
    const ctx = h.ctx(`tagging version ${version} of model ${model}`);
    const current = await armCall(ctx, () => h.client.modelVersions.get(h.ws.resourceGroup, h.ws.name, model, version, h.op), 'null');
    if (!current) {
      throw new BotError('unknown_version', `Model ${model} has no version ${version} in ${h.env}.`, {
        remedy: `List the versions with \`model ${model} --env ${h.env}\`.`, details: { env: h.env, model, version },
      });
    }
    const merged: ModelVersion = {
      properties: { ...current.properties, tags: { ...(current.properties.tags ?? {}), ...tags } },
    };
    await armCall(ctx, () => h.client.modelVersions.createOrUpdate(h.ws.resourceGroup, h.ws.name, model, version, merged, h.op));
  }

  listJobs(env: string, opts: { since?: Date; limit?: number }): Promise<JobInfo[]> {
    return listJobs(this.arm.workspace(env), { ...opts, maxPages: this.maxJobPages });
  }

  jobsSince(env: string, since: Date, maxPages: number): Promise<{ jobs: JobInfo[]; complete: boolean }> {
    return jobsSince(this.arm.workspace(env), since, maxPages);
  }

  async getJob(env: string, name: string): Promise<JobInfo | null> {
    const h = this.arm.workspace(env);
    const job = await armCall(h.ctx(`reading job ${name}`), () => h.client.jobs.get(h.ws.resourceGroup, h.ws.name, name, h.op), 'null');
    return job ? toJobInfo(job) : null;
  }

  private async modelExists(h: WorkspaceHandle, model: string): Promise<boolean> {
    const c = await armCall(h.ctx(`reading model ${model}`),
      () => h.client.modelContainers.get(h.ws.resourceGroup, h.ws.name, model, h.op), 'null');
    return c !== null;
  }
}
