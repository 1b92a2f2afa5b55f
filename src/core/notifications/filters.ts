/**
 * Subscription filters: `--filter "model=taxi-model kind:failed"` narrows a subscription to the
 * events whose fields say so. `key=value` (or `key:value`) compares with a field the event really
 * carries; each subscription kind accepts the keys its events have, and an unknown key is refused
 * with the valid ones. A bare word (or `name:`) must appear in one of the event's names. Stored in a
 * canonical form so equal filters compare equal.
 */
import { BotError } from '../errors';
import { FAMILY_OF, type EventKind, type NormalisedEvent, type SubscriptionKind } from './event';

/** Filter keys that compare with one of an event's fields (case-insensitive, whole value). */
const FIELDS = {
  model: (e: NormalisedEvent) => [e.model],
  experiment: (e: NormalisedEvent) => [e.experiment],
  job: (e: NormalisedEvent) => [e.subject, e.displayName],
  pipeline: (e: NormalisedEvent) => [e.pipeline],
  release: (e: NormalisedEvent) => [e.subject],
} as const;
export type FieldKey = keyof typeof FIELDS;

/** The field keys each kind's events carry: a key they never carry could never match. */
export const FIELD_KEYS: Record<SubscriptionKind, readonly FieldKey[]> = {
  'failed-runs': ['model', 'experiment', 'job', 'pipeline'],
  releases: ['pipeline', 'release'],
  approvals: ['pipeline', 'release'],
};

export interface ParsedFilter {
  /** Lower-case substrings that must all appear. */
  names: string[];
  /** Empty: the subscription kind's default event kinds. */
  kinds: EventKind[];
  /** Fields that must equal a value (lower case), sorted by key then value. */
  fields: { key: FieldKey; value: string }[];
}

export function parseFilter(kind: SubscriptionKind, text: string | undefined): ParsedFilter {
  const names = new Set<string>();
  const kinds = new Set<EventKind>();
  const fields = new Map<string, { key: FieldKey; value: string }>();
  for (const token of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const m = /^([A-Za-z][\w-]*)[:=](.*)$/.exec(token);
    if (!m) { names.add(token.toLowerCase()); continue; }
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (value === '') throw new BotError('usage', `'${token.slice(0, 40)}' has no value.`, { remedy: `Write ${key}=<value>.` });
    if (key === 'kind' || key === 'event') kinds.add(eventKind(kind, value));
    else if (key === 'name') names.add(value.toLowerCase());
    else {
      const field = fieldKey(kind, key);
      fields.set(`${field}=${value.toLowerCase()}`, { key: field, value: value.toLowerCase() });
    }
  }
  const sortedFields = [...fields.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => f);
  return { names: [...names].sort(), kinds: [...kinds].sort(), fields: sortedFields };
}

/** `kind:release_failed model:taxi-model name:taxi`, or '' for no filter. */
export function canonicalFilter(f: ParsedFilter): string {
  return [...f.kinds.map((k) => `kind:${k}`), ...f.fields.map((x) => `${x.key}:${x.value}`), ...f.names.map((n) => `name:${n}`)].join(' ');
}

export function filterMatches(f: ParsedFilter, defaults: readonly EventKind[], event: NormalisedEvent): boolean {
  if (!(f.kinds.length > 0 ? f.kinds : defaults).includes(event.kind)) return false;
  for (const { key, value } of f.fields) {
    if (!FIELDS[key](event).some((v) => v !== undefined && v.toLowerCase() === value)) return false;
  }
  if (f.names.length === 0) return true;
  const haystack = [event.experiment, event.pipeline, event.subject, event.displayName, event.model, event.title].filter(Boolean).join(' ').toLowerCase();
  return f.names.every((n) => haystack.includes(n));
}

function fieldKey(kind: SubscriptionKind, key: string): FieldKey {
  const valid = FIELD_KEYS[kind];
  const found = valid.find((k) => k === key);
  if (found) return found;
  throw new BotError('usage', `'${key.slice(0, 40)}' is not a filter of ${kind}. Valid: ${[...valid, 'kind', 'name'].join(', ')}.`, {
    remedy: `For example --filter "${valid[0]}=<value>", --filter "kind:${FAMILY_OF[kind][0].split('_').slice(1).join('_')}" or a word its names contain.`,
  });
}

/** Accepts `release_failed`, `release-failed` or the short `failed`, within the family only. */
function eventKind(kind: SubscriptionKind, raw: string): EventKind {
  const family = FAMILY_OF[kind];
  const wanted = raw.toLowerCase().replace(/-/g, '_');
  const found = family.find((k) => k === wanted || k.split('_').slice(1).join('_') === wanted);
  if (found) return found;
  const valid = family.map((k) => k.split('_').slice(1).join('_'));
  throw new BotError('usage', `'${raw.slice(0, 40)}' is not an event kind of ${kind}. Valid: ${valid.join(', ')}.`, {
    remedy: `Use --filter "kind:${valid[0]}" or a name, e.g. --filter taxi.`,
  });
}
