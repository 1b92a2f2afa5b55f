/** Deterministic identifiers and randomness, so a seeded world looks the same on every machine. */
import { createHash } from 'node:crypto';

/** A GUID derived from a name (stable across runs). */
export function guidFrom(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** mulberry32: returns the next value in [0, 1) and the next state. */
export function nextRandom(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: next };
}

const ADJECTIVES = ['brave', 'calm', 'clever', 'eager', 'gentle', 'happy', 'jolly', 'keen', 'lucid', 'mellow', 'quiet', 'sunny', 'tidy', 'witty'];
const NOUNS = ['otter', 'pear', 'river', 'maple', 'kettle', 'fig', 'lemon', 'heron', 'comet', 'cactus', 'walrus', 'tulip', 'plum', 'badger'];

/** Azure ML-style generated job name (`adjective_noun_suffix`). */
export function jobNameFrom(random: () => number, counter: number): string {
  const adj = ADJECTIVES[Math.floor(random() * ADJECTIVES.length)] ?? 'calm';
  const noun = NOUNS[Math.floor(random() * NOUNS.length)] ?? 'otter';
  return `${adj}_${noun}_${(counter * 7919 + 104729).toString(36)}`;
}
