/**
 * The composition root: the only place that reads process.env. `npm start` runs the bot server;
 * `npm run cli -- "<command>" --as <id>` runs one command through the same dispatcher;
 * `npm run emulator:tag -- <model> <version> key=value …` tags a version in the local emulator.
 */
import { userInfo } from 'node:os';
import { CliUsageError } from './cli/args';
import { isBotError } from './core/errors';

// The server and the CLI each load only their own modules: a CLI command never loads Teams, Slack
// or the Playground, and neither loads the other (start-up is mostly loading modules).
/* eslint-disable @typescript-eslint/no-require-imports */
async function main(argv: string[]): Promise<void> {
  const env = { ...process.env };
  if (argv[0] === 'cli') {
    const { runCli } = require('./cli/run') as typeof import('./cli/run');
    process.exitCode = await runCli(argv.slice(1), env, userInfo().username, {
      out: (text) => process.stdout.write(`${text}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
      ...(process.stdout.isTTY ? { columns: process.stdout.columns } : {}),
    });
    return;
  }
  if (argv[0] === 'emulator-tag') {
    const { runEmulatorTag } = require('./cli/emulator-tag') as typeof import('./cli/emulator-tag');
    process.exitCode = await runEmulatorTag(argv.slice(1), env, { out: (text) => process.stdout.write(`${text}\n`), err: (line) => process.stderr.write(`${line}\n`) });
    return;
  }
  const { runServer } = require('./app/server') as typeof import('./app/server');
  const bot = await runServer(env, (line) => process.stdout.write(`${line}\n`));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down…\n`);
    bot.close().then(() => process.exit(0), (e: unknown) => { process.stderr.write(`shutdown failed: ${String(e)}\n`); process.exit(1); });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliUsageError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (isBotError(error)) {
    // Configuration and start-up errors name the setting to fix; no stack trace needed.
    process.stderr.write(`MLOps Bot could not start: ${error.message}${error.remedy ? `\nFix: ${error.remedy}` : ''}\n`);
    process.exitCode = 1;
  } else {
    process.stderr.write(`MLOps Bot failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
});
