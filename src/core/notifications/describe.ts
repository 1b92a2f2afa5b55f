/** Subscriptions in words, for command replies and the `subscriptions` card. */
import { parseFilter } from './filters';
import type { Subscription } from './subscriptions';

const short = (kind: string): string => kind.split('_').slice(1).join(' ');

/** `prod · failed only · name contains "taxi"`. */
export function describeFilter(sub: Pick<Subscription, 'kind' | 'env' | 'filter'>): string {
  const f = parseFilter(sub.kind, sub.filter);
  const parts = [sub.env ?? 'all environments'];
  if (f.kinds.length > 0) parts.push(`${f.kinds.map(short).join(', ')} only`);
  for (const x of f.fields) parts.push(`${x.key} ${x.value}`);
  for (const n of f.names) parts.push(`name contains "${n}"`);
  return parts.join(' · ');
}

const WHAT: Record<Subscription['kind'], string> = {
  'failed-runs': 'failed runs',
  releases: 'release outcomes',
  approvals: 'pending approvals',
};

export function describeSubscription(sub: Pick<Subscription, 'kind' | 'env' | 'filter'>): string {
  return `${WHAT[sub.kind]} (${describeFilter(sub)})`;
}
