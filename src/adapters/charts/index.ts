export { VegaChartRenderer, DEFAULT_CHART_TIMEOUT_MS, type VegaChartRendererOptions } from './vega-renderer';
export { ChartLinks, CHART_LINK_PATH, DEFAULT_CHART_LINK_TTL_MS, type ChartLinkOptions, type LinkCheck } from './chart-links';
export { mountChartLinks } from './http-route';
