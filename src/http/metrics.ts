/**
 * A small Prometheus registry: counters, gauges and histograms with labels, rendered in the text
 * exposition format (version 0.0.4). Enough for the bot's own numbers without a dependency.
 */
export type Labels = Record<string, string | number>;

export interface Counter { inc(labels?: Labels, by?: number): void }
export interface Gauge { set(labels: Labels, value: number): void; inc(labels?: Labels, by?: number): void }
export interface Histogram { observe(labels: Labels, value: number): void }

export interface Metrics {
  counter(name: string, help: string, labelNames?: readonly string[]): Counter;
  gauge(name: string, help: string, labelNames?: readonly string[]): Gauge;
  histogram(name: string, help: string, labelNames?: readonly string[], buckets?: readonly number[]): Histogram;
  render(): string;
  /** Figures read at scrape time (from the store, …): each runs before rendering, bounded in time. */
  addCollector(collect: () => Promise<void> | void): void;
  /** Runs the collectors; one that fails or hangs leaves its figures as last collected. */
  collect(timeoutMs?: number): Promise<void>;
}

export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

type Kind = 'counter' | 'gauge' | 'histogram';
interface Series { labels: string; value: number; buckets?: number[]; sum?: number; count?: number }
interface Family { kind: Kind; help: string; labelNames: readonly string[]; buckets: readonly number[]; series: Map<string, Series>; byRaw: Map<string, Series> }

const escapeValue = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const num = (v: number): string => (v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

export function createMetrics(): Metrics {
  const families = new Map<string, Family>();
  const collectors: (() => Promise<void> | void)[] = [];

  function family(kind: Kind, name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Family {
    if (!NAME.test(name)) throw new Error(`Invalid metric name: ${name}`);
    for (const l of labelNames) if (!LABEL.test(l) || l === 'le') throw new Error(`Invalid label name for ${name}: ${l}`);
    const existing = families.get(name);
    if (existing) {
      // Registering twice (e.g. two adapters sharing a metric) is fine if it is the same metric.
      if (existing.kind !== kind || existing.labelNames.join() !== labelNames.join()) throw new Error(`Metric ${name} is already registered differently.`);
      return existing;
    }
    const f: Family = { kind, help, labelNames, buckets: [...buckets].sort((a, b) => a - b), series: new Map(), byRaw: new Map() };
    families.set(name, f);
    return f;
  }

  function series(f: Family, name: string, labels: Labels = {}): Series {
    for (const k of Object.keys(labels)) if (!f.labelNames.includes(k)) throw new Error(`Metric ${name} has no label ${k}.`);
    // Looked up by the raw values first: escaping and formatting labels on every request showed in the ack path.
    let raw: string | undefined = '';
    for (const l of f.labelNames) {
      const v = String(labels[l] ?? '');
      if (v.includes('\u0000')) { raw = undefined; break; } // the separator itself: take the slow path
      raw += `${v}\u0000`;
    }
    let s = raw === undefined ? undefined : f.byRaw.get(raw);
    if (s) return s;
    const text = f.labelNames.map((l) => `${l}="${escapeValue(String(labels[l] ?? ''))}"`).join(',');
    s = f.series.get(text);
    if (!s) {
      s = f.kind === 'histogram' ? { labels: text, value: 0, buckets: f.buckets.map(() => 0), sum: 0, count: 0 } : { labels: text, value: 0 };
      f.series.set(text, s);
    }
    if (raw !== undefined) f.byRaw.set(raw, s);
    return s;
  }

  return {
    addCollector: (collect) => void collectors.push(collect),
    async collect(timeoutMs = 3000) {
      await Promise.all(collectors.map((c) => bounded(c, timeoutMs)));
    },
    counter(name, help, labelNames = []) {
      const f = family('counter', name, help, labelNames, []);
      return {
        inc(labels, by = 1) {
          if (by < 0) throw new Error(`Counter ${name} cannot decrease.`);
          series(f, name, labels).value += by;
        },
      };
    },
    gauge(name, help, labelNames = []) {
      const f = family('gauge', name, help, labelNames, []);
      return {
        set: (labels, value) => void (series(f, name, labels).value = value),
        inc: (labels, by = 1) => void (series(f, name, labels).value += by),
      };
    },
    histogram(name, help, labelNames = [], buckets = DEFAULT_BUCKETS) {
      const f = family('histogram', name, help, labelNames, buckets);
      return {
        observe(labels, value) {
          const s = series(f, name, labels);
          for (let i = 0; i < f.buckets.length; i++) if (value <= f.buckets[i]) s.buckets![i] += 1;
          s.sum! += value;
          s.count! += 1;
        },
      };
    },
    render() {
      const out: string[] = [];
      for (const [name, f] of families) {
        out.push(`# HELP ${name} ${escapeHelp(f.help)}`, `# TYPE ${name} ${f.kind}`);
        if (f.series.size === 0 && f.labelNames.length === 0 && f.kind !== 'histogram') out.push(`${name} 0`);
        for (const s of f.series.values()) {
          const braces = (extra?: string) => {
            const all = [s.labels, extra].filter(Boolean).join(',');
            return all ? `{${all}}` : '';
          };
          if (f.kind !== 'histogram') {
            out.push(`${name}${braces()} ${num(s.value)}`);
            continue;
          }
          f.buckets.forEach((b, i) => out.push(`${name}_bucket${braces(`le="${num(b)}"`)} ${s.buckets![i]}`));
          out.push(`${name}_bucket${braces('le="+Inf"')} ${s.count}`, `${name}_sum${braces()} ${num(s.sum!)}`, `${name}_count${braces()} ${s.count}`);
        }
      }
      return out.join('\n') + '\n';
    },
  };
}

async function bounded(collect: () => Promise<void> | void, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
  try {
    await Promise.race([Promise.resolve().then(collect), timeout]);
  } catch {
    // A failing collector must not take /metrics down with it.
  } finally {
    clearTimeout(timer);
  }
}
