import { BotError } from '../../src/core/errors';
import type { ScheduleSpec, ServicePrincipalPlan, ServicePrincipalResult, ServicePrincipalSurvey } from '../../src/core/models';
import type { IdentityAdmin, Schedules } from '../../src/core/ports';

export class FakeSchedules implements Schedules {
  readonly byEnv = new Map<string, Map<string, ScheduleSpec>>();
  constructor(private readonly endpoints: string[] = ['taxi-batch'], readonly jobs: Record<string, string> = { 'taxi-training-pipeline': 'Pipeline', 'train-taxi-model-1': 'Command' }) {}
  async list(env: string): Promise<ScheduleSpec[]> { return [...this.env(env).values()]; }
  async get(env: string, name: string): Promise<ScheduleSpec | null> { return this.env(env).get(name) ?? null; }
  async upsert(env: string, spec: ScheduleSpec): Promise<ScheduleSpec> { this.env(env).set(spec.name, spec); return spec; }
  async setEnabled(env: string, name: string, enabled: boolean): Promise<ScheduleSpec | null> {
    const s = this.env(env).get(name);
    if (!s) return null;
    s.enabled = enabled;
    return s;
  }
  async delete(env: string, name: string): Promise<boolean> { return this.env(env).delete(name); }
  async listBatchEndpoints(): Promise<string[]> { return [...this.endpoints]; }
  async jobType(_env: string, name: string): Promise<string | null> { return this.jobs[name] ?? null; }
  async listPipelineJobs(_env: string, limit: number): Promise<string[]> { return Object.keys(this.jobs).filter((j) => this.jobs[j] === 'Pipeline').slice(0, limit); }
  private env(env: string): Map<string, ScheduleSpec> {
    let m = this.byEnv.get(env);
    if (!m) { m = new Map(); this.byEnv.set(env, m); }
    return m;
  }
}

/** Remembers what exists, so a second run reports `existed`. */
export class FakeIdentityAdmin implements IdentityAdmin {
  readonly existing = new Set<string>();
  /** Roles the fake knows at any scope; anything else is refused like ARM would. */
  readonly roles = new Set(['Contributor', 'Reader', 'Owner', 'Custom (ops)']);
  async survey(plan: ServicePrincipalPlan): Promise<ServicePrincipalSurvey> {
    if (!this.roles.has(plan.role)) throw new BotError('usage', `No role '${plan.role}' exists at /${plan.scope}.`);
    const existing = (['application', 'service_principal', 'role_assignment', 'service_connection'] as const).filter((s) => this.existing.has(`${plan.applicationName}/${s}`));
    return { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${plan.role}`, existing: [...existing], blockers: [] };
  }
  async ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult> {
    const steps = (['application', 'service_principal', 'role_assignment', 'service_connection'] as const).map((step) => {
      const key = `${plan.applicationName}/${step}`;
      const state = this.existing.has(key) ? ('existed' as const) : ('created' as const);
      this.existing.add(key);
      return { step, state };
    });
    return { plan, steps, appId: `app-${plan.applicationName}`, complete: true };
  }
}
