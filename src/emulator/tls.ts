/**
 * A private certificate authority for the local Azure emulator and for test servers: Azure SDK
 * clients refuse bearer tokens over plain HTTP, so the emulator speaks HTTPS with a leaf certificate
 * for 127.0.0.1/localhost signed by a CA that only this installation trusts (passed explicitly as `ca`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TlsMaterial {
  /** PEM of the CA certificate: what clients trust. */
  ca: string;
  /** Server certificate and key for 127.0.0.1 / localhost. */
  cert: string;
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function createTlsMaterial(validDays = 825): Promise<TlsMaterial> {
  // Loaded only when certificates are made (once per data directory): it is heavy for every start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generate } = require('selfsigned') as typeof import('selfsigned');
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + validDays * DAY_MS);
  const ca = await generate([{ name: 'commonName', value: 'MLOps Bot local CA' }], {
    keyType: 'ec', algorithm: 'sha256', notBeforeDate, notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec', algorithm: 'sha256', notBeforeDate, notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { ca: ca.cert, cert: leaf.cert, key: leaf.private };
}

/** Loads the CA and server certificate from `dir`, creating them at first start. */
export async function loadOrCreateTlsMaterial(dir: string): Promise<TlsMaterial> {
  const files = { ca: join(dir, 'emulator-ca.pem'), cert: join(dir, 'emulator-cert.pem'), key: join(dir, 'emulator-key.pem') };
  if (existsSync(files.ca) && existsSync(files.cert) && existsSync(files.key)) {
    return { ca: readFileSync(files.ca, 'utf8'), cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8') };
  }
  const material = await createTlsMaterial();
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.ca, material.ca);
  writeFileSync(files.cert, material.cert);
  writeFileSync(files.key, material.key, { mode: 0o600 });
  return material;
}
