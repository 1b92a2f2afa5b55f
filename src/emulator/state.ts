/**
 * The emulator's whole world as one JSON document, kept in memory and written atomically
 * (temp file + rename) after every change so it survives restarts.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdoState } from './ado-types';

export interface SystemData {
  createdAt: string;
  createdBy: string;
  createdByType: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
}

/** A stored ARM resource; `id`, `name` and `type` are derived from where it is stored. */
export interface ArmRecord {
  properties: Record<string, unknown>;
  systemData: SystemData;
  tags?: Record<string, string>;
  location?: string;
  kind?: string;
  identity?: Record<string, unknown>;
  sku?: Record<string, unknown>;
}

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

export interface MlflowRun {
  runId: string;
  experimentId: string;
  status: 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
  startTime: number;
  endTime?: number;
  /** Full history; `runs/get` reports the latest value of each key. */
  metrics: MlflowMetric[];
  params: Record<string, string>;
  tags: Record<string, string>;
}

export interface ModelState {
  container: ArmRecord;
  versions: Record<string, ArmRecord>;
}

export interface WorkspaceState {
  resourceGroup: string;
  name: string;
  location: string;
  createdAt: string;
  models: Record<string, ModelState>;
  jobs: Record<string, ArmRecord>;
  schedules: Record<string, ArmRecord>;
  batchEndpoints: Record<string, ArmRecord>;
  /** Keyed by endpoint name, then deployment name. */
  batchDeployments: Record<string, Record<string, ArmRecord>>;
  onlineEndpoints: Record<string, ArmRecord>;
  /** Keyed by endpoint name, then deployment name; absent in state files written before they existed. */
  onlineDeployments?: Record<string, Record<string, ArmRecord>>;
  /** Keyed by endpoint name: each change of the split, oldest first (the metrics simulation reads it). */
  trafficHistory?: Record<string, TrafficChange[]>;
  experiments: Record<string, { id: string; createdAt: number }>;
  runs: Record<string, MlflowRun>;
}

/** The split of an online endpoint from `at` (epoch ms) until the next change. */
export interface TrafficChange {
  at: number;
  traffic: Record<string, number>;
  mirror: Record<string, number>;
}

/** A job the simulation is still moving (Queued → Running → Completed | Failed). */
export interface PendingJob {
  workspace: string;
  name: string;
  runningAt: number;
  doneAt: number;
  fails: boolean;
}

export interface SimState {
  /** Seeded RNG state: job outcomes are reproducible across restarts. */
  rng: number;
  /** When the next simulated training job is submitted (epoch ms). */
  nextJobAt: number;
  jobCounter: number;
  pendingJobs: PendingJob[];
}

export interface EmulatorState {
  schemaVersion: 1;
  subscriptionId: string;
  tenantId: string;
  workspaces: Record<string, WorkspaceState>;
  ado: AdoState;
  /** SHA-256 of issued tokens → audience and expiry; the tokens themselves are never stored. */
  tokens: Record<string, { resource: string; expiresOn: number }>;
  operations: Record<string, { status: string; createdAt: number }>;
  sim: SimState;
}

export function workspaceKey(resourceGroup: string, workspace: string): string {
  return `${resourceGroup.toLowerCase()}/${workspace.toLowerCase()}`;
}

export class StateFile {
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = join(dataDir, 'emulator-state.json');
  }

  load(): EmulatorState | null {
    if (!existsSync(this.file)) return null;
    const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as EmulatorState;
    if (parsed.schemaVersion !== 1) throw new Error(`unsupported emulator state version in ${this.file}`);
    return parsed;
  }

  save(state: EmulatorState): void {
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(state), { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
