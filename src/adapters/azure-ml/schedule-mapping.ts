/**
 * ScheduleSpec ↔ ARM Schedule. Batch invocations carry the batch invoke body as
 * `endpointInvocationDefinition` (the spec leaves that object free-form) and name the endpoint in the
 * schedule's own `properties`, so a schedule read back shows which endpoint it runs.
 */
import type { Schedule, TriggerBaseUnion, ScheduleActionBaseUnion, RecurrenceSchedule } from '@azure/arm-machinelearning';
import type { ScheduleSpec } from '../../core/models';
import { toIanaTimeZone, toWindowsTimeZone } from './time-zones';

export const ENDPOINT_PROPERTY = 'mlops.batchEndpoint';
export const ENDPOINT_ID_PROPERTY = 'mlops.batchEndpointId';
/** Name of the single input of model deployments in the invoke body. */
export const INPUT_NAME = 'input_data';

type RecurrenceSpec = Extract<ScheduleSpec['trigger'], { type: 'recurrence' }>;
const FREQ_OUT: Record<RecurrenceSpec['frequency'], string> = { minute: 'Minute', hour: 'Hour', day: 'Day', week: 'Week', month: 'Month' };
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const capitalDay = (d: string): string => DAYS.find((full) => full.toLowerCase().startsWith(d.trim().toLowerCase().slice(0, 3))) ?? d;

export function invokeBody(input: string | undefined): Record<string, unknown> {
  if (!input) return { properties: {} };
  const kind = input.endsWith('/') || !/\.[A-Za-z0-9]{1,8}$/.test(input) ? 'UriFolder' : 'UriFile';
  return { properties: { InputData: { [INPUT_NAME]: { JobInputType: kind, Uri: input } } } };
}

function toTrigger(spec: ScheduleSpec): TriggerBaseUnion {
  const timeZone = toWindowsTimeZone(spec.timeZone);
  const t = spec.trigger;
  if (t.type === 'cron') return { triggerType: 'Cron', expression: t.expression, timeZone };
  const timed = t.frequency === 'day' || t.frequency === 'week' || t.frequency === 'month';
  const wantsSchedule = timed && (t.hours?.length || t.minutes?.length || t.weekDays?.length || t.monthDays?.length);
  const schedule: RecurrenceSchedule | undefined = wantsSchedule
    ? { hours: t.hours?.length ? t.hours : [0], minutes: t.minutes?.length ? t.minutes : [0], ...(t.weekDays?.length ? { weekDays: t.weekDays.map(capitalDay) } : {}), ...(t.monthDays?.length ? { monthDays: t.monthDays } : {}) }
    : undefined;
  return { triggerType: 'Recurrence', frequency: FREQ_OUT[t.frequency], interval: t.interval, timeZone, ...(schedule ? { schedule } : {}) };
}

export function toArmSchedule(spec: ScheduleSpec, workspaceId: string): Schedule {
  const a = spec.action;
  const action: ScheduleActionBaseUnion = a.type === 'invoke_batch_endpoint'
    ? { actionType: 'InvokeBatchEndpoint', endpointInvocationDefinition: invokeBody(a.input) }
    : { actionType: 'CreateJob', jobDefinition: { jobType: 'Pipeline', sourceJobId: a.job.startsWith('/') ? a.job : `${workspaceId}/jobs/${a.job}` } };
  const properties: Record<string, string> = a.type === 'invoke_batch_endpoint'
    ? { [ENDPOINT_PROPERTY]: a.endpoint, [ENDPOINT_ID_PROPERTY]: `${workspaceId}/batchEndpoints/${a.endpoint}` }
    : {};
  return {
    properties: {
      ...(spec.displayName ? { displayName: spec.displayName } : {}),
      ...(spec.description ? { description: spec.description } : {}),
      isEnabled: spec.enabled,
      tags: { 'created-by': 'mlops-bot' },
      properties,
      trigger: toTrigger(spec),
      action,
    },
  };
}

function fromTrigger(t: TriggerBaseUnion): ScheduleSpec['trigger'] {
  if (t.triggerType === 'Cron') return { type: 'cron', expression: (t as { expression?: string }).expression ?? '' };
  const r = t as { frequency?: string; interval?: number; schedule?: RecurrenceSchedule };
  const frequency = (r.frequency ?? 'day').toLowerCase() as RecurrenceSpec['frequency'];
  return {
    type: 'recurrence', frequency, interval: r.interval ?? 1,
    ...(r.schedule?.hours?.length ? { hours: r.schedule.hours } : {}),
    ...(r.schedule?.minutes?.length ? { minutes: r.schedule.minutes } : {}),
    ...(r.schedule?.weekDays?.length ? { weekDays: r.schedule.weekDays } : {}),
    ...(r.schedule?.monthDays?.length ? { monthDays: r.schedule.monthDays } : {}),
  };
}

function fromAction(action: ScheduleActionBaseUnion, props: Record<string, string | null>): ScheduleSpec['action'] {
  if (action.actionType === 'InvokeBatchEndpoint') {
    const def = (action as { endpointInvocationDefinition?: Record<string, unknown> }).endpointInvocationDefinition ?? {};
    const inputs = ((def.properties as Record<string, unknown> | undefined)?.InputData ?? {}) as Record<string, { Uri?: string }>;
    const input = Object.values(inputs).find((i) => i && typeof i.Uri === 'string')?.Uri;
    const endpoint = props[ENDPOINT_PROPERTY] ?? props[ENDPOINT_ID_PROPERTY]?.split('/').pop() ?? '';
    return { type: 'invoke_batch_endpoint', endpoint, ...(input ? { input } : {}) };
  }
  const job = (action as { jobDefinition?: { sourceJobId?: string; displayName?: string; jobType?: string } }).jobDefinition ?? {};
  return { type: 'create_pipeline_job', job: job.sourceJobId?.split('/').pop() ?? job.displayName ?? job.jobType ?? action.actionType };
}

export function fromArmSchedule(s: Schedule): ScheduleSpec {
  const p = s.properties;
  return {
    name: s.name ?? '',
    ...(p.displayName ? { displayName: p.displayName } : {}),
    ...(p.description ? { description: p.description } : {}),
    enabled: p.isEnabled ?? true,
    trigger: fromTrigger(p.trigger),
    timeZone: toIanaTimeZone(p.trigger.timeZone),
    action: fromAction(p.action, (p.properties ?? {}) as Record<string, string | null>),
  };
}
