export { AzureMonitorLiveMetrics } from './live-metrics';
export type { AzureMonitorOptions } from './options';
export { METRICS_API_VERSION } from './options';
