/**
 * Plays the person at the emulator's Entra sign-in page over real HTTP (not a test file): opens the
 * authorize URL, checks the page lists the user, picks them (the page's form post) and returns where
 * the emulator redirects the browser (the client's redirect URI with `code` and `state`).
 */
import { createHash, randomBytes } from 'node:crypto';

export async function signInOnEmulator(authorizeUrl: string, userId: string): Promise<{ location: string; page: string }> {
  const page = await (await fetch(authorizeUrl)).text();
  if (!page.includes(`value="${userId}"`)) throw new Error(`the sign-in page does not list ${userId}: ${page.slice(0, 300)}`);
  const url = new URL(authorizeUrl);
  const form = new URLSearchParams(url.searchParams);
  form.set('user', userId);
  const res = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  return { location, page };
}

/** A PKCE pair as a client makes it (RFC 7636, S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
