/**
 * Training jobs over time: jobs submitted (by PUT or by the simulation's own cadence) are queued,
 * run, and complete or fail; a share fails, decided by the persisted seeded RNG. Each job has its
 * MLflow run (run id = job name) whose status follows the job's and which gets metrics at the end.
 */
import { systemData, touched } from './arm-common';
import type { EmulatorContext } from './context';
import { isoAt } from './context';
import { runEvents } from './events';
import { guidFrom, jobNameFrom } from './ids';
import type { ArmRecord, MlflowRun, WorkspaceState } from './state';
import { workspaceKey } from './state';

export const QUEUE_MS = 10_000;
export const RUN_MS = 60_000;
export const FAILURE_SHARE = 0.3;
export const TRAINING_FAILURES = [
  "UserError: Column 'trip_distance' not found in the input data.",
  'Execution failed. User process exited with exit code 137 (out of memory on Standard_DS3_v2).',
  'AzureMLCompute job failed: DiskFullError: the compute node ran out of disk space.',
];

export function ensureExperiment(ws: WorkspaceState, name: string, at: number): string {
  const existing = ws.experiments[name];
  if (existing) return existing.id;
  const id = guidFrom(`${ws.name}/experiment/${name}`);
  ws.experiments[name] = { id, createdAt: at };
  return id;
}

export function newRun(ws: WorkspaceState, runId: string, experimentName: string, at: number): MlflowRun {
  const run: MlflowRun = {
    runId, experimentId: ensureExperiment(ws, experimentName, at), status: 'SCHEDULED', startTime: at,
    metrics: [], params: {}, tags: { 'mlflow.runName': runId, 'mlflow.user': 'mlops-bot' },
  };
  ws.runs[runId] = run;
  return run;
}

function setJobStatus(emu: EmulatorContext, ws: WorkspaceState, name: string, job: ArmRecord, status: string, at: number): void {
  job.properties['status'] = status;
  job.systemData = touched(job.systemData, isoAt(at));
  for (const event of runEvents(emu, ws, name, job)) emu.emit(event);
}

/** Stores a submitted job and schedules its lifecycle from `at`. */
export function submitJob(emu: EmulatorContext, ws: WorkspaceState, name: string, properties: Record<string, unknown>, at: number): ArmRecord {
  const job: ArmRecord = { properties: { ...properties, status: 'Queued' }, systemData: systemData(isoAt(at), 'mlops-bot') };
  ws.jobs[name] = job;
  newRun(ws, name, String(properties['experimentName'] ?? 'Default'), at);
  const fails = emu.random() < FAILURE_SHARE;
  emu.state.sim.pendingJobs.push({ workspace: workspaceKey(ws.resourceGroup, ws.name), name, runningAt: at + QUEUE_MS, doneAt: at + QUEUE_MS + RUN_MS, fails });
  return job;
}

function finishRun(emu: EmulatorContext, run: MlflowRun, fails: boolean, at: number): void {
  run.status = fails ? 'FAILED' : 'FINISHED';
  run.endTime = at;
  if (fails) return;
  const quality = emu.random();
  const rmse = 3.0 + quality * 0.6;
  run.metrics.push(
    { key: 'rmse', value: round(rmse), timestamp: at, step: 0 },
    { key: 'mae', value: round(rmse * 0.71), timestamp: at, step: 0 },
    { key: 'r2', value: round(0.86 - quality * 0.08), timestamp: at, step: 0 },
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Moves pending jobs whose next step is due; returns whether anything changed. */
export function stepJobs(emu: EmulatorContext, now: number): boolean {
  let changed = false;
  const still = [];
  for (const p of emu.state.sim.pendingJobs) {
    const ws = emu.state.workspaces[p.workspace];
    const job = ws?.jobs[p.name];
    const run = ws?.runs[p.name];
    if (!ws || !job || ['Completed', 'Failed', 'Canceled'].includes(String(job.properties['status']))) { changed = true; continue; }
    if (job.properties['status'] !== 'Running' && p.runningAt <= now) {
      setJobStatus(emu, ws, p.name, job, 'Running', p.runningAt);
      if (run) run.status = 'RUNNING';
      changed = true;
    }
    if (p.doneAt <= now) {
      if (p.fails) {
        const props = (job.properties['properties'] ?? {}) as Record<string, string>;
        props['errorMessage'] = TRAINING_FAILURES[Math.floor(emu.random() * TRAINING_FAILURES.length)] ?? 'Failed';
        job.properties['properties'] = props;
      }
      if (run) finishRun(emu, run, p.fails, p.doneAt);
      setJobStatus(emu, ws, p.name, job, p.fails ? 'Failed' : 'Completed', p.doneAt);
      changed = true;
      continue;
    }
    still.push(p);
  }
  emu.state.sim.pendingJobs = still;
  return changed;
}

/** Submits the periodic training job of the source workspace when due (at most a few to catch up). */
export function spawnTrainingJobs(emu: EmulatorContext, ws: WorkspaceState | undefined, now: number, everyMs: number): boolean {
  const sim = emu.state.sim;
  if (!ws || everyMs <= 0) return false;
  if (sim.nextJobAt < now - 3 * everyMs) sim.nextJobAt = now - 3 * everyMs;
  let changed = false;
  while (sim.nextJobAt <= now) {
    sim.jobCounter += 1;
    const name = jobNameFrom(() => emu.random(), sim.jobCounter);
    submitJob(emu, ws, name, trainingJobProperties(emu, ws, name, `train-taxi-model-${sim.jobCounter}`), sim.nextJobAt);
    sim.nextJobAt += everyMs;
    changed = true;
  }
  return changed;
}

export function trainingJobProperties(emu: EmulatorContext, ws: WorkspaceState, jobName: string, displayName: string): Record<string, unknown> {
  const rg = `/subscriptions/${emu.state.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.MachineLearningServices/workspaces/${ws.name}`;
  return {
    jobType: 'Command', displayName, experimentName: 'taxi-fare-training', description: 'Train the taxi fare regression model',
    computeId: `${rg}/computes/cpu-cluster`, command: 'python train.py --data ${{inputs.training_data}} --model_output ${{outputs.model_output}}',
    environmentId: 'azureml:taxi-train-env:3', codeId: `${rg}/codes/taxi-train/versions/1`,
    inputs: { training_data: { jobInputType: 'uri_folder', uri: 'azureml:taxi-data:1', mode: 'ReadOnlyMount' } },
    outputs: { model_output: { jobOutputType: 'mlflow_model', mode: 'ReadWriteMount' } },
    resources: { instanceCount: 1, properties: {} }, identity: { identityType: 'AMLToken' },
    distribution: null, limits: { jobLimitsType: 'Command', timeout: 'PT2H' }, environmentVariables: {}, parameters: {},
    services: { Studio: { jobServiceType: 'Studio', endpoint: `https://ml.azure.com/runs/${jobName}?wsid=${rg}` } },
    tags: { model: 'taxi-model' }, properties: {}, isArchived: false,
  };
}
