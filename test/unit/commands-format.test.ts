import { formatAgo, formatDateTime } from '../../src/core/format/dates';
import { parseDuration } from '../../src/core/format/duration';
import { goalOf, metricsLine } from '../../src/core/format/metrics';
import { metricTable } from '../../src/core/format/metric-table';
import { formatDelta, formatMetric } from '../../src/core/format/numbers';

describe('format helpers', () => {
  it.each([
    [0.41234, '0.4123'], [12.3456, '12.35'], [999.96, '1000'], [12345.67, '12345.7'], [0, '0'], [-0.5, '-0.5'],
    [0.00001234, '1.23e-5'], [123456789, '1.23e8'], [NaN, 'NaN'], [Infinity, '∞'], [undefined, '—'],
  ])('formatMetric(%p) = %p', (n, s) => expect(formatMetric(n)).toBe(s));

  it('formats deltas with sign and relative change', () => {
    expect(formatDelta(0.41, 0.44)).toBe('-0.03 (-6.8%)');
    expect(formatDelta(0.5, 0)).toBe('+0.5');
    expect(formatDelta(2, 2)).toBe('±0');
    expect(formatDelta(-1, -2)).toBe('+1 (+50%)');
  });

  it('formats dates in UTC and relative ages', () => {
    const now = new Date('2026-11-02T09:00:00Z');
    expect(formatDateTime('2026-11-02T08:05:59Z')).toBe('2026-11-02 08:05 UTC');
    expect(formatDateTime('not a date')).toBe('—');
    expect(formatAgo(new Date('2026-11-02T08:59:30Z'), now)).toBe('just now');
    expect(formatAgo(new Date('2026-11-02T06:00:00Z'), now)).toBe('3h ago');
    expect(formatAgo(new Date('2026-11-04T09:00:00Z'), now)).toBe('in 2d');
  });

  it('parses look-back windows and refuses ambiguous ones', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('1d12h')).toBe(129_600_000);
    expect(parseDuration('2W')).toBe(1_209_600_000);
    for (const bad of ['24', '0h', 'soon', '-1d', '7 d', '']) expect(parseDuration(bad)).toBeNull();
  });

  it('knows which metrics are better lower', () => {
    for (const m of ['rmse', 'val_loss', 'mean_absolute_error', 'trainLoss', 'MAE']) expect(goalOf(m)).toBe('minimize');
    for (const m of ['r2', 'accuracy', 'auc', 'f1_score']) expect(goalOf(m)).toBe('maximize');
    expect(goalOf('accuracy', { metric: 'accuracy', goal: 'minimize', tolerance: 0 })).toBe('minimize');
  });

  it('lists metrics with the primary one first', () => {
    expect(metricsLine({ r2: 0.9, mae: 0.3, rmse: 0.4 }, 'rmse')).toBe('rmse 0.4 · mae 0.3 · r2 0.9');
    expect(metricsLine({}, 'rmse')).toBe('—');
  });

  it('marks ties as best and leaves missing values out of the comparison', () => {
    const t = metricTable([{ label: 'v1', metrics: { acc: 0.9 } }, { label: 'v2', metrics: { acc: 0.9 } }, { label: 'v3', metrics: {} }], ['acc'], { acc: 'maximize' });
    expect(t).toEqual({ columns: ['acc'], rows: [{ version: 'v1', cells: ['0.9 ★'] }, { version: 'v2', cells: ['0.9 ★'] }, { version: 'v3', cells: ['—'] }] });
  });
});
