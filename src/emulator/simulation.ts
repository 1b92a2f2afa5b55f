/**
 * One simulation step over everything that moves on its own: releases, pipeline runs, training
 * jobs, and the periodic training job of the dev workspace. Driven by a timer in normal use and by
 * explicit `tick()` calls in tests (with an injected clock, so tests never sleep).
 */
import type { EmulatorContext } from './context';
import { spawnTrainingJobs, stepJobs } from './job-sim';
import { activeRuns, stepRun } from './pipeline-sim';
import { activeReleases, stepRelease } from './release-sim';
import { SEED_WORKSPACES } from './seed-ml';
import { workspaceKey } from './state';

export interface SimulationOptions {
  /** Interval of the periodic training job in the dev workspace; 0 disables it. */
  jobEveryMs: number;
}

export function tick(emu: EmulatorContext, opts: SimulationOptions): boolean {
  const now = emu.clock.now().getTime();
  let changed = false;
  for (const rel of activeReleases(emu)) if (stepRelease(emu, rel, now)) changed = true;
  for (const run of activeRuns(emu)) if (stepRun(emu, run, now)) changed = true;
  const dev = SEED_WORKSPACES[0];
  const devWs = dev ? emu.state.workspaces[workspaceKey(dev.resourceGroup, dev.name)] : undefined;
  if (spawnTrainingJobs(emu, devWs, now, opts.jobEveryMs)) changed = true;
  if (stepJobs(emu, now)) changed = true;
  if (changed) emu.persist();
  return changed;
}

/** Runs `tick` every `intervalMs`; the timer does not keep the process alive. */
export function startTicker(run: () => void, intervalMs: number, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => {
    try {
      run();
    } catch (err) {
      onError(err);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
