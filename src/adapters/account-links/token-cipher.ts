/**
 * Refresh tokens at rest: AES-256-GCM with a random 96-bit IV per seal, the 128-bit auth tag kept
 * beside the ciphertext, and the id of the key that sealed it, so keys can rotate: the first key of
 * the ring seals, every key of the ring opens. The chat user id is bound as additional data, so a
 * sealed token copied onto another user's row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface TokenKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/** What the store keeps: no token text, only ciphertext and what is needed to open it. */
export interface SealedToken {
  alg: 'A256GCM';
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export class TokenCipher {
  private readonly keys: Map<string, Buffer>;
  readonly currentKeyId: string;

  constructor(ring: readonly TokenKey[]) {
    if (ring.length === 0) throw new Error('a token key ring needs at least one key');
    for (const k of ring) if (k.key.length !== 32) throw new Error(`token key ${k.id} is not 32 bytes`);
    this.keys = new Map(ring.map((k) => [k.id, k.key]));
    this.currentKeyId = ring[0].id;
  }

  seal(plaintext: string, boundTo: string): SealedToken {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId) as Buffer, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { alg: 'A256GCM', kid: this.currentKeyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  /** The plaintext, or why not: the key is no longer in the ring, or the data was altered. */
  open(sealed: SealedToken, boundTo: string): { ok: true; value: string } | { ok: false; reason: 'unknown_key' | 'tampered' } {
    const key = this.keys.get(sealed.kid);
    if (!key || sealed.alg !== 'A256GCM') return { ok: false, reason: 'unknown_key' };
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
      return { ok: true, value: Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8') };
    } catch {
      return { ok: false, reason: 'tampered' };
    }
  }

  /** Sealed under an older key of the ring: re-seal it with the current one. */
  isStale(sealed: SealedToken): boolean {
    return sealed.kid !== this.currentKeyId;
  }
}
