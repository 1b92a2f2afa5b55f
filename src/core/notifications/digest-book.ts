/**
 * Durable bookkeeping of digests. A delivery folded into a digest carries a mark
 * (`notify-folded`: delivery key → digest key) so it never posts on its own; a digest's members are
 * the list it was recorded with plus those that joined later, each a document in the namespace
 * `notify-digest:<digest key>` (written before the joiner's mark, so a crash between the two leaves
 * a member the digest still posts, never a marked delivery nobody posts).
 */
import type { Store } from '../ports';
import type { PendingItem } from './backlog';

export const FOLDED_NS = 'notify-folded';
const membersNs = (digestKey: string): string => `notify-digest:${digestKey}`;

interface FoldMark { digestKey: string }

export class DigestBook {
  constructor(private readonly store: Store) {}

  async foldedInto(deliveryKey: string): Promise<string | undefined> {
    return (await this.store.getDoc<FoldMark>(FOLDED_NS, deliveryKey))?.digestKey;
  }

  /** Marks a delivery as carried by `digestKey` unless another digest already carries it. */
  async mark(deliveryKey: string, digestKey: string): Promise<boolean> {
    const current = await this.foldedInto(deliveryKey);
    if (current !== undefined) return current === digestKey;
    await this.store.putDoc<FoldMark>(FOLDED_NS, deliveryKey, { digestKey });
    return true;
  }

  /** Adds members to a digest that was already recorded, then marks them. */
  async join(digestKey: string, items: PendingItem[]): Promise<void> {
    for (const item of items) await this.store.putDoc(membersNs(digestKey), item.key, item);
    for (const item of items) await this.mark(item.key, digestKey);
  }

  async joined(digestKey: string): Promise<PendingItem[]> {
    return (await this.store.listDocs<PendingItem>(membersNs(digestKey))).map((d) => d.value);
  }
}
