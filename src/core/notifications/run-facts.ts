/**
 * What a run notification says about its Azure ML job, the same whichever intake saw it first
 * (Event Grid, the job poller): the job's display name, as `runs` shows it, and its error text.
 */
import type { JobInfo } from '../models';
import { excerpt, type NormalisedEvent } from './event';

/** Where Azure ML keeps a job's error text among its custom properties (services and SDKs differ). */
const ERROR_KEYS = ['azureml.error', 'error', 'errorMessage'];

export function jobErrorText(props: Record<string, unknown>): string | undefined {
  for (const key of ERROR_KEYS) {
    const v = props[key];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return undefined;
}

/** The model a job works on, by its tags (`model`, or `model_name` as some pipelines write it). */
export function modelOfTags(tags: Record<string, unknown> | undefined): string | undefined {
  for (const key of ['model', 'model_name', 'modelName']) {
    const v = tags?.[key];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

type TitleFacts = Pick<NormalisedEvent, 'kind' | 'status' | 'env' | 'workspace' | 'subject' | 'displayName'>;

/** `Azure ML job failed in dev: train-taxi-model-2`. */
export function runTitle(e: TitleFacts): string {
  const verb = e.kind === 'run_failed' ? (e.status?.toLowerCase() === 'notresponding' ? 'is not responding' : 'failed')
    : e.kind === 'run_canceled' ? 'was canceled' : 'succeeded';
  const where = e.env ? ` in ${e.env}` : e.workspace ? ` in ${e.workspace}` : '';
  return `Azure ML job ${verb}${where}: ${e.displayName ?? e.subject}`;
}

/** The event completed with what the job itself says (display name, error, experiment). */
export function withJobFacts(event: NormalisedEvent, job: JobInfo): NormalisedEvent {
  const displayName = event.displayName ?? job.displayName;
  const error = event.error ?? excerpt(job.error);
  const experiment = event.experiment ?? job.experimentName;
  const model = event.model ?? modelOfTags(job.tags);
  const next: NormalisedEvent = {
    ...event,
    ...(model ? { model } : {}),
    ...(displayName ? { displayName } : {}),
    ...(error ? { error } : {}),
    ...(experiment ? { experiment } : {}),
  };
  return { ...next, title: runTitle(next) };
}

/** Run events of Azure ML that arrived without the job's own facts (Event Grid carries neither). */
export function lacksJobFacts(event: NormalisedEvent): boolean {
  return event.source === 'azure-ml' && event.env !== undefined && (event.kind === 'run_failed' || event.kind === 'run_canceled')
    && (event.displayName === undefined || event.error === undefined);
}
