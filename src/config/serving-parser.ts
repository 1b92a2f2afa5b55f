/** `serving` and `rollout` (DESIGN §9.1, §9.4), for an environment or a model rule. */
import type { RolloutSettings, ServingSettings } from '../core/settings';
import type { IssueList } from './config-error';
import { Fields } from './yaml-fields';

const ENDPOINT_NAME = /^[A-Za-z][A-Za-z0-9-]{2,31}$/;

export function parseServing(value: unknown, path: string, issues: IssueList): ServingSettings | undefined {
  const f = Fields.of(value, path, issues, ['kind', 'endpoint']);
  if (!f) return undefined;
  const kind = f.oneOf('kind', ['online', 'batch'] as const);
  const endpoint = f.str('endpoint', 'taxi-online');
  if (endpoint !== undefined && !ENDPOINT_NAME.test(endpoint)) {
    // Azure ML endpoint names: 3–32 characters, a letter first, then letters, digits and dashes.
    issues.add(f.at('endpoint'), `"${endpoint}" is not an Azure ML endpoint name.`, 'use 3 to 32 letters, digits or dashes, starting with a letter, e.g. taxi-online.');
    return undefined;
  }
  return kind && endpoint ? { kind, endpoint } : undefined;
}

export function parseRollout(value: unknown, path: string, issues: IssueList): RolloutSettings | undefined {
  const f = Fields.of(value, path, issues, ['steps', 'every', 'maxErrorRate', 'maxLatencyIncrease']);
  if (!f) return undefined;
  const steps = parseSteps(f, issues);
  const everyMs = f.duration('every', 15 * 60_000, false);
  const maxErrorRate = f.num('maxErrorRate', 0.01, { min: 0 }, '0.01');
  const maxLatencyIncrease = f.num('maxLatencyIncrease', 0.25, { min: 0 }, '0.25');
  if (maxErrorRate !== undefined && maxErrorRate > 1) {
    issues.add(f.at('maxErrorRate'), `${maxErrorRate} is more than 1 (100% errors).`, 'write a fraction: 0.01 allows 1% of requests to fail.');
    return undefined;
  }
  return steps && maxErrorRate !== undefined && maxLatencyIncrease !== undefined ? { steps, everyMs, maxErrorRate, maxLatencyIncrease } : undefined;
}

function parseSteps(f: Fields, issues: IssueList): number[] | undefined {
  const items = f.list('steps', false);
  if (!items) return [10, 50, 100];
  const steps: number[] = [];
  for (const { value, path } of items) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100) {
      issues.add(path, `${JSON.stringify(value)} is not a traffic percentage.`, 'list whole percentages from 1 to 100, e.g. steps: [10, 50, 100].');
      return undefined;
    }
    steps.push(value);
  }
  if (steps.some((s, i) => i > 0 && s <= steps[i - 1]) || steps[steps.length - 1] !== 100) {
    issues.add(f.at('steps'), `[${steps.join(', ')}] must rise step by step and end at 100.`, 'write them ascending and end with 100, e.g. steps: [10, 50, 100].');
    return undefined;
  }
  return steps;
}
