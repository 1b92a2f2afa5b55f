/**
 * Azure ML events (Event Grid or CloudEvents envelope, already unwrapped) → NormalisedEvent.
 * The docs samples mix casings (run events camelCase, model events PascalCase) and statuses
 * arrive in any case, so every read tolerates both.
 */
import type { BotSettings } from '../settings';
import { envOfWorkspace, parseWorkspaceId } from './environments';
import { excerpt, lower, obj, pick, str, type EventKind, type NormalisedEvent } from './event';
import type { RawEvent } from './eventgrid-envelope';
import { jobErrorText, modelOfTags, runTitle } from './run-facts';
import { runOutcomeKey } from './run-key';

const PREFIX = 'microsoft.machinelearningservices.';
const STUDIO = 'https://ml.azure.com';

const RUN_STATUS: Record<string, EventKind> = {
  failed: 'run_failed',
  // Azure ML lists NotResponding as an alerting state: the job is stuck, someone should look.
  notresponding: 'run_failed',
  completed: 'run_succeeded',
  finished: 'run_succeeded',
  canceled: 'run_canceled',
  cancelled: 'run_canceled',
  killed: 'run_canceled',
};

export function normaliseAzureMl(raw: RawEvent, settings: BotSettings): NormalisedEvent | null {
  const type = lower(raw.type);
  if (!type.startsWith(PREFIX)) return null;
  const short = type.slice(PREFIX.length);
  const data = obj(raw.data);
  const ws = parseWorkspaceId(raw.source) ?? parseWorkspaceId(raw.topic);
  const env = envOfWorkspace(settings, ws);
  const base = {
    id: `aml:${short}:${raw.id}`,
    source: 'azure-ml' as const,
    env: env?.name,
    workspace: ws?.name,
    occurredAt: raw.time ?? new Date(0).toISOString(),
  };
  const where = env ? ` in ${env.name}` : ws ? ` in ${ws.name}` : '';
  const wsid = ws ? `?wsid=${encodeURI(ws.armId)}` : '';

  if (short === 'runstatuschanged' || short === 'runcompleted') {
    const status = str(pick(data, 'runStatus')) ?? (short === 'runcompleted' ? 'Completed' : undefined);
    const kind = status ? RUN_STATUS[lower(status)] : undefined;
    if (!kind) return null; // non-terminal states are not notifications
    const runId = str(pick(data, 'runId')) ?? raw.subject?.split('/').pop() ?? raw.id;
    const tags = obj(pick(data, 'runTags'));
    const experiment = str(pick(data, 'experimentName'));
    const dedupeKey = ws ? runOutcomeKey(ws, runId, kind, status) : undefined;
    const props = obj(pick(data, 'runProperties'));
    const displayName = str(props.displayName) ?? str(tags['mlflow.runName']);
    return {
      ...base,
      ...(dedupeKey ? { dedupeKey } : {}),
      kind,
      title: runTitle({ kind, status, env: base.env, workspace: base.workspace, subject: runId, displayName }),
      subject: runId,
      ...(displayName ? { displayName } : {}),
      ...(modelOfTags(tags) ? { model: modelOfTags(tags) } : {}),
      experiment,
      status,
      error: excerpt(errorText(pick(data, 'error', 'errorMessage')) ?? jobErrorText(props)),
      links: { studio: `${STUDIO}/runs/${encodeURIComponent(runId)}${wsid}` },
      owner: str(tags.owner) ?? str(tags['mlflow.user']),
    };
  }
  if (short === 'modelregistered') {
    const name = str(pick(data, 'ModelName')) ?? raw.subject ?? 'model';
    const version = str(pick(data, 'ModelVersion'));
    const subject = version ? `${name}:${version}` : name;
    return { ...base, kind: 'model_registered', title: `Model registered${where}: ${subject}`, subject, model: name, links: { studio: `${STUDIO}/model/${encodeURIComponent(subject)}${wsid}` } };
  }
  if (short === 'modeldeployed') {
    const name = str(pick(data, 'ServiceName')) ?? raw.subject ?? 'service';
    return { ...base, kind: 'model_deployed', title: `Model deployed${where}: ${name}`, subject: name, links: {} };
  }
  if (short === 'datasetdriftdetected') {
    const name = str(pick(data, 'DataDriftName')) ?? str(pick(data, 'DataDriftId')) ?? 'monitor';
    return { ...base, kind: 'drift_detected', title: `Data drift detected${where}: ${name}`, subject: name, links: {} };
  }
  return null;
}

function errorText(v: unknown): string | undefined {
  return str(v) ?? str(obj(v).message);
}
