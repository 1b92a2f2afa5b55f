import type { CardImage } from '../cards/views';
import type { ChartRenderer, Logger } from '../ports';
import type { ChartSpec } from './types';

/**
 * The picture for a card: drawn, or marked missing with the reason (the card goes out either way).
 * No chart to draw, or no renderer in this installation: no picture and nothing said.
 */
export async function drawChart(renderer: ChartRenderer | undefined, chart: ChartSpec | undefined, log: Logger): Promise<CardImage | undefined> {
  if (!chart || !renderer) return undefined;
  const base = { alt: chart.alt, name: chart.name, chart };
  try {
    return { ...base, png: await renderer.render(chart) };
  } catch (e) {
    log.warn({ chart: chart.kind, err: e instanceof Error ? e.message : String(e) }, 'chart not drawn; the card goes without it');
    return { ...base, missing: 'The chart could not be drawn just now; the figures are in the card.' };
  }
}
