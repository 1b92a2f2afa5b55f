export { AzureMlRegistry } from './registry';
export { AzureMlSchedules } from './schedules';
export { AzureMlServing } from './serving';
export { parseModelAssetId } from './asset-id';
export type { AzureMlOptions, ArmRetrySettings } from './options';
export { toWindowsTimeZone, toIanaTimeZone, SUPPORTED_TIME_ZONES } from './time-zones';
