/**
 * Grows the emulator's embedded default to a real estate: N models × M versions in the source
 * workspace (each version with its training job and MLflow run), jobs spread over the environments
 * (a share failed, over the last week), and classic releases of the demo definition carrying those
 * models, some of them waiting at the prod approval. Reusable: benchmarks and tests call
 * `growEmulatorState(dataDir, …)` before `startEmulator({ dataDir })`; from a shell:
 *   npx tsx bench/seed-scale.ts ./data/emulator   (then `npm start` serves the grown estate)
 */
import { systemData } from '../src/emulator/arm-common';
import type { ReleaseRec } from '../src/emulator/ado-types';
import { isoAt } from '../src/emulator/context';
import { BOT_IDENTITY } from '../src/emulator/seed-ado';
import { SEED_WORKSPACES } from '../src/emulator/seed-ml';
import { initialState, seedState } from '../src/emulator/seed';
import { StateFile, workspaceKey, type ArmRecord, type EmulatorState, type WorkspaceState } from '../src/emulator/state';
import type { EmulatorContext } from '../src/emulator/context';

const DAY = 86_400_000;

export interface ScaleOptions {
  models: number;
  versions: number;
  jobs: number;
  releases: number;
  /** Releases (the newest ones) left waiting at the prod approval: open promotion requests. */
  awaitingApproval: number;
  now?: number;
}

export const FLEET: ScaleOptions = { models: 200, versions: 30, jobs: 500, releases: 300, awaitingApproval: 50 };

export const modelName = (i: number): string => `model-${String(i).padStart(3, '0')}`;

/** What the grown state holds that callers (bench, tests) need to know. */
export interface GrownEstate {
  /** Releases waiting at the prod approval: id, model, version. */
  waiting: { releaseId: number; model: string; version: string }[];
  jobsByEnv: Record<string, { total: number; failed: number; times: number[]; failedTimes: number[] }>;
}

/** Writes a grown state into `dataDir` (the emulator's state directory); returns what it holds. */
export function growEmulatorState(dataDir: string, opts: ScaleOptions = FLEET): GrownEstate {
  const now = opts.now ?? Date.now();
  const file = new StateFile(dataDir);
  const state = file.load() ?? seeded(now);
  const estate = grow(state, opts, now);
  file.save(state);
  return estate;
}

function seeded(now: number): EmulatorState {
  const emu = { state: initialState(now), clock: { now: () => new Date(now) }, random: () => 0.5, emit: () => undefined, persist: () => undefined } as unknown as EmulatorContext;
  let rng = 42;
  (emu as { random: () => number }).random = () => { rng = (rng * 1103515245 + 12345) % 2 ** 31; return rng / 2 ** 31; };
  seedState(emu, now);
  return emu.state;
}

function ws(state: EmulatorState, env: string): WorkspaceState {
  const ref = SEED_WORKSPACES.find((w) => w.env === env)!;
  return state.workspaces[workspaceKey(ref.resourceGroup, ref.name)]!;
}

function grow(state: EmulatorState, opts: ScaleOptions, now: number): GrownEstate {
  const dev = ws(state, 'dev');
  const wsPath = `subscriptions/${state.subscriptionId}/resourceGroups/${dev.resourceGroup}/workspaces/${dev.name}`;
  for (let m = 0; m < opts.models; m++) {
    const name = modelName(m);
    const created = now - (opts.versions + 10) * DAY;
    const versions: Record<string, ArmRecord> = {};
    for (let v = 1; v <= opts.versions; v++) {
      const at = created + v * DAY - m * 60_000;
      const job = `${name.replace('-', '_')}_job_${v}`;
      const tags: Record<string, string> = { team: m % 2 ? 'pricing' : 'demand' };
      // Placement tags as promotions leave them: v(n-2) in prod, v(n-1) in preprod.
      if (v === opts.versions - 2) tags['mlops-env-prod'] = isoAt(at + DAY / 2);
      if (v === opts.versions - 1) tags['mlops-env-preprod'] = isoAt(at + DAY / 2);
      versions[String(v)] = {
        properties: {
          description: `${name} trained by ${job}`, tags, properties: { 'azureml.runId': job }, isAnonymous: false, isArchived: false,
          jobName: job, modelType: 'mlflow_model', modelUri: `azureml://${wsPath}/jobs/${job}/outputs/artifacts/paths/model/`,
        },
        systemData: systemData(isoAt(at), 'mlops-pipeline'),
      };
      const rmse = 4 - v * 0.03 + (m % 7) * 0.01;
      dev.runs[job] = {
        runId: job, experimentId: 'scale-experiment', status: 'FINISHED', startTime: at - 600_000, endTime: at, params: {},
        tags: { 'mlflow.runName': job },
        metrics: [{ key: 'rmse', value: rmse, timestamp: at, step: 1 }, { key: 'mae', value: rmse * 0.7, timestamp: at, step: 1 }, { key: 'r2', value: 0.9 - rmse / 40, timestamp: at, step: 1 }],
      };
    }
    dev.models[name] = { container: { properties: { description: `Fleet model ${m}`, tags: {}, properties: {} }, systemData: systemData(isoAt(created), 'mlops-pipeline') }, versions };
  }
  const jobsByEnv = growJobs(state, opts, now);
  return { waiting: growReleases(state, opts, now), jobsByEnv };
}

/** Jobs over the last 7 days: half in dev, a quarter each in preprod and prod; every fifth failed. */
function growJobs(state: EmulatorState, opts: ScaleOptions, now: number): GrownEstate['jobsByEnv'] {
  const out: GrownEstate['jobsByEnv'] = {};
  for (let j = 0; j < opts.jobs; j++) {
    const env = j % 4 < 2 ? 'dev' : j % 4 === 2 ? 'preprod' : 'prod';
    const w = ws(state, env);
    const at = now - Math.floor(((j + 0.5) / opts.jobs) * 7 * DAY);
    const failed = j % 5 === 0;
    const name = `scale_job_${String(j).padStart(4, '0')}`;
    w.jobs[name] = {
      properties: {
        jobType: 'Command', displayName: `train-fleet-${j}`, experimentName: 'fleet-training', status: failed ? 'Failed' : 'Completed',
        computeId: 'cpu-cluster', command: 'python train.py', environmentId: 'azureml:sklearn:1',
        ...(failed ? { properties: { errorMessage: 'UserError: fleet job failed.' } } : {}),
      },
      systemData: systemData(isoAt(at), 'mlops-pipeline'),
    };
    const e = (out[env] ??= { total: 0, failed: 0, times: [], failedTimes: [] });
    e.total++; e.times.push(at);
    if (failed) { e.failed++; e.failedTimes.push(at); }
  }
  // The seeded jobs count too.
  for (const env of ['dev', 'preprod', 'prod']) {
    const e = (out[env] ??= { total: 0, failed: 0, times: [], failedTimes: [] });
    for (const [name, job] of Object.entries(ws(state, env).jobs)) {
      if (name.startsWith('scale_job_')) continue;
      const at = Date.parse(job.systemData.createdAt);
      e.total++; e.times.push(at);
      if (String(job.properties['status']).toLowerCase() === 'failed') { e.failed++; e.failedTimes.push(at); }
    }
  }
  return out;
}

/** Releases of the demo definition, oldest first; the newest `awaitingApproval` wait at prod. */
function growReleases(state: EmulatorState, opts: ScaleOptions, now: number): GrownEstate['waiting'] {
  const ado = state.ado;
  const waiting: GrownEstate['waiting'] = [];
  for (let r = 0; r < opts.releases; r++) {
    const id = ++ado.counters.release;
    const model = modelName(r % opts.models);
    const version = String(opts.versions - (r % 3));
    const createdAt = now - (opts.releases - r) * 3_600_000;
    const waits = r >= opts.releases - opts.awaitingApproval;
    const environments = ['dev', 'preprod', 'prod'].map((name, i) => ({
      id: ++ado.counters.releaseEnvironment, definitionEnvironmentId: i + 1, name, rank: i + 1,
      status: (i < 2 ? 'succeeded' : waits ? 'queued' : 'succeeded') as ReleaseRec['environments'][number]['status'], manual: false,
      triggerReason: i === 0 ? 'Manual' : 'After successful deployment', modifiedOn: isoAt(createdAt + (i + 1) * 60_000),
    }));
    const prod = environments[2]!;
    ado.approvals.push({
      id: ++ado.counters.approval, releaseId: id, releaseEnvironmentId: prod.id, approvalType: 'preDeploy',
      status: waits ? 'pending' : 'approved', approver: BOT_IDENTITY, ...(waits ? {} : { approvedBy: BOT_IDENTITY }),
      comments: '', createdOn: isoAt(createdAt + 2 * 60_000), modifiedOn: prod.modifiedOn, revision: waits ? 1 : 2,
    });
    ado.releases.push({
      id, name: `Release-${id}`, definitionId: 1, description: `Promote ${model} ${version}`, reason: 'manual', status: 'active',
      createdOn: isoAt(createdAt), modifiedOn: prod.modifiedOn, createdBy: BOT_IDENTITY,
      variables: { modelName: { value: model }, modelVersion: { value: version }, promotionRequestId: { value: `scale-${id}` } },
      artifacts: [], environments,
    });
    if (waits) waiting.push({ releaseId: id, model, version });
  }
  return waiting;
}

if (require.main === module) {
  const dir = process.argv[2] ?? './data/emulator';
  const estate = growEmulatorState(dir);
  process.stdout.write(`Grew the emulator state in ${dir}: ${FLEET.models} models × ${FLEET.versions} versions, ${FLEET.jobs} jobs, ${FLEET.releases} releases (${estate.waiting.length} waiting at prod).\n`);
}
