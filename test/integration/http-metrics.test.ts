import { createMetrics } from '../../src/http';

describe('createMetrics', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', () => {
    const m = createMetrics();
    const c = m.counter('jobs_total', 'Jobs\nseen.', ['status']);
    c.inc({ status: 'ok' });
    c.inc({ status: 'ok' }, 2);
    c.inc({ status: 'say "hi"\\' });
    m.counter('plain_total', 'No labels.');
    m.gauge('queue_depth', 'Outbox depth.').set({}, 4);
    const h = m.histogram('ack_seconds', 'Ack time.', ['surface'], [0.1, 1]);
    h.observe({ surface: 'slack' }, 0.05);
    h.observe({ surface: 'slack' }, 0.5);
    h.observe({ surface: 'slack' }, 3);
    expect(m.render()).toBe([
      '# HELP jobs_total Jobs\\nseen.', '# TYPE jobs_total counter',
      'jobs_total{status="ok"} 3', 'jobs_total{status="say \\"hi\\"\\\\"} 1',
      '# HELP plain_total No labels.', '# TYPE plain_total counter', 'plain_total 0',
      '# HELP queue_depth Outbox depth.', '# TYPE queue_depth gauge', 'queue_depth 4',
      '# HELP ack_seconds Ack time.', '# TYPE ack_seconds histogram',
      'ack_seconds_bucket{surface="slack",le="0.1"} 1', 'ack_seconds_bucket{surface="slack",le="1"} 2',
      'ack_seconds_bucket{surface="slack",le="+Inf"} 3', 'ack_seconds_sum{surface="slack"} 3.55', 'ack_seconds_count{surface="slack"} 3',
      '',
    ].join('\n'));
  });

  it('refuses misuse instead of producing a broken exposition', () => {
    const m = createMetrics();
    expect(() => m.counter('bad-name', 'x')).toThrow('Invalid metric name');
    const c = m.counter('a_total', 'x', ['env']);
    expect(() => c.inc({ region: 'eu' })).toThrow('has no label region');
    expect(() => c.inc({}, -1)).toThrow('cannot decrease');
    expect(m.counter('a_total', 'x', ['env'])).toBeDefined();
    expect(() => m.gauge('a_total', 'x', ['env'])).toThrow('registered differently');
  });
});
