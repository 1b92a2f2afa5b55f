/** Request ids: short, unambiguous to read aloud, random — or derived from an invocation's key. */
import { createHash, randomInt } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newRequestId(): string {
  let s = '';
  for (let i = 0; i < 5; i++) s += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return `PR-${s}`;
}

/** The same id for the same invocation, so a command replayed after a crash finds its request. */
export function requestIdFor(invocationKey: string): string {
  const digest = createHash('sha256').update(invocationKey, 'utf8').digest();
  let s = '';
  for (let i = 0; i < 5; i++) s += ID_ALPHABET[digest[i] % ID_ALPHABET.length];
  return `PR-${s}`;
}
