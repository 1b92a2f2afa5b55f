/**
 * The audit hash chain (DESIGN §4): each entry's hash covers every other field of the entry,
 * including the previous entry's hash, so editing, deleting or reordering any entry breaks the
 * chain from that point on.
 */
import { createHash } from 'node:crypto';
import type { Store } from '../ports';
import type { AuditDraft, AuditEntry, AuditHead } from './types';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * Fields of a draft that are part of an entry. Stores persist exactly these, so anything else on
 * the object handed to `computeHash` must not influence the hash (it would not survive a reload).
 */
export const AUDIT_DRAFT_FIELDS = ['action', 'actor', 'env', 'model', 'requestId', 'detail', 'correlationId'] as const;

/** JSON with object keys sorted at every depth, so equal values always hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalValue(value));
}

function canonicalValue(value: unknown): unknown {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return canonicalValue((value as { toJSON: () => unknown }).toJSON());
  }
  if (Array.isArray(value)) return value.map((v) => (v === undefined || typeof v === 'function' ? null : canonicalValue(v)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out[key] = canonicalValue(v);
    }
    return out;
  }
  return value;
}

/** Only the persisted fields of a draft, with absent optional fields left out. */
export function pickDraft(draft: AuditDraft): AuditDraft {
  const out: Record<string, unknown> = {};
  for (const field of AUDIT_DRAFT_FIELDS) {
    const v = draft[field];
    // A null optional column means "absent"; detail is kept as is so nulling it is visible.
    if (v !== undefined && (v !== null || field === 'detail')) out[field] = v;
  }
  return out as unknown as AuditDraft;
}

/** SHA-256 (hex) over the canonical JSON of the whole entry except its own hash. */
export function computeHash(prevHash: string, seq: number, at: string, draft: AuditDraft): string {
  const body = { ...pickDraft(draft), seq, at, prevHash };
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}

/** Builds the next entry of a chain whose head is `prev` (GENESIS_HASH / seq 0 for an empty chain). */
export function chainEntry(prev: { seq: number; hash: string }, at: string, draft: AuditDraft): AuditEntry {
  const seq = prev.seq + 1;
  const clean = pickDraft({ ...draft, detail: draft.detail ?? {} });
  return { ...clean, seq, at, prevHash: prev.hash, hash: computeHash(prev.hash, seq, at, clean) };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
  /** Head after the last entry that verified, to continue with the next page. */
  head?: { seq: number; hash: string };
}

/**
 * Verifies `entries` in order. `from` is the head the first entry must follow; by default the
 * chain must start at the genesis (seq 1).
 */
export function verifyChain(entries: readonly AuditEntry[], from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainVerification {
  let head = from;
  let checked = 0;
  for (const entry of entries) {
    const expected = head.seq + 1;
    if (entry.seq !== expected) {
      const reason = entry.seq > expected
        ? `entry ${expected} is missing (next entry found is ${entry.seq})`
        : `entry ${entry.seq} is out of order (expected ${expected})`;
      return { ok: false, checked, firstBroken: { seq: expected, reason }, head };
    }
    if (entry.prevHash !== head.hash) {
      return { ok: false, checked, firstBroken: { seq: entry.seq, reason: `prevHash does not match the hash of entry ${head.seq}` }, head };
    }
    if (computeHash(entry.prevHash, entry.seq, entry.at, entry) !== entry.hash) {
      return { ok: false, checked, firstBroken: { seq: entry.seq, reason: `entry ${entry.seq} was modified (its hash does not match its content)` }, head };
    }
    head = { seq: entry.seq, hash: entry.hash };
    checked += 1;
  }
  return { ok: true, checked, head };
}

/**
 * Verifies the store's whole chain page by page, so memory stays flat on large logs, then checks
 * the last entry against the head the store anchors outside the log: deleting the newest entries
 * leaves a chain that is intact on its own but shorter than its anchor.
 */
export async function verifyStoreChain(store: Pick<Store, 'readAuditChain' | 'auditHead'>, pageSize = 500): Promise<ChainVerification> {
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError('pageSize must be a positive integer');
  let head = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  let lookedAgain = false;
  for (;;) {
    const page = await store.readAuditChain(head.seq, pageSize);
    if (page.length === 0) {
      const anchor = await store.auditHead();
      // An append may have landed after the last page was read: look once more before judging.
      if (anchor && anchor.seq > head.seq && !lookedAgain) {
        lookedAgain = true;
        continue;
      }
      const broken = compareWithAnchor(head, anchor);
      return broken ? { ok: false, checked, firstBroken: broken, head } : { ok: true, checked, head };
    }
    const result = verifyChain(page, head);
    checked += result.checked;
    if (!result.ok) return { ...result, checked };
    head = result.head ?? head;
  }
}

function compareWithAnchor(head: AuditHead, anchor: AuditHead | null): ChainVerification['firstBroken'] {
  if (!anchor) return head.seq === 0 ? undefined : { seq: head.seq, reason: 'the anchored head of the chain is missing, so removed newest entries could not be seen' };
  if (anchor.seq > head.seq) {
    const missing = anchor.seq === head.seq + 1 ? `entry ${anchor.seq} is` : `entries ${head.seq + 1} to ${anchor.seq} are`;
    return { seq: head.seq + 1, reason: `${missing} missing: the newest entries were deleted (the anchored head counts ${anchor.seq})` };
  }
  if (anchor.seq < head.seq) return { seq: anchor.seq + 1, reason: `entries after ${anchor.seq} were added outside the bot (the anchored head counts ${anchor.seq})` };
  if (anchor.hash !== head.hash) return { seq: head.seq, reason: `entry ${head.seq} does not match the anchored head hash` };
  return undefined;
}
