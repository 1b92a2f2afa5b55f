export type { ChartKind, ChartSpec } from './types';
export { metricTrendChart, bandLimits, type MetricTrendInput, type TrendPoint, type GuardBand } from './metric-trend';
export { rolloutChart, type RolloutChartInput, type RolloutStepFigures, type DeploymentFigures } from './rollout';
export { drawChart } from './draw';
