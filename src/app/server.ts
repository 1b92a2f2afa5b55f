/**
 * `npm start`: the bot's HTTP server with its background work, and in demo mode the local Azure
 * emulator it talks to. Returns a handle whose close() shuts everything down in order.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfig, parseRuntimeEnv, runtimeSecrets } from '../config';
import type { Platform } from '../core/identity';
import { startHttpServer } from '../http';
import { createLogger } from '../logging';
import { endpointsFromRuntime } from './azure';
import { composeApp } from './compose';
import { keepDeliverableChannels, startDemoAzure, type DemoAzure } from './demo';

export interface RunningBot {
  url: string;
  close(): Promise<void>;
}

export async function runServer(env: Record<string, string | undefined>, out: (line: string) => void): Promise<RunningBot> {
  const runtime = parseRuntimeEnv(env);
  const log = createLogger({ level: runtime.logLevel, secrets: runtimeSecrets(runtime) });
  const loaded = await loadConfig(runtime, (p) => readFile(p, 'utf8'));
  let demo: DemoAzure | undefined;
  if (loaded.mode === 'demo') {
    demo = await startDemoAzure(dataDirOf(runtime.database), log, { attach: false });
    const platforms: Platform[] = ['cli', 'teams', ...(runtime.slack ? (['slack'] as const) : [])];
    loaded.settings = keepDeliverableChannels(loaded.settings, platforms, log);
  }
  const app = await composeApp({ loaded, log, azure: demo?.endpoints ?? endpointsFromRuntime(runtime) });
  const http = await startHttpServer({ port: runtime.port, host: runtime.host ?? (loaded.mode === 'demo' ? '127.0.0.1' : undefined), log });
  http.addReadinessCheck('store', async () => (await app.store.getDoc('health', 'probe'), true));
  app.startBackground();
  out(`MLOps Bot listening on ${http.url} (${loaded.mode === 'demo' ? 'demo: local Azure emulator' : `config ${runtime.configPath}`})`);
  out(`  health: ${http.url}/healthz   metrics: ${http.url}/metrics`);
  if (loaded.mode === 'demo') out('  try it: npm run cli -- "models" --as cli:alice');
  return {
    url: http.url,
    async close() {
      await http.close();
      await app.close();
      await demo?.close();
    },
  };
}

function dataDirOf(db: { kind: string; path?: string }): string {
  return db.kind === 'sqlite' && db.path && db.path !== ':memory:' ? dirname(db.path) : './data';
}
