/** Notification cards: one event (actionable) or a digest of many (when a channel would flood). */
import { card, type CardMessage, type Fact, type LinkButton } from '../cards/views';
import { formatDateTime } from '../format/dates';
import { ALERT_KINDS, type NormalisedEvent } from './event';
import type { PendingItem } from './backlog';

/** Items shown in a digest; the rest are counted (Slack allows 50 blocks a message). */
export const DIGEST_ITEMS_SHOWN = 15;

export function eventCard(event: NormalisedEvent): CardMessage {
  const links = linksOf(event);
  if (!ALERT_KINDS.has(event.kind)) {
    return card('release', {
      title: event.title,
      subtitle: [event.pipeline ?? event.experiment, formatDateTime(event.occurredAt)].filter(Boolean).join(' · '),
      stages: [{ name: event.env ?? '—', state: event.kind === 'approval_pending' ? 'awaiting approval' : (event.status ?? event.kind) }],
      links,
    });
  }
  const facts: Fact[] = [];
  const add = (title: string, value: string | undefined) => { if (value) facts.push({ title, value }); };
  add('Environment', event.env);
  add('Workspace', event.workspace);
  add('Experiment', event.experiment);
  add('Pipeline', event.pipeline);
  const isJob = event.source === 'azure-ml' || event.source === 'poller';
  const named = event.displayName && event.displayName !== event.subject ? `${event.displayName} (${event.subject})` : event.subject;
  add(isJob ? 'Job' : 'Run', named);
  add('Status', event.status);
  add('When', formatDateTime(event.occurredAt));
  return card('run-failed', {
    title: event.title,
    facts,
    error: event.error ?? '',
    mention: event.owner ?? '',
    links,
  });
}

/** The one line a digest shows per delivery. */
export function digestLine(event: NormalisedEvent): { title: string; detail: string } {
  const where = [event.env, event.experiment ?? event.pipeline].filter(Boolean).join(' · ');
  const err = event.error ? event.error.split('\n')[0].slice(0, 140) : '';
  return { title: event.title, detail: [where, err].filter(Boolean).join(' — ') };
}

/** `following`: how many more the next message of the digest names (a burst longer than one message). */
export function digestCard(items: Pick<PendingItem, 'title' | 'detail' | 'at'>[], following = 0): CardMessage {
  const shown = items.slice(0, DIGEST_ITEMS_SHOWN).map((i) => ({ title: i.title, detail: i.detail }));
  const more = items.length - shown.length;
  if (more > 0) shown.push({ title: `…and ${more} more`, detail: 'Open the studio or Azure DevOps for the full list.' });
  if (following > 0) shown.push({ title: `${following} more in the next message`, detail: '' });
  const times = items.map((i) => i.at).filter((t) => Number.isFinite(t));
  const since = times.length > 0 ? formatDateTime(new Date(Math.min(...times))) : undefined;
  return card('digest', {
    title: `${items.length} notifications`,
    subtitle: `Grouped into one message so the channel is not flooded${since ? ` · since ${since}` : ''}`,
    items: shown,
  });
}

function linksOf(event: NormalisedEvent): LinkButton[] {
  const out: LinkButton[] = [];
  // Links come from webhook bodies: only web addresses become buttons.
  if (isWeb(event.links.studio)) out.push({ title: 'Open in studio', url: event.links.studio! });
  if (isWeb(event.links.run)) out.push({ title: 'Open run', url: event.links.run! });
  return out;
}

function isWeb(url: string | undefined): boolean {
  return url !== undefined && /^https?:\/\/[^\s]+$/i.test(url);
}
