/**
 * Posts one audit entry to one audit channel (effect `audit-post`). The post is short (a busy
 * channel or group chat reads one line per action): what, who, where, the entry number and the
 * start of its hash. `audit show <n>` gives the full card: the entry's details and whole hash,
 * so a reader can check it against `audit verify`.
 */
import { card, type CardMessage, type Fact } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { postOnce } from '../outbox/post-once';
import type { EffectHandler } from '../outbox/worker';
import type { Chat, Store } from '../ports';
import type { BotSettings } from '../settings';
import { canonicalJson, pickDraft } from './chain';
import { AUDIT_POST_EFFECT, AUDIT_REFUSALS_EFFECT, type AuditPostPayload } from './fan-out';
import { refusalSummaryHandler } from './refusal-summary';
import type { AuditDraft, AuditEntry, AuditHead } from './types';

const DETAIL_FACTS = 8;
const VALUE_MAX = 160;
/** The entry is committed with its effect, so it is at most this much older than the effect. */
const LOOKUP_SLACK_MS = 60_000;

export interface AuditPostDeps {
  chat: Pick<Chat, 'post' | 'findPosted'>;
  store: Pick<Store, 'listAudit' | 'auditHead'>;
  /** Which refusals each audit channel summarises (refusal-summary.ts). */
  settings?: BotSettings;
}

export function auditEffectHandlers(deps: AuditPostDeps): Record<string, EffectHandler> {
  return {
    [AUDIT_REFUSALS_EFFECT]: refusalSummaryHandler(deps),
    [AUDIT_POST_EFFECT]: async (effect) => {
      const { channel, entry } = effect.payload as unknown as AuditPostPayload;
      const stored = await findStored(deps.store, entry, new Date(effect.createdAt));
      // The chain's head goes out with every post: a copy outside the database to check verify against.
      const head = (await deps.store.auditHead()) ?? undefined;
      const ref = await postOnce(deps.chat, channel, auditPostCard(entry, stored ?? { at: effect.createdAt }, head), effect);
      return { channel: ref.channel, messageId: ref.messageId, ...(stored ? { seq: stored.seq } : {}), ...(head ? { headSeq: head.seq, headHash: head.hash } : {}) };
    },
  };
}

export function auditEntryCard(entry: AuditDraft, stored: Partial<Pick<AuditEntry, 'seq' | 'at' | 'hash'>>, head?: AuditHead): CardMessage {
  const facts: Fact[] = [];
  const add = (title: string, value: string | undefined) => { if (value) facts.push({ title, value }); };
  const detail = entry.detail ?? {};
  // A transition's summary says it in words ("approved by Alice"); its other fields are in the log.
  const summary = typeof detail.summary === 'string' ? detail.summary : undefined;
  add('What', summary);
  add('Who', entry.actor);
  add('Environment', entry.env ?? 'all environments');
  add('Model', entry.model);
  add('Request', entry.requestId);
  if (summary === undefined) {
    for (const [key, value] of Object.entries(detail).slice(0, DETAIL_FACTS)) add(label(key), show(value));
  }
  add('When', stored.at ? formatDateTime(stored.at) : undefined);
  add('Entry', stored.seq !== undefined ? `#${stored.seq}` : undefined);
  add('Correlation id', entry.correlationId);
  add('Chain head', head && head.seq > 0 ? `#${head.seq} ${head.hash.slice(0, 16)}` : undefined);
  return card('audit-entry', { title: `Audit: ${entry.action}`, facts, hash: stored.hash ?? '' });
}

/** The short form posted to audit channels: one summary line and where to see the rest. */
export function auditPostCard(entry: AuditDraft, stored: Partial<Pick<AuditEntry, 'seq' | 'at' | 'hash'>>, head?: AuditHead): CardMessage {
  const detail = entry.detail ?? {};
  const what = typeof detail.summary === 'string' ? detail.summary : undefined;
  // A transition's summary names who did it ("approved by Alice"); other entries name the actor.
  const line = [what ?? entry.actor, entry.env ?? 'all environments', entry.model, entry.requestId].filter(Boolean).join(' · ');
  const facts: Fact[] = [{ title: 'Summary', value: show(line) ?? '' }];
  if (stored.seq !== undefined) {
    facts.push({ title: 'Full entry', value: `\`audit show ${stored.seq}\`${stored.hash ? ` (hash ${stored.hash.slice(0, 12)}…)` : ''}` });
  }
  if (head && head.seq > 0) facts.push({ title: 'Chain head', value: `#${head.seq} ${head.hash.slice(0, 16)}` });
  const number = stored.seq !== undefined ? ` #${stored.seq}` : '';
  return card('audit-entry', { title: `Audit${number}: ${entry.action}`, facts, hash: '' });
}

/** `releaseState` → `Release state`. */
function label(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function show(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = typeof value === 'string' ? value : canonicalJson(value);
  return text.length > VALUE_MAX ? `${text.slice(0, VALUE_MAX - 1)}…` : text;
}

/**
 * The stored entry this post is about (for its number and hash). Best effort: equal entries (no
 * correlation id to tell them apart) are ambiguous, and a card must not claim the wrong hash.
 */
async function findStored(store: AuditPostDeps['store'], entry: AuditDraft, recordedAt: Date): Promise<AuditEntry | undefined> {
  if (Number.isNaN(recordedAt.getTime())) return undefined;
  const wanted = canonicalJson(pickDraft(entry));
  const since = new Date(recordedAt.getTime() - LOOKUP_SLACK_MS);
  const candidates = await store.listAudit({ ...(entry.env ? { env: entry.env } : {}), ...(entry.model ? { model: entry.model } : {}), since, limit: 200 });
  const matches = candidates.filter((c) => canonicalJson(pickDraft(c)) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
