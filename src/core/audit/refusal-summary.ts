/**
 * Refused commands in an audit channel: one summary per window (fan-out.ts), naming who tried what
 * and how often, read from the audit log itself when the window has closed. A flood of refusals
 * costs the channel one message a window; `audit` and `audit verify` still see every entry.
 */
import { card, type CardMessage } from '../cards/views';
import { postOnce } from '../outbox/post-once';
import type { EffectHandler } from '../outbox/worker';
import type { Chat, Store } from '../ports';
import type { BotSettings } from '../settings';
import { auditChannelsFor, isRefusal, type AuditRefusalsPayload } from './fan-out';
import type { AuditEntry } from './types';

const LINES = 15;
const READ_LIMIT = 2000;

export interface RefusalSummaryDeps {
  chat: Pick<Chat, 'post' | 'findPosted'>;
  store: Pick<Store, 'listAudit'>;
  /** Without settings every refusal of the window counts; with them, those this channel audits. */
  settings?: BotSettings;
}

export function refusalSummaryHandler(deps: RefusalSummaryDeps): EffectHandler {
  return async (effect) => {
    const { channel, from, to } = effect.payload as unknown as AuditRefusalsPayload;
    const end = Date.parse(to);
    const entries = (await deps.store.listAudit({ since: new Date(from), limit: READ_LIMIT }))
      .filter((e) => isRefusal(e.action) && Date.parse(e.at) < end)
      .filter((e) => !deps.settings || auditChannelsFor(deps.settings, e.env).includes(channel));
    if (entries.length === 0) return { posted: false };
    const ref = await postOnce(deps.chat, channel, summaryCard(entries, from, to), effect);
    return { channel: ref.channel, messageId: ref.messageId, refusals: entries.length };
  };
}

function summaryCard(entries: AuditEntry[], from: string, to: string): CardMessage {
  const groups = new Map<string, { who: string; what: string; count: number }>();
  for (const e of entries) {
    const what = String(e.detail.command ?? e.detail.attempted ?? e.action);
    const reason = typeof e.detail.reason === 'string' ? ` (${e.detail.reason})` : '';
    const id = `${e.actor}|${what}${reason}`;
    const g = groups.get(id) ?? { who: e.actor, what: `${what}${reason}`, count: 0 };
    g.count++;
    groups.set(id, g);
  }
  const rows = [...groups.values()].sort((a, b) => b.count - a.count);
  const shown = rows.slice(0, LINES).map((g) => `${g.who}: ${g.what}${g.count > 1 ? ` ×${g.count}` : ''}`);
  if (rows.length > LINES) shown.push(`…and ${rows.length - LINES} more kinds; see: audit --since 1h`);
  const span = `${from.slice(11, 19)}–${to.slice(11, 19)} UTC`;
  return card('notice', {
    title: `Audit: ${entries.length} refused command${entries.length === 1 ? '' : 's'}`,
    text: `${span}, grouped so the channel is not flooded:\n${shown.join('\n')}`,
    tone: 'warning',
  });
}
