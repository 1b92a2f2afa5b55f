import type { JobInfo, MetricsByRun, ModelSummary, ModelVersionInfo } from '../../src/core/models';
import type { ModelRegistry } from '../../src/core/ports';

interface EnvData { versions: ModelVersionInfo[]; jobs: JobInfo[] }

/** A model registry held in memory, per environment; counts metric round trips. */
export class FakeRegistry implements ModelRegistry {
  readonly envs = new Map<string, EnvData>();
  readonly metrics: MetricsByRun = {};
  metricCalls = 0;
  tagCalls: { env: string; model: string; version: string; tags: Record<string, string> }[] = [];

  addVersion(env: string, v: Partial<ModelVersionInfo> & { name: string; version: string }, metrics?: Record<string, number>): this {
    const jobName = v.jobName ?? `job-${v.name}-${v.version}`;
    this.data(env).versions.push({ tags: {}, createdAt: new Date(Date.UTC(2026, 9, Number(v.version))), ...v, jobName });
    if (metrics) this.metrics[jobName] = metrics;
    return this;
  }
  addJob(env: string, job: JobInfo): this { this.data(env).jobs.push(job); return this; }

  async listModels(env: string): Promise<ModelSummary[]> {
    const byName = new Map<string, ModelVersionInfo[]>();
    for (const v of this.data(env).versions) byName.set(v.name, [...(byName.get(v.name) ?? []), v]);
    return [...byName.entries()].map(([name, vs]) => {
      const latest = newestFirst(vs)[0];
      return { name, latestVersion: latest?.version ?? null, tags: {}, updatedAt: latest?.createdAt };
    });
  }
  async pageModels(env: string, count: number): Promise<{ models: ModelSummary[]; more: boolean }> {
    const all = (await this.listModels(env)).sort((a, b) => a.name.localeCompare(b.name));
    return { models: all.slice(0, count), more: all.length > count };
  }
  async recentVersions(env: string, model: string, top: number): Promise<{ versions: ModelVersionInfo[]; more: boolean } | null> {
    const all = await this.listVersions(env, model);
    return all === null ? null : { versions: all.slice(0, top), more: all.length > top };
  }
  async jobsSince(env: string, since: Date, _maxPages: number): Promise<{ jobs: JobInfo[]; complete: boolean }> {
    return { jobs: await this.listJobs(env, { since, limit: 100_000 }), complete: true };
  }
  async listVersions(env: string, model: string): Promise<ModelVersionInfo[] | null> {
    const vs = this.data(env).versions.filter((v) => v.name === model);
    return vs.length === 0 ? null : newestFirst(vs).map((v) => ({ ...v, tags: { ...v.tags } }));
  }
  async getVersion(env: string, model: string, version: string): Promise<ModelVersionInfo | null> {
    const v = this.data(env).versions.find((x) => x.name === model && x.version === version);
    return v ? { ...v, tags: { ...v.tags } } : null;
  }
  async prepareMetrics(_env: string): Promise<void> {}
  async getMetrics(_env: string, runIds: string[]): Promise<MetricsByRun> {
    this.metricCalls++;
    return Object.fromEntries(runIds.filter((id) => this.metrics[id]).map((id) => [id, { ...this.metrics[id] }]));
  }
  async tagVersion(env: string, model: string, version: string, tags: Record<string, string>): Promise<void> {
    const v = this.data(env).versions.find((x) => x.name === model && x.version === version);
    if (!v) throw new Error(`no ${model}:${version} in ${env}`);
    v.tags = { ...v.tags, ...tags };
    this.tagCalls.push({ env, model, version, tags });
  }
  async listJobs(env: string, opts: { since?: Date; limit?: number }): Promise<JobInfo[]> {
    return this.data(env).jobs
      .filter((j) => !opts.since || (j.createdAt && j.createdAt >= opts.since))
      .slice(0, opts.limit ?? 100);
  }
  jobCalls = 0;
  async getJob(env: string, name: string): Promise<JobInfo | null> {
    this.jobCalls++;
    return this.data(env).jobs.find((j) => j.name === name) ?? null;
  }
  private data(env: string): EnvData {
    let d = this.envs.get(env);
    if (!d) { d = { versions: [], jobs: [] }; this.envs.set(env, d); }
    return d;
  }
}

function newestFirst(vs: ModelVersionInfo[]): ModelVersionInfo[] {
  return [...vs].sort((a, b) => Number(b.version) - Number(a.version));
}
