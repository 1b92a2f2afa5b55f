/** Public surface of the local Azure emulator. */
export { startEmulator } from './server';
export type { EmulatorOptions, EmulatorRequestRecord, RunningEmulator } from './server';
export type { EmulatorEvent, EventGridEvent, ServiceHookDelivery } from './events';
export type { EmulatorClock } from './context';
export { SEED_SUBSCRIPTION_ID, SEED_TENANT_ID } from './seed';
export { SEED_SIGN_IN_CLIENT_ID } from './oauth-state';
export { DEVOPS_RESOURCE, issueUserAccessToken, verifyUserAccessToken, looksLikeUserToken } from './user-tokens';
export type { UserAccessClaims, UserTokenCheck } from './user-tokens';
