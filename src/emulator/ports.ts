/**
 * The emulator's ports, kept beside its state: links the bot posted (Open release N, Open in
 * studio) and the CLI's lease name `https://127.0.0.1:PORT`, so a restart that picked new ports
 * would leave every earlier link dead. The first start takes free ports; later starts ask for the
 * same ones, and only move (with a warning) when another program holds them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '../core/ports';

export interface EmulatorPorts { https: number; http: number }

const FILE = 'ports.json';

export function readPorts(dataDir: string): EmulatorPorts | undefined {
  const file = join(dataDir, FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EmulatorPorts>;
    const ok = (p: unknown): p is number => Number.isInteger(p) && (p as number) > 0 && (p as number) < 65536;
    return ok(parsed.https) && ok(parsed.http) ? { https: parsed.https, http: parsed.http } : undefined;
  } catch {
    return undefined;
  }
}

export function writePorts(dataDir: string, ports: EmulatorPorts): void {
  writeFileSync(join(dataDir, FILE), `${JSON.stringify(ports)}\n`);
}

export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Listens on `wanted` (a remembered port); when it is taken, on a free one, and says so. */
export async function listenPreferring(server: Server, wanted: number, what: string, log: Logger): Promise<number> {
  if (wanted === 0) return listen(server, 0);
  try {
    return await listen(server, wanted);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    const port = await listen(server, 0);
    log.warn({ wanted, port, what }, 'the emulator port used before is taken by another program; links posted earlier point to the old port');
    return port;
  }
}
