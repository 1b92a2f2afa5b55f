/** Rollout ids (`RO-7K3QX`): short, readable aloud, random — or derived from an invocation's key. */
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ROLLOUT_ID = /^RO-[A-Z0-9]{5}$/;

export function newRolloutId(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `RO-${s}`;
}

/** The same id for the same invocation: a command replayed after a crash finds its rollout. */
export function rolloutIdFor(invocationKey: string): string {
  const digest = createHash('sha256').update(`rollout:${invocationKey}`, 'utf8').digest();
  let s = '';
  for (let i = 0; i < 5; i++) s += ALPHABET[digest[i] % ALPHABET.length];
  return `RO-${s}`;
}
