/** Schedules: list (listViewType), get, create/update (long-running), delete (long-running). */
import { armError, armRoute, asRecord, envelope, notFound, sendPage, stringMap, systemData, touched, WS_PATH } from './arm-common';
import { asyncOperationHeader } from './arm-ml-workspace';
import type { EmulatorContext } from './context';
import type { Ctx, Router } from './router';
import { queryParam, sendJson } from './router';
import type { ArmRecord, WorkspaceState } from './state';

const FREQUENCIES = ['minute', 'hour', 'day', 'week', 'month'];

function validate(props: Record<string, unknown>): string | undefined {
  const trigger = asRecord(props['trigger']);
  const action = asRecord(props['action']);
  const triggerType = String(trigger['triggerType'] ?? '');
  if (triggerType === 'Recurrence') {
    if (!FREQUENCIES.includes(String(trigger['frequency']).toLowerCase())) return 'trigger.frequency must be Minute, Hour, Day, Week or Month.';
    if (!Number.isInteger(trigger['interval']) || (trigger['interval'] as number) < 1) return 'trigger.interval must be a positive integer.';
    const schedule = trigger['schedule'];
    if (schedule !== undefined && schedule !== null) {
      const s = asRecord(schedule);
      if (!Array.isArray(s['hours']) || !Array.isArray(s['minutes'])) return 'trigger.schedule needs both hours and minutes.';
    }
  } else if (triggerType === 'Cron') {
    if (String(trigger['expression'] ?? '').trim().split(/\s+/).length !== 5) return 'trigger.expression must be a 5-field NCrontab expression.';
  } else {
    return 'trigger.triggerType must be Recurrence or Cron.';
  }
  for (const key of ['startTime', 'endTime']) {
    const value = trigger[key];
    if (typeof value === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(value)) return `trigger.${key} must not carry a UTC offset; use trigger.timeZone.`;
  }
  const actionType = String(action['actionType'] ?? '');
  if (actionType === 'CreateJob' && !action['jobDefinition']) return 'action.jobDefinition is required for CreateJob.';
  if (actionType === 'InvokeBatchEndpoint' && !action['endpointInvocationDefinition']) return 'action.endpointInvocationDefinition is required for InvokeBatchEndpoint.';
  if (!['CreateJob', 'InvokeBatchEndpoint'].includes(actionType)) return 'action.actionType must be CreateJob or InvokeBatchEndpoint.';
  return undefined;
}

function putSchedule(ctx: Ctx, emu: EmulatorContext, ws: WorkspaceState, wsId: string): void {
  const name = ctx.params['name'] ?? '';
  const props = asRecord(asRecord(ctx.body)['properties']);
  const problem = validate(props);
  if (problem) return armError(ctx, 400, 'UserError', problem);
  const now = emu.clock.now().toISOString();
  const existing = ws.schedules[name];
  const stored: ArmRecord = {
    properties: {
      description: props['description'] ?? null, tags: stringMap(props['tags']), properties: stringMap(props['properties']),
      displayName: props['displayName'] ?? name, isEnabled: props['isEnabled'] !== false,
      trigger: props['trigger'], action: props['action'], provisioningState: 'Succeeded',
    },
    systemData: existing ? touched(existing.systemData, now) : systemData(now, 'mlops-bot'),
  };
  ws.schedules[name] = stored;
  const headers = asyncOperationHeader(emu, ws);
  emu.persist();
  const inFlight: ArmRecord = { ...stored, properties: { ...stored.properties, provisioningState: existing ? 'Updating' : 'Creating' } };
  sendJson(ctx.res, existing ? 200 : 201, envelope(wsId, 'schedules', 'workspaces/schedules', name, inFlight), headers);
}

export function registerScheduleRoutes(router: Router, emu: EmulatorContext): void {
  router.add('GET', `${WS_PATH}/schedules`, armRoute(emu, (ctx, ws, wsId) => {
    const view = (queryParam(ctx.query, 'listViewType') ?? 'EnabledOnly').toLowerCase();
    const items = Object.entries(ws.schedules)
      .filter(([, s]) => view === 'all' || (view === 'disabledonly' ? s.properties['isEnabled'] === false : s.properties['isEnabled'] !== false))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, s]) => envelope(wsId, 'schedules', 'workspaces/schedules', name, s));
    sendPage(ctx, emu, items);
  }));
  router.add('GET', `${WS_PATH}/schedules/:name`, armRoute(emu, (ctx, ws, wsId) => {
    const name = ctx.params['name'] ?? '';
    const s = ws.schedules[name];
    if (!s) return notFound(ctx, 'Schedule', name);
    sendJson(ctx.res, 200, envelope(wsId, 'schedules', 'workspaces/schedules', name, s));
  }));
  router.add('PUT', `${WS_PATH}/schedules/:name`, armRoute(emu, (ctx, ws, wsId) => putSchedule(ctx, emu, ws, wsId)));
  router.add('DELETE', `${WS_PATH}/schedules/:name`, armRoute(emu, (ctx, ws) => {
    const name = ctx.params['name'] ?? '';
    if (!ws.schedules[name]) return sendJson(ctx.res, 204, undefined);
    delete ws.schedules[name];
    const headers = asyncOperationHeader(emu, ws);
    emu.persist();
    sendJson(ctx.res, 202, undefined, headers);
  }));
}
