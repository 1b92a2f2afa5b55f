import { createHash } from 'node:crypto';
import {
  canonicalJson, chainEntry, computeHash, GENESIS_HASH, verifyChain, verifyStoreChain,
} from '../../src/core/audit/chain';
import type { AuditDraft, AuditEntry } from '../../src/core/audit/types';

function buildChain(n: number, draftOf: (i: number) => AuditDraft = fullDraft): AuditEntry[] {
  const out: AuditEntry[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i < n; i++) {
    const entry = chainEntry(head, new Date(Date.UTC(2026, 10, 2, 9, 0, i)).toISOString(), draftOf(i));
    out.push(entry);
    head = entry;
  }
  return out;
}

function fullDraft(i: number): Required<AuditDraft> {
  return {
    action: 'promotion.approved', actor: `slack:U0${i}`, env: 'prod', model: 'taxi-model', requestId: `PR-${i}`,
    detail: { comment: 'ok', approvals: [{ by: 'a', n: i }], nested: { deep: true } }, correlationId: `corr-${i}`,
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function tamper(value: unknown): unknown {
  if (typeof value === 'string') return `${value}x`;
  if (typeof value === 'number') return value + 1;
  return { ...(value as object), injected: 1 };
}

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined, keeping array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ x: [2, 1] })).not.toBe(canonicalJson({ x: [1, 2] }));
    expect(canonicalJson({ at: new Date('2026-01-01T00:00:00Z') })).toBe('{"at":"2026-01-01T00:00:00.000Z"}');
  });
});

describe('computeHash', () => {
  it('is SHA-256 over the canonical JSON of every field but the hash', () => {
    const expected = createHash('sha256')
      .update(`{"action":"a","actor":"system","at":"2026-01-01T00:00:00.000Z","detail":{"k":1},"env":"prod","prevHash":"${GENESIS_HASH}","seq":1}`)
      .digest('hex');
    expect(computeHash(GENESIS_HASH, 1, '2026-01-01T00:00:00.000Z', { detail: { k: 1 }, env: 'prod', actor: 'system', action: 'a' })).toBe(expected);
  });

  it('ignores properties that are not part of an entry, and key order', () => {
    const d = fullDraft(1);
    const reordered = Object.fromEntries(Object.entries(d).reverse()) as unknown as AuditDraft;
    expect(computeHash(GENESIS_HASH, 1, 't', { ...d, extra: 'x' } as AuditDraft)).toBe(computeHash(GENESIS_HASH, 1, 't', reordered));
  });
});

describe('verifyChain', () => {
  const chain = buildChain(6);

  it('accepts an intact chain and an empty one', () => {
    expect(verifyChain(chain)).toMatchObject({ ok: true, checked: 6 });
    expect(verifyChain([])).toMatchObject({ ok: true, checked: 0 });
  });

  const fields = Object.keys(chain[0]) as (keyof AuditEntry)[];
  it('covers every field of an entry', () => {
    const full: Required<AuditEntry> = { ...fullDraft(0), seq: 1, at: 't', prevHash: 'p', hash: 'h' };
    expect([...fields].sort()).toEqual(Object.keys(full).sort());
  });

  it.each(fields)('detects a change to %s of any entry, at that entry', (field) => {
    for (let i = 0; i < chain.length; i++) {
      const copy = clone(chain);
      (copy[i] as unknown as Record<string, unknown>)[field] = tamper(copy[i][field]);
      const res = verifyChain(copy);
      expect(res.ok).toBe(false);
      expect(res.firstBroken?.seq).toBe(i + 1);
      expect(res.checked).toBe(i);
    }
  });

  it('detects a change deep inside detail and an optional field added or removed', () => {
    const deep = clone(chain);
    (deep[2].detail.nested as { deep: boolean }).deep = false;
    expect(verifyChain(deep).firstBroken?.seq).toBe(3);
    const sparse = buildChain(3, (i) => ({ action: 'a', actor: 'system', detail: { i } }));
    const added = clone(sparse);
    added[1].env = 'prod';
    expect(verifyChain(added).firstBroken?.seq).toBe(2);
    const removed = clone(chain);
    delete removed[4].correlationId;
    expect(verifyChain(removed).firstBroken?.seq).toBe(5);
  });

  it('detects a rewritten entry whose own hash was recomputed, at the entry after it', () => {
    const copy = clone(chain);
    copy[2].actor = 'slack:UEVIL';
    copy[2].hash = computeHash(copy[2].prevHash, copy[2].seq, copy[2].at, copy[2]);
    expect(verifyChain(copy)).toMatchObject({ ok: false, firstBroken: { seq: 4 } });
    expect(verifyChain(copy).firstBroken?.reason).toMatch(/prevHash/);
  });

  it('detects a deleted entry, first or in the middle', () => {
    expect(verifyChain([...chain.slice(0, 2), ...chain.slice(3)])).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3 } });
    expect(verifyChain([...chain.slice(0, 2), ...chain.slice(3)]).firstBroken?.reason).toMatch(/missing/);
    expect(verifyChain(chain.slice(1))).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
  });

  it('detects reordered entries, also when the seq numbers were swapped back', () => {
    expect(verifyChain([chain[0], chain[2], chain[1], ...chain.slice(3)])).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
    const swapped = clone([chain[0], chain[2], chain[1], ...chain.slice(3)]);
    swapped[1].seq = 2;
    swapped[2].seq = 3;
    expect(verifyChain(swapped)).toMatchObject({ ok: false, firstBroken: { seq: 2 } });
  });

  it('continues from a given head', () => {
    expect(verifyChain(chain.slice(3), { seq: 3, hash: chain[2].hash })).toMatchObject({ ok: true, checked: 3 });
    expect(verifyChain(chain.slice(3), { seq: 3, hash: chain[1].hash }).ok).toBe(false);
  });
});

describe('verifyStoreChain', () => {
  function pagedStore(entries: AuditEntry[], anchor?: { seq: number; hash: string } | null) {
    const reads: number[] = [];
    const last = entries[entries.length - 1];
    return {
      reads,
      auditHead: async () => (anchor !== undefined ? anchor : last ? { seq: last.seq, hash: last.hash } : { seq: 0, hash: GENESIS_HASH }),
      readAuditChain: async (afterSeq: number, limit: number) => {
        const page = entries.filter((e) => e.seq > afterSeq).slice(0, limit);
        reads.push(page.length);
        return page;
      },
    };
  }

  it('verifies a large log in pages no bigger than asked', async () => {
    const store = pagedStore(buildChain(1000, (i) => ({ action: 'a', actor: 'system', detail: { i } })));
    expect(await verifyStoreChain(store, 64)).toMatchObject({ ok: true, checked: 1000 });
    expect(Math.max(...store.reads)).toBe(64);
    expect(store.reads).toHaveLength(Math.ceil(1000 / 64) + 1);
  });

  it('pinpoints tampering at a page boundary and past the first page', async () => {
    for (const seq of [1, 64, 65, 200]) {
      const entries = buildChain(200, (i) => ({ action: 'a', actor: 'system', detail: { i } }));
      entries[seq - 1].detail = { i: -1 };
      expect(await verifyStoreChain(pagedStore(entries), 64)).toMatchObject({ ok: false, checked: seq - 1, firstBroken: { seq } });
    }
  });

  it('compares the last entry with the anchored head: removed newest entries, a missing or foreign anchor', async () => {
    const entries = buildChain(10, (i) => ({ action: 'a', actor: 'system', detail: { i } }));
    const anchor = { seq: 10, hash: entries[9].hash };
    expect(await verifyStoreChain(pagedStore(entries.slice(0, 8), anchor), 4)).toMatchObject({
      ok: false, checked: 8, firstBroken: { seq: 9, reason: expect.stringContaining('entries 9 to 10 are missing') },
    });
    expect(await verifyStoreChain(pagedStore(entries, null))).toMatchObject({ ok: false, firstBroken: { reason: expect.stringContaining('anchored head of the chain is missing') } });
    expect(await verifyStoreChain(pagedStore(entries, { seq: 10, hash: 'f'.repeat(64) }))).toMatchObject({ ok: false, firstBroken: { seq: 10 } });
    expect(await verifyStoreChain(pagedStore(entries, { seq: 9, hash: entries[8].hash }))).toMatchObject({ ok: false, firstBroken: { seq: 10, reason: expect.stringContaining('added outside') } });
    expect(await verifyStoreChain(pagedStore([], null))).toMatchObject({ ok: true, checked: 0 });
  });

  it('refuses a page size that cannot make progress', async () => {
    await expect(verifyStoreChain(pagedStore([]), 0)).rejects.toThrow(RangeError);
  });
});
