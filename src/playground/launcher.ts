/**
 * Starts the Microsoft 365 Agents Playground (a Teams-like web client that runs offline) pointed at
 * the bot's `/api/messages`, with telemetry off and its files under `dataDir`. The bot must run
 * anonymously (no MicrosoftAppId): the Playground sends no tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from '../core/ports';
import { PLAYGROUND_USERS, playgroundConfigYaml, type PlaygroundUsers } from './playground-config';

export interface PlaygroundOptions {
  /** e.g. `http://127.0.0.1:3978/api/messages`. */
  botEndpoint: string;
  /** Preferred port (default 56150); the Playground picks a random one when it is taken. */
  port?: number;
  dataDir: string;
  log: Logger;
  /** Environment for the child (PATH, HOME…); the telemetry switches are added to it. */
  env: Record<string, string | undefined>;
  users?: PlaygroundUsers;
  readyTimeoutMs?: number;
}

export interface Playground { url: string; port: number; stop(): Promise<void> }

const LISTENING = /Listening on (\d+)/;

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  // Absolute, because the child runs with its cwd inside dataDir: a relative config path would be
  // read from dataDir/dataDir and the Playground would quietly fall back to its default config.
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const configPath = join(dataDir, 'm365agentsplayground.yml');
  writeFileSync(configPath, playgroundConfigYaml(opts.users ?? PLAYGROUND_USERS));
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const args = [cli, '--app-endpoint', opts.botEndpoint, '--channel-id', 'msteams', '--port', String(opts.port ?? 56150), '--disable-telemetry'];
  const child = spawn(process.execPath, args, {
    cwd: dataDir,
    env: {
      ...opts.env,
      TEAMSAPPTESTER_BROWSER: 'none',
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
      M365_AGENTS_PLAYGROUND_LOGFILE: join(dataDir, 'm365agentsplayground.log'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = opts.log.child({ component: 'agents-playground', pid: child.pid });
  try {
    const port = await listeningPort(child, opts.readyTimeoutMs ?? 60_000);
    const url = `http://localhost:${port}`;
    await waitForPing(url, child, opts.readyTimeoutMs ?? 60_000);
    // Keep reading its output (it goes to its log file too), or a full pipe would block the child.
    child.stdout?.resume();
    child.stderr?.resume();
    log.info({ url }, 'Agents Playground ready');
    child.once('exit', (code, signal) => log.info({ code, signal }, 'Agents Playground stopped'));
    return { url, port, stop: () => stop(child) };
  } catch (e) {
    await stop(child);
    throw e;
  }
}

/** The port from the child's "Listening on N" line; fails with its output when it exits first. */
function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    const done = (fn: () => void) => { clearTimeout(timer); child.stdout?.off('data', onData); child.stderr?.off('data', onData); child.off('exit', onExit); fn(); };
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      const m = LISTENING.exec(output);
      if (m) done(() => resolve(Number(m[1])));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`The Agents Playground exited (code ${code}) before listening:\n${output.trim()}`)));
    const timer = setTimeout(() => done(() => reject(new Error(`The Agents Playground did not start listening within ${timeoutMs} ms:\n${output.trim()}`))), timeoutMs);
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitForPing(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Agents Playground exited (code ${child.exitCode}) while starting.`);
    const ok = await fetch(`${url}/_debug/ping`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The Agents Playground did not answer ${url}/_debug/ping within ${timeoutMs} ms.`);
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => { clearTimeout(force); resolve(); });
    child.kill('SIGTERM');
  });
}
