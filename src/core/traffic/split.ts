/**
 * Reading and checking a traffic change before anyone is asked (DESIGN 9.4): `dep=pct` pairs are
 * whole percentages 0–100, each deployment named once and present on the endpoint; live traffic
 * adds up to 100; mirrored traffic adds up to at most 50 and never goes to a deployment that takes
 * live traffic (Azure's rules). Pure: every failure is a clear usage error that changes nothing.
 */
import { BotError } from '../errors';
import type { Split } from './types';

const PAIR = /^([A-Za-z0-9][A-Za-z0-9_-]*)=(\S*)$/;
const CLEAR = ['none', 'off', '0'];
export const MAX_MIRROR = 50;

const usage = (message: string, remedy: string) => new BotError('usage', message, { remedy });
const listOf = (m: Record<string, number>) => Object.entries(m).map(([d, p]) => `${d} ${p}%`).join(', ') || 'none';

/** `blue=90 green=10` (or `blue=90,green=10`) into a split; `what` names it in errors. */
export function parsePairs(words: string[], what: 'live' | 'mirror', example: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const word of words.flatMap((w) => w.split(',')).map((w) => w.trim()).filter(Boolean)) {
    const m = PAIR.exec(word);
    if (!m) throw usage(`'${word.slice(0, 40)}' is not a deployment=percent pair.`, `Write pairs like: ${example}`);
    const [, name, text] = m;
    if (!/^\d{1,3}$/.test(text) || Number(text) > 100) throw usage(`${name}=${text.slice(0, 10)}: a ${what} percentage is a whole number from 0 to 100.`, `For example: ${example}`);
    if (Object.keys(out).some((n) => n.toLowerCase() === name.toLowerCase())) throw usage(`${name} is named twice.`, 'Name each deployment once.');
    out[name] = Number(text);
  }
  // `--mirror ,` must not read as `--mirror none`: stopping a mirror is said in words.
  if (Object.keys(out).length === 0) throw usage(`No deployment=percent pair was given for the ${what} traffic.`, `Write pairs like: ${example}`);
  return out;
}

/** The `--mirror` value: pairs, or `none` to stop mirroring. */
export function parseMirror(text: string, example: string): Record<string, number> {
  return CLEAR.includes(text.trim().toLowerCase()) ? {} : parsePairs([text], 'mirror', example);
}

/** Names as the endpoint spells them; unknown ones are refused with the list of known ones. */
function canonical(split: Record<string, number>, deployments: string[], endpoint: string, env: string): Record<string, number> {
  const out: Record<string, number> = {};
  const unknown: string[] = [];
  for (const [name, p] of Object.entries(split)) {
    const known = deployments.find((d) => d.toLowerCase() === name.toLowerCase());
    if (known) out[known] = p;
    else unknown.push(name);
  }
  if (unknown.length) {
    throw new BotError('not_found', `Online endpoint ${endpoint} in ${env} has no deployment ${unknown.join(', ')}.`, { remedy: `Its deployments: ${deployments.join(', ') || 'none'}.` });
  }
  return out;
}

export interface SplitInput {
  endpoint: string;
  env: string;
  deployments: string[];
  current: Split;
  live?: Record<string, number>;
  mirror?: Record<string, number>;
}

/** The split after the change, checked; `droppedMirror` names mirrors that a new live share ends. */
export function nextSplit(input: SplitInput): { after: Split; droppedMirror?: string } {
  const { deployments, current } = input;
  const live = input.live ? canonical(input.live, deployments, input.endpoint, input.env) : undefined;
  const mirror = input.mirror ? canonical(input.mirror, deployments, input.endpoint, input.env) : undefined;
  const traffic = live ? Object.fromEntries(deployments.map((d) => [d, live[d] ?? 0])) : { ...current.traffic };
  const total = Object.values(traffic).reduce((n, p) => n + p, 0);
  if (live && total !== 100) throw usage(`Live traffic must add up to 100, not ${total} (${listOf(live)}).`, 'Give every deployment that should serve its share; the others get 0%.');
  const liveNow = (d: string) => (traffic[d] ?? 0) > 0;
  let nextMirror: Record<string, number>;
  let droppedMirror: string | undefined;
  if (mirror) {
    nextMirror = Object.fromEntries(Object.entries(mirror).filter(([, p]) => p > 0));
    const both = Object.keys(nextMirror).filter(liveNow);
    if (both.length) throw usage(`${both.join(', ')} takes live traffic (${both.map((d) => `${traffic[d]}%`).join(', ')}): it cannot be mirrored to as well.`, 'Mirror only to a deployment at 0% live traffic.');
  } else {
    nextMirror = Object.fromEntries(Object.entries(current.mirror).filter(([d, p]) => p > 0 && !liveNow(d)));
    const dropped = Object.keys(current.mirror).filter((d) => (current.mirror[d] ?? 0) > 0 && liveNow(d));
    if (dropped.length) droppedMirror = `the mirror to ${dropped.join(', ')} ends: it now takes live traffic`;
  }
  const mirrored = Object.values(nextMirror).reduce((n, p) => n + p, 0);
  if (mirrored > MAX_MIRROR) throw usage(`Mirror traffic must add up to at most ${MAX_MIRROR}, not ${mirrored} (${listOf(nextMirror)}).`, 'Lower the mirrored shares.');
  return { after: { traffic, mirror: nextMirror }, ...(droppedMirror ? { droppedMirror } : {}) };
}

const norm = (m: Record<string, number>) => Object.entries(m).filter(([, p]) => p > 0).map(([d, p]) => `${d}=${p}`).sort().join(',');

export function sameSplit(a: Split, b: Split): boolean {
  return norm(a.traffic) === norm(b.traffic) && norm(a.mirror) === norm(b.mirror);
}

export function splitText(s: Split): string {
  const live = Object.entries(s.traffic).filter(([, p]) => p > 0).map(([d, p]) => `${d} ${p}%`).join(', ') || 'none';
  const mirror = Object.entries(s.mirror).filter(([, p]) => p > 0).map(([d, p]) => `${d} ${p}%`).join(', ');
  return mirror ? `${live}; mirror ${mirror}` : live;
}
