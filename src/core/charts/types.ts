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

/**
 * The plotting area in CSS pixels: with axes, title and legend a chart is about 480 px wide, the
 * width of a card in a chat column, and is drawn at twice that (sharp on high-density screens,
 * within Teams' 1024 px image limit).
 */
export const CHART_WIDTH = 400;
export const CHART_HEIGHT = 180;
export const CHART_SCALE = 2;
