/** Schedules over @azure/arm-machinelearning: Azure ML schedules and batch endpoints. */
import type { Schedule } from '@azure/arm-machinelearning';
import type { TokenCredential } from '@azure/identity';
import { BotError } from '../../core/errors';
import type { ScheduleSpec } from '../../core/models';
import type { Schedules } from '../../core/ports';
import { ArmClients } from './arm-client';
import { armCall, invalidAnswer } from './arm-errors';
import type { AzureMlOptions } from './options';
import { fromArmSchedule, toArmSchedule } from './schedule-mapping';

export class AzureMlSchedules implements Schedules {
  private readonly arm: ArmClients;
  private readonly pollMs: number;

  constructor(credential: TokenCredential, opts: AzureMlOptions) {
    this.arm = new ArmClients(credential, opts);
    this.pollMs = opts.lroPollIntervalMs ?? 2000;
  }

  async list(env: string): Promise<ScheduleSpec[]> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing schedules'), async () => {
      const out: ScheduleSpec[] = [];
      for await (const s of h.client.schedules.list(h.ws.resourceGroup, h.ws.name, { ...h.op, listViewType: 'All' })) {
        out.push(fromArmSchedule(s));
      }
      return out;
    });
  }

  async get(env: string, name: string): Promise<ScheduleSpec | null> {
    const s = await this.read(env, name);
    return s ? fromArmSchedule(s) : null;
  }

  async upsert(env: string, spec: ScheduleSpec): Promise<ScheduleSpec> {
    const h = this.arm.workspace(env);
    const body = toArmSchedule(spec, this.arm.workspaceId(h.ws));
    return fromArmSchedule(await this.put(env, spec.name, body));
  }

  async setEnabled(env: string, name: string, enabled: boolean): Promise<ScheduleSpec | null> {
    const current = await this.read(env, name);
    if (!current) return null;
    if ((current.properties.isEnabled ?? true) === enabled) return fromArmSchedule(current);
    // No enable/disable operation exists: the whole schedule goes back with the flag flipped.
    const body: Schedule = { properties: { ...current.properties, isEnabled: enabled } };
    return fromArmSchedule(await this.put(env, name, body));
  }

  async delete(env: string, name: string): Promise<boolean> {
    const h = this.arm.workspace(env);
    const ctx = h.ctx(`deleting schedule ${name}`);
    const existing = await this.read(env, name);
    if (!existing) return false;
    await armCall(ctx, () => h.client.schedules.beginDeleteAndWait(h.ws.resourceGroup, h.ws.name, name, { ...h.op, updateIntervalInMs: this.pollMs }));
    return true;
  }

  async listBatchEndpoints(env: string): Promise<string[]> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing batch endpoints'), async () => {
      const names: string[] = [];
      for await (const e of h.client.batchEndpoints.list(h.ws.resourceGroup, h.ws.name, h.op)) if (e.name) names.push(e.name);
      return names;
    });
  }

  async jobType(env: string, name: string): Promise<string | null> {
    const h = this.arm.workspace(env);
    const job = await armCall(h.ctx(`reading job ${name}`), () => h.client.jobs.get(h.ws.resourceGroup, h.ws.name, name, h.op), 'null');
    return job ? job.properties.jobType : null;
  }

  async listPipelineJobs(env: string, limit: number): Promise<string[]> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx('listing pipeline jobs'), async () => {
      const names: string[] = [];
      // One page is enough for a hint; the list is newest first.
      for await (const page of h.client.jobs.list(h.ws.resourceGroup, h.ws.name, { ...h.op, jobType: 'Pipeline' }).byPage()) {
        for (const j of page) if (j.name && names.length < limit) names.push(j.name);
        break;
      }
      return names;
    });
  }

  private async read(env: string, name: string): Promise<Schedule | null> {
    const h = this.arm.workspace(env);
    return armCall(h.ctx(`reading schedule ${name}`), () => h.client.schedules.get(h.ws.resourceGroup, h.ws.name, name, h.op), 'null');
  }

  private async put(env: string, name: string, body: Schedule): Promise<Schedule> {
    const h = this.arm.workspace(env);
    const ctx = h.ctx(`saving schedule ${name}`);
    const saved = await armCall(ctx, () => h.client.schedules.beginCreateOrUpdateAndWait(
      h.ws.resourceGroup, h.ws.name, name, body, { ...h.op, updateIntervalInMs: this.pollMs }));
    const state = saved.properties?.provisioningState;
    if (state && state !== 'Succeeded') {
      // Never report a schedule as saved when Azure says otherwise.
      throw new BotError('upstream_unavailable', `Azure ML did not save schedule ${name} (provisioning state ${state}).`, {
        remedy: 'Check the schedule in Azure ML studio and try again.', details: { env: h.env, name, state },
      });
    }
    if (!saved.properties?.trigger || !saved.properties.action) throw invalidAnswer(ctx, { reason: 'schedule without trigger/action' });
    return saved;
  }
}
