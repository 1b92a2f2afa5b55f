export { DevOpsReleases } from './releases';
export type { DevOpsOptions, DevOpsAuth, DevOpsRetrySettings } from './options';
