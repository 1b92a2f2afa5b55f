/**
 * The local CLI: one command through the same dispatcher as Slack and Teams, then the background
 * work it started (outbox effects, the release it triggered) followed until it settles, with each
 * step printed. Messages the bot posts to `cli:` channels are printed as they happen.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { endpointsFromRuntime } from '../app/azure';
import { composeApp, type ComposedApp } from '../app/compose';
import { accountLinkSetup } from '../app/account-links';
import { demoDataDir, demoPlatforms, keepDeliverableChannels, startDemoAzure, type DemoAzure } from '../app/demo';
import { expandCard } from '../cards/expand';
import { loadConfig, parseRuntimeEnv, runtimeSecrets } from '../config';
import type { OutcomeStatus } from '../core/commands/types';
import { splitQualified } from '../core/identity';
import { TERMINAL_STATES } from '../core/promotion/types';
import { createLogger, newCorrelationId } from '../logging';
import { parseCliArgs } from './args';
import { jsonWithImagePath, saveCardImage } from './chart-file';
import { ConsoleChat, type ConsoleMessage } from './console-chat';
import { headline, renderCardText } from './render-text';

/** `columns`: the terminal's width when output goes to one (tables are fitted to it). */
export interface CliIo { out: (text: string) => void; err: (line: string) => void; columns?: number }

export const CLI_LOG = 'cli.log';

const EXIT: Record<OutcomeStatus, number> = { ok: 0, failed: 1, invalid: 2, refused: 3, not_found: 4, conflict: 5 };

export async function runCli(argv: string[], env: Record<string, string | undefined>, user: string, io: CliIo): Promise<number> {
  const args = parseCliArgs(argv, user);
  const runtime = parseRuntimeEnv({ LOG_LEVEL: 'info', ...env });
  // The terminal is for the command's answer: the log goes to a file unless LOG_LEVEL asks for it here.
  const destination = env.LOG_LEVEL !== undefined ? { write: (l: string) => io.err(l.trimEnd()) } : cliLogFile(demoDataDir(runtime.database));
  const log = createLogger({ level: runtime.logLevel, secrets: runtimeSecrets(runtime), destination });
  const loaded = await loadConfig(runtime, (p) => readFile(p, 'utf8'));
  let demo: DemoAzure | undefined;
  if (loaded.mode === 'demo') {
    demo = await startDemoAzure(demoDataDir(loaded.runtime.database), log, { attach: true });
    // Alone, the CLI delivers only to `cli:` channels; beside a running server, the server delivers everywhere.
    loaded.settings = keepDeliverableChannels(loaded.settings, demo.attached ? demoPlatforms(runtime.slack !== undefined) : ['cli'], log);
  }
  // Background work (effects, release polling) belongs to the server when one runs: the CLI does it
  // only when it runs the emulator itself, so it never claims effects for surfaces it cannot reach.
  const doesWork = demo !== undefined && !demo.attached;
  // Even then only the work this command starts: deliveries the server left pending (to Teams or
  // Slack, which the CLI cannot reach) stay pending for the server instead of burning their retries.
  const startedAt = new Date();
  const azure = demo?.endpoints ?? endpointsFromRuntime(runtime);
  // `link` from the terminal: the sign-in comes back to the server's /auth/callback (MLOPS_PUBLIC_URL, else this machine's PORT).
  const accountLinks = accountLinkSetup(runtime, loaded.mode, azure, { dataDir: demoDataDir(runtime.database), ownUrl: () => undefined });
  const app = await composeApp({ loaded, log, azure, ownEffectsSince: startedAt, ...(accountLinks ? { accountLinks } : {}) });
  try {
    const printMessage = (m: ConsoleMessage): void => io.out(m.edited
      ? `↻ ${m.ref.channel}: ${headline(renderCardText(expandCard(m.message)))}`
      : `\n── posted to ${m.ref.channel} ──\n${renderCardText(expandCard(m.message), { width: io.columns })}\n`);
    app.chat.register('cli', new ConsoleChat(app.store, printMessage));
    const platform = splitQualified(args.as)!.platform;
    const outcome = await app.core.handle({
      text: args.text,
      caller: { id: args.as, platform, displayName: args.name ?? args.as.slice(platform.length + 1), email: args.email },
      channel: args.channel,
      correlationId: newCorrelationId(),
    });
    const saved = outcome.reply.image ? saveCardImage(outcome.reply.image, demoDataDir(runtime.database), new Date()) : undefined;
    io.out(args.json ? JSON.stringify(jsonWithImagePath(outcome, saved), null, 2) : renderCardText(expandCard(outcome.reply), { width: io.columns }));
    if (saved && !args.json) io.out(saved.line);
    if (outcome.status === 'ok' || outcome.requestId) await settle(app, outcome.requestId, args.waitMs, doesWork, io);
    return EXIT[outcome.status];
  } finally {
    await app.close();
    await demo?.close();
  }
}

/** `<data dir>/cli.log`, appended line by line (a CLI run is short; nothing is lost on exit). */
function cliLogFile(dir: string): { write: (line: string) => void } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, CLI_LOG);
  return { write: (line: string) => appendFileSync(path, line.endsWith('\n') ? line : `${line}\n`) };
}

/** Runs background work until the request waits for people or ends, or the time is up. */
async function settle(app: ComposedApp, requestId: string | undefined, waitMs: number, doesWork: boolean, io: CliIo): Promise<void> {
  const deadline = Date.now() + waitMs;
  let lastState: string | undefined;
  if (!doesWork && !requestId) return;
  for (;;) {
    const ran = doesWork ? await app.runBackgroundOnce() : 0;
    const request = requestId ? await app.store.getRequest(requestId) : null;
    if (request && request.state !== lastState) {
      if (lastState !== undefined) io.out(`… ${request.id}: ${request.state.replace(/_/g, ' ')}`);
      lastState = request.state;
    }
    const waitingForPeople = !request || request.state === 'awaiting_approval' || TERMINAL_STATES.includes(request.state);
    if (ran === 0 && waitingForPeople) return;
    if (Date.now() > deadline) {
      io.out(`… still ${lastState ?? 'working'} after ${Math.round(waitMs / 1000)} s; the bot server carries on from here.`);
      return;
    }
    await new Promise((r) => setTimeout(r, ran > 0 ? 50 : 1000));
  }
}

