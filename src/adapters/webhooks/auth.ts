/**
 * Webhook credentials, compared in constant time. Both sides are hashed first so neither the
 * comparison nor an early length check reveals how much of a guess was right.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** `?code=` of the request URL against the configured key; an unset key accepts nothing. */
export function hasValidCode(url: string | undefined, key: string | undefined): boolean {
  if (!key) return false;
  const code = new URL(url ?? '/', 'http://localhost').searchParams.get('code') ?? '';
  return safeEqual(code, key);
}

/** HTTP Basic credentials against the configured pair; an unset pair accepts nothing. */
export function hasValidBasicAuth(header: string | undefined, user: string | undefined, password: string | undefined): boolean {
  if (!user || !password) return false;
  const m = /^Basic\s+([A-Za-z0-9+/=._-]+)\s*$/i.exec(header ?? '');
  const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
  const i = decoded.indexOf(':');
  const givenUser = i >= 0 ? decoded.slice(0, i) : '';
  const givenPassword = i >= 0 ? decoded.slice(i + 1) : '';
  // Both compared every time: which half was wrong must not show in the timing either.
  const userOk = safeEqual(givenUser, user);
  const passwordOk = safeEqual(givenPassword, password);
  return m !== null && userOk && passwordOk;
}
