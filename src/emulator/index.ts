/** Public surface of the local Azure emulator. */
export { startEmulator } from './server';
export type { EmulatorOptions, EmulatorRequestRecord, RunningEmulator } from './server';
export type { EmulatorEvent, EventGridEvent, ServiceHookDelivery } from './events';
export type { EmulatorClock } from './context';
export { SEED_SUBSCRIPTION_ID, SEED_TENANT_ID } from './seed';
