/**
 * A release definition's releases, newest first, in one round of requests side by side. The service
 * answers at most 100 releases a request, and a continuation token only comes with an answer, so
 * pages read one after another cost a round trip each. Instead, beside the newest page of the
 * definition, ranges of release ids below its newest release are asked for at the same time
 * (`releaseIdFilter`; ids are numbered project-wide, a newer release has a higher id): a range of
 * 100 ids holds at most 100 releases, so no answer is cut short, and together with the newest page
 * they cover the definition's releases from its newest one down without a gap.
 */
import type { Release } from 'azure-devops-node-api/interfaces/ReleaseInterfaces';

/** Releases per request (the service's maximum). */
export const SEARCH_PAGE = 100;
/** Id ranges read beside the newest page. */
export const SEARCH_RANGES = 4;

export interface SearchInput {
  /** The id of the definition's newest release; without it only the newest page is read. */
  newestId?: number;
  /** One list request: `top` releases newest first, only those with `ids` when given. */
  read(what: string, top: number, ids?: number[]): Promise<Release[]>;
}

export interface SearchResult {
  releases: Release[];
  /** Nothing older is left unread. */
  complete: boolean;
  /** Releases of the definition read (the newest ones, without a gap). */
  searched: number;
}

/** The id ranges below the newest page: [newest-100-99 .. newest-100], the next hundred below, … */
export function idRanges(newestId: number | undefined, count = SEARCH_RANGES): number[][] {
  const out: number[][] = [];
  if (newestId === undefined) return out;
  for (let j = 0; j < count; j++) {
    const high = newestId - SEARCH_PAGE * (j + 1);
    if (high < 1) break;
    const low = Math.max(1, high - SEARCH_PAGE + 1);
    out.push(Array.from({ length: high - low + 1 }, (_, i) => high - i));
  }
  return out;
}

export async function searchReleases(input: SearchInput): Promise<SearchResult> {
  const ranges = idRanges(input.newestId);
  const [newest, ...older] = await Promise.all([
    input.read('', SEARCH_PAGE),
    ...ranges.map((ids) => input.read(` (ids ${ids.at(-1)}–${ids[0]})`, SEARCH_PAGE, ids)),
  ]);
  if (newest!.length < SEARCH_PAGE) return { releases: newest!, complete: true, searched: newest!.length };
  const byId = new Map<number, Release>();
  for (const r of [...newest!, ...older.flat()]) if (r.id !== undefined) byId.set(r.id, r);
  const lowest = Math.min(...newest!.map((r) => r.id ?? Infinity), ranges.at(-1)?.at(-1) ?? Infinity);
  const releases = [...byId.values()].sort((a, b) => (b.id ?? 0) - (a.id ?? 0));
  return { releases, complete: lowest <= 1, searched: releases.length };
}
