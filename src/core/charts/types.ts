/**
 * A chart as the core describes it: a Vega-Lite specification (plain JSON, data inlined) with its
 * text alternative. The core builds specs from its own data; drawing them into a PNG is the job of
 * the `ChartRenderer` port (src/adapters/charts), so no charting library is loaded here.
 */
export type ChartKind = 'metric-trend' | 'rollout';

export interface ChartSpec {
  kind: ChartKind;
  /** File name without extension: `taxi-model-rmse`. */
  name: string;
  /** What the chart shows, in words: the image's alt text and what a reader without it gets. */
  alt: string;
  /** A Vega-Lite (v6) top-level specification with inline data. */
  vegaLite: Record<string, unknown>;
}

/** Width of the plotting area in CSS pixels: fits a chat message column at 1x. */
export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 190;
