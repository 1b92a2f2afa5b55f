/**
 * The chart `compare` and `model` draw, as data: which metric, which versions, where each
 * environment is marked, and the guard band around production (the guard's relative tolerance).
 */
import { bandLimits } from '../../src/core/charts';
import type { ChartSpec } from '../../src/core/charts/types';
import { versionChart } from '../../src/core/commands/version-chart';
import type { ModelVersionInfo } from '../../src/core/models';
import { testSettings } from '../fakes/settings';

const version = (v: string): ModelVersionInfo => ({ name: 'taxi-model', version: v, tags: {}, jobName: `run-${v}`, createdAt: new Date('2026-10-01T00:00:00Z') });
const versions = ['5', '4', '3', '2', '1'].map(version);
const RMSE = [0.52, 0.5, 0.48, 0.46, 0.44];
const R2 = [0.8, 0.81, 0.82, 0.83, 0.84];
const metrics = Object.fromEntries(['1', '2', '3', '4', '5'].map((v, i) => [`run-${v}`, { rmse: RMSE[i], r2: R2[i] }]));
const placement = new Map([['dev', '5'], ['preprod', '4'], ['prod', '3']]);

type Layer = { data: { values: Record<string, unknown>[] }; mark: { type: string } };
const layers = (c: ChartSpec): Layer[] => c.vegaLite.layer as Layer[];
const layer = (c: ChartSpec, type: string): Layer | undefined => layers(c).find((l) => l.mark.type === type);

it('draws the guard metric of prod by version, serving versions marked, the band around prod', () => {
  const chart = versionChart({ settings: testSettings(), model: 'taxi-model', versions, metrics, placement })!;
  expect(chart.kind).toBe('metric-trend');
  expect(chart.name).toBe('taxi-model-rmse');
  expect(layer(chart, 'line')!.data.values.map((p) => p.label)).toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
  expect(layer(chart, 'point')!.data.values).toEqual([
    { label: 'v5', value: 0.44, env: 'dev' }, { label: 'v4', value: 0.46, env: 'preprod' }, { label: 'v3', value: 0.48, env: 'prod' },
  ]);
  const band = layer(chart, 'rect')!.data.values[0] as { low: number; high: number };
  expect(band.low).toBeCloseTo(0.48 * 0.98, 10);
  expect(band.high).toBeCloseTo(0.48 * 1.02, 10);
  expect(chart.vegaLite.title).toMatchObject({ text: 'taxi-model: rmse by version', subtitle: ["Shaded: the promotion guard's ±2% around prod", '(v3, 0.48, dashed line)'] });
  expect(chart.alt).toBe('Chart of rmse by version of taxi-model (lower is better): v1 0.52, v2 0.5, v3 0.48, v4 0.46, v5 0.44. Serving: dev v5, preprod v4, prod v3. Guard band 0.4704–0.4896 around prod.');
});

it('another metric asked for: drawn without the band, which belongs to the guard metric', () => {
  const chart = versionChart({ settings: testSettings(), model: 'taxi-model', metric: 'R2', versions, metrics, placement })!;
  expect(chart.name).toBe('taxi-model-r2');
  expect(layer(chart, 'rect')).toBeUndefined();
  expect((chart.vegaLite.title as { subtitle: string[] }).subtitle).toEqual(['No guard band: nothing with this metric serves production.']);
});

it('a model rule sets the guard: its metric and tolerance are drawn', () => {
  const settings = testSettings({ models: [{ index: 0, match: 'taxi-*', guard: { metric: 'r2', goal: 'maximize', tolerance: 0.1 } }] });
  const chart = versionChart({ settings, model: 'taxi-model', versions, metrics, placement })!;
  expect(chart.name).toBe('taxi-model-r2');
  const band = layer(chart, 'rect')!.data.values[0] as { low: number; high: number };
  expect(band.low).toBeCloseTo(0.738, 10);
  expect(band.high).toBeCloseTo(0.902, 10);
});

it('nothing in prod: no band; no metrics at all: no chart', () => {
  const chart = versionChart({ settings: testSettings(), model: 'taxi-model', versions, metrics, placement: new Map([['dev', '5']]) })!;
  expect(layer(chart, 'rect')).toBeUndefined();
  expect(versionChart({ settings: testSettings(), model: 'taxi-model', versions, metrics: {}, placement })).toBeUndefined();
});

it('the band around a zero value is the plain tolerance', () => {
  expect(bandLimits({ env: 'prod', version: '1', value: 0, tolerance: 0.02 })).toEqual({ low: -0.02, high: 0.02 });
});
