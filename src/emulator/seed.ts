/** The world at first start: the mlops-v2 story on both the Azure ML and the Azure DevOps side. */
import type { EmulatorContext } from './context';
import { seedAdo } from './seed-ado';
import { seedWorkspaces } from './seed-ml';
import type { EmulatorState } from './state';

export const SEED_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000001';
export const SEED_TENANT_ID = '00000000-0000-0000-0000-0000000000aa';
const FIRST_RNG_STATE = 20240601;

export function initialState(now: number): EmulatorState {
  return {
    schemaVersion: 1,
    subscriptionId: SEED_SUBSCRIPTION_ID,
    tenantId: SEED_TENANT_ID,
    workspaces: {},
    ado: seedAdo(now),
    tokens: {},
    operations: {},
    sim: { rng: FIRST_RNG_STATE, nextJobAt: now + 5 * 60_000, jobCounter: 0, pendingJobs: [] },
  };
}

/** Fills the workspaces; needs the context because records reference the subscription. */
export function seedState(emu: EmulatorContext, now: number): void {
  seedWorkspaces(emu, now);
}
