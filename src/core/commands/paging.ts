/**
 * Long lists page: `--page N` in text, a More button on cards, and a line that says how many there
 * are in all (or "at least N" when only part of the list was read).
 */
import type { ActionButton } from '../cards/views';
import { BotError } from '../errors';
import { plural } from '../format/numbers';
import { flag } from './lookup';
import { clip } from './suggest';
import type { FlagSpec, ParsedArgs } from './types';

export const PAGE_FLAG: FlagSpec = { name: 'page', kind: 'string', description: 'Page of a long list (default 1)' };

/** Commands whose cards carry a More button; the button runs the same command with `--page N+1`. */
export const PAGED_COMMANDS = ['models', 'runs', 'releases', 'audit', 'requests', 'rollouts'] as const;
const MAX_PAGE = 10_000;

export function pageOf(args: ParsedArgs): number {
  const text = flag(args, 'page');
  if (text === undefined) return 1;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_PAGE) {
    throw new BotError('usage', `'${clip(text)}' is not a page number.`, { remedy: 'Use --page 2, --page 3, …' });
  }
  return Number(text);
}

export interface Paged<T> { rows: T[]; page: number; pages: number; first: number }

/** The rows of one page; a page past the end is refused with the number of pages. */
export function pageSlice<T>(items: readonly T[], page: number, size: number, exact = true): Paged<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (page > pages && exact) {
    throw new BotError('usage', `There ${pages === 1 ? 'is only 1 page' : `are only ${pages} pages`}.`, { remedy: `Use --page 1…${pages}.` });
  }
  const first = (page - 1) * size;
  return { rows: items.slice(first, first + size), page, pages, first };
}

/** `201 models` or `at least 100 models`. */
export function countText(n: number, exact: boolean, one: string, many?: string): string {
  return exact ? plural(n, one, many) : `at least ${plural(n, one, many)}`;
}

/** `; page 2 of 11 (type `models --page 3` for more)` — empty on a single page. */
export function pageNote(p: Paged<unknown>, command: string, hasMore: boolean): string {
  if (p.pages <= 1 && !hasMore) return '';
  const range = p.rows.length === 0 ? '' : ` ${p.first + 1}–${p.first + p.rows.length}`;
  const of = hasMore && p.page >= p.pages ? '' : ` of ${p.pages}`;
  const next = hasMore ? `; \`${withPage(command, p.page + 1)}\` for more` : '';
  return `; page ${p.page}${of} (${range.trim()})${next}`;
}

/** The More button, present while a next page exists. */
export function moreButton(command: string, page: number, hasMore: boolean): ActionButton[] {
  return hasMore ? [{ verb: 'more', title: 'More', data: { command: withPage(command, page + 1) } }] : [];
}

export function withPage(command: string, page: number): string {
  return `${command.replace(/\s+--page\s+\S+/g, '').trim()} --page ${page}`;
}

/** The command text of a More button, or null when it is not one the bot made (forged or edited). */
export function moreCommand(data: Record<string, unknown>): string | null {
  const text = data.command;
  if (typeof text !== 'string' || text.length > 300) return null;
  if (!/^[A-Za-z0-9 _.*:@'"-]+ --page \d{1,5}$/.test(text)) return null;
  const head = text.split(' ')[0] ?? '';
  return (PAGED_COMMANDS as readonly string[]).includes(head) ? text : null;
}

/** The command line that produced `args` (for the More button and the "for more" hint). */
export function commandLine(name: string, args: ParsedArgs): string {
  const quote = (v: string): string => (/^[^\s"']+$/.test(v) ? v : `"${v.replace(/"/g, "'")}"`);
  const words = [name, ...Object.values(args.positional).filter((v): v is string => v !== undefined).map(quote), ...args.rest.map(quote)];
  for (const [k, v] of Object.entries(args.flags)) {
    if (k === 'page' || v === undefined || v === false) continue;
    words.push(v === true ? `--${k}` : `--${k} ${quote(v)}`);
  }
  return words.join(' ');
}
