/**
 * The subset of the MLflow search filter grammar Azure ML supports: clauses joined by AND, each
 * `<entity>.<key> <op> <value>` with `IN ('a','b')` for run ids. Keys may be quoted or backticked.
 */
import type { MlflowRun } from './state';

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'IN' | 'LIKE';

interface Clause {
  entity: 'attributes' | 'metrics' | 'params' | 'tags';
  key: string;
  op: Op;
  values: (string | number)[];
}

export class FilterError extends Error {}

const CLAUSE = /^\s*(?:(attributes|attribute|attr|run|metrics|metric|params|param|parameters|tags|tag)\.)?(`[^`]+`|"[^"]+"|[A-Za-z_][\w.]*)\s*(=|!=|<=|>=|<|>|\bIN\b|\bLIKE\b)\s*(.+?)\s*$/i;

function splitAnd(filter: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < filter.length; i++) {
    const c = filter[i] ?? '';
    if (quote) { if (c === quote) quote = null; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /^\sand\s$/i.test(filter.slice(i, i + 5))) {
      parts.push(filter.slice(start, i));
      start = i + 5;
      i += 4;
    }
  }
  parts.push(filter.slice(start));
  return parts.filter((p) => p.trim() !== '');
}

function parseValue(raw: string): string | number {
  const t = raw.trim();
  const quoted = /^'(.*)'$|^"(.*)"$/.exec(t);
  if (quoted) return quoted[1] ?? quoted[2] ?? '';
  const n = Number(t);
  if (t !== '' && Number.isFinite(n)) return n;
  throw new FilterError(`Invalid value ${t}: strings must be quoted.`);
}

function parseClause(text: string): Clause {
  const m = CLAUSE.exec(text);
  if (!m) throw new FilterError(`Invalid clause '${text.trim()}'.`);
  const entityRaw = (m[1] ?? 'attributes').toLowerCase();
  const entity = entityRaw.startsWith('metric') ? 'metrics' : entityRaw.startsWith('param') ? 'params' : entityRaw.startsWith('tag') ? 'tags' : 'attributes';
  const key = (m[2] ?? '').replace(/^[`"]|[`"]$/g, '');
  const op = (m[3] ?? '').toUpperCase() as Op;
  const rhs = m[4] ?? '';
  if (op === 'IN') {
    const list = /^\((.*)\)$/.exec(rhs.trim());
    if (!list) throw new FilterError(`IN needs a parenthesised list: '${text.trim()}'.`);
    return { entity, key, op, values: (list[1] ?? '').split(',').filter((s) => s.trim() !== '').map(parseValue) };
  }
  return { entity, key, op, values: [parseValue(rhs)] };
}

export function parseFilter(filter: string | undefined): Clause[] {
  if (!filter || !filter.trim()) return [];
  if (/\sor\s/i.test(filter.replace(/'[^']*'|"[^"]*"/g, ''))) throw new FilterError('OR is not supported; combine clauses with AND.');
  return splitAnd(filter).map(parseClause);
}

function attribute(run: MlflowRun, key: string): string | number | undefined {
  switch (key.toLowerCase()) {
    case 'run_id': case 'run_uuid': case 'id': return run.runId;
    case 'run_name': return run.tags['mlflow.runName'] ?? run.runId;
    case 'status': return run.status;
    case 'start_time': return run.startTime;
    case 'end_time': return run.endTime;
    case 'experiment_id': return run.experimentId;
    default: throw new FilterError(`Unsupported attribute '${key}'.`);
  }
}

function latestMetric(run: MlflowRun, key: string): number | undefined {
  const values = run.metrics.filter((m) => m.key === key).sort((a, b) => a.timestamp - b.timestamp || a.step - b.step);
  return values[values.length - 1]?.value;
}

function compare(actual: string | number | undefined, op: Op, values: (string | number)[], caseless: boolean): boolean {
  if (actual === undefined) return false;
  const norm = (v: string | number): string | number => (caseless && typeof v === 'string' ? v.toUpperCase() : v);
  const a = norm(actual);
  const v = norm(values[0] ?? '');
  switch (op) {
    case 'IN': return values.map(norm).includes(a);
    case '=': return a === v || (typeof a === 'number' && a === Number(v));
    case '!=': return a !== v;
    case '<': return a < v;
    case '<=': return a <= v;
    case '>': return a > v;
    case '>=': return a >= v;
    case 'LIKE': {
      const pattern = String(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
      return new RegExp(`^${pattern}$`).test(String(a));
    }
  }
}

export function matches(run: MlflowRun, clauses: Clause[]): boolean {
  return clauses.every((c) => {
    if (c.entity === 'metrics') return compare(latestMetric(run, c.key), c.op, c.values.map(Number), false);
    if (c.entity === 'params') return compare(run.params[c.key], c.op, c.values, false);
    if (c.entity === 'tags') return compare(run.tags[c.key], c.op, c.values, false);
    return compare(attribute(run, c.key), c.op, c.values, c.key.toLowerCase() === 'status');
  });
}
