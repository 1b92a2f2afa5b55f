/**
 * Okabe–Ito colours: told apart with the common colour-vision deficiencies. Each series also gets
 * its own shape or dash, so nothing relies on colour alone.
 */
export const OKABE_ITO = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  yellow: '#F0E442',
  black: '#000000',
} as const;

/** Colours and shapes for environments, in promotion order (dev, preprod, prod, …). */
export const ENV_COLOURS = [OKABE_ITO.green, OKABE_ITO.orange, OKABE_ITO.vermillion, OKABE_ITO.purple, OKABE_ITO.sky];
export const ENV_SHAPES = ['circle', 'square', 'diamond', 'triangle-up', 'cross'];

/** Text and guides readable at chat size on a white background. */
export const CHART_CONFIG = {
  font: 'DejaVu Sans',
  background: 'white',
  padding: 8,
  view: { stroke: '#d0d0d0' },
  title: { fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444444', anchor: 'start', offset: 10 },
  axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#222222', titleColor: '#222222', gridColor: '#e6e6e6', titleFontWeight: 'normal' },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom', direction: 'horizontal', titleOrient: 'left' },
} as const;
