/**
 * Subscription filters: `--filter "taxi kind:rejected"` narrows a subscription to events whose
 * experiment, pipeline or subject contains every name word, and (with `kind:`) to some event kinds of
 * the subscription's family. Stored in a canonical form so equal filters compare equal.
 */
import { BotError } from '../errors';
import { FAMILY_OF, type EventKind, type NormalisedEvent, type SubscriptionKind } from './event';

export interface ParsedFilter {
  /** Lower-case substrings that must all appear. */
  names: string[];
  /** Empty: the subscription kind's default event kinds. */
  kinds: EventKind[];
}

export function parseFilter(kind: SubscriptionKind, text: string | undefined): ParsedFilter {
  const names = new Set<string>();
  const kinds = new Set<EventKind>();
  for (const token of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const m = /^(kind|event|name):(.*)$/i.exec(token);
    if (m && m[1].toLowerCase() !== 'name') kinds.add(eventKind(kind, m[2]));
    else {
      const name = (m ? m[2] : token).toLowerCase();
      if (name !== '') names.add(name);
    }
  }
  return { names: [...names].sort(), kinds: [...kinds].sort() };
}

/** `kind:release_failed name:taxi`, or '' for no filter. */
export function canonicalFilter(f: ParsedFilter): string {
  return [...f.kinds.map((k) => `kind:${k}`), ...f.names.map((n) => `name:${n}`)].join(' ');
}

export function filterMatches(f: ParsedFilter, defaults: readonly EventKind[], event: NormalisedEvent): boolean {
  if (!(f.kinds.length > 0 ? f.kinds : defaults).includes(event.kind)) return false;
  if (f.names.length === 0) return true;
  const haystack = [event.experiment, event.pipeline, event.subject, event.title].filter(Boolean).join(' ').toLowerCase();
  return f.names.every((n) => haystack.includes(n));
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
