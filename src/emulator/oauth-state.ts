/**
 * What the emulator's Entra sign-in keeps (under `entra.oauth` in the persisted state, created on
 * first use): the key it signs tokens with, the clients it knows, and outstanding authorization codes
 * and refresh tokens. Codes and refresh tokens are kept as SHA-256 only, never in clear.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { EmulatorContext } from './context';
import { entraState } from './entra-state';

/** The sign-in app the embedded default's bot uses: a public client (PKCE, no secret). */
export const SEED_SIGN_IN_CLIENT_ID = '00000000-0000-4000-8000-0000000000b0';

export interface AuthCodeRec {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  userId: string;
  scope: string;
  nonce?: string;
  expiresAt: number;
}

export interface RefreshTokenRec {
  clientId: string;
  userId: string;
  scope: string;
  expiresAt: number;
}

export interface OAuthClientRec { clientId: string; displayName: string; public: boolean }

export interface OAuthEmulatorState {
  signingKey: { kid: string; privateKeyPem: string; publicKeyPem: string };
  clients: OAuthClientRec[];
  codes: Record<string, AuthCodeRec>;
  refreshTokens: Record<string, RefreshTokenRec>;
}

type WithOAuth = ReturnType<typeof entraState> & { oauth?: OAuthEmulatorState };

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The OAuth part of the state; the RSA signing key is made the first time it is needed. */
export function oauthState(emu: EmulatorContext): OAuthEmulatorState {
  const entra = entraState(emu) as WithOAuth;
  if (!entra.oauth) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    entra.oauth = {
      signingKey: {
        kid: randomUUID(),
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      },
      clients: [{ clientId: SEED_SIGN_IN_CLIENT_ID, displayName: 'MLOps Bot sign-in (local)', public: true }],
      codes: {},
      refreshTokens: {},
    };
    emu.persist();
  }
  return entra.oauth;
}

/** Drops expired codes and refresh tokens so the state does not grow without bound. */
export function pruneOAuth(emu: EmulatorContext): void {
  const oauth = oauthState(emu);
  const now = emu.clock.now().getTime();
  for (const [k, c] of Object.entries(oauth.codes)) if (c.expiresAt < now) delete oauth.codes[k];
  for (const [k, r] of Object.entries(oauth.refreshTokens)) if (r.expiresAt < now) delete oauth.refreshTokens[k];
}
