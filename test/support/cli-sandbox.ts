/**
 * A CLI run on the embedded default in a folder of its own: SQLite and the emulator's state live
 * in a temporary `data/`, removed after the suite. `cli()` returns the exit code and what was printed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';

export interface CliRun { code: number; out: string }

export interface CliSandbox {
  /** The sandbox folder (set once the suite has started). */
  readonly dir: string;
  /** The environment the CLI runs with: DATABASE_URL in the sandbox, quiet logs. */
  readonly env: Record<string, string>;
  cli(as: string, text: string, opts?: { wait?: number; stderr?: boolean }): Promise<CliRun>;
}

export function cliSandbox(prefix: string): CliSandbox {
  const box = { dir: '', env: {} as Record<string, string> };
  beforeAll(() => {
    box.dir = mkdtempSync(join(tmpdir(), prefix));
    box.env = { DATABASE_URL: `sqlite:${join(box.dir, 'data', 'mlops-bot.db')}`, LOG_LEVEL: 'error' };
  });
  afterAll(() => rmSync(box.dir, { recursive: true, force: true }));
  return {
    get dir() { return box.dir; },
    get env() { return box.env; },
    async cli(as, text, opts = {}) {
      const lines: string[] = [];
      const err = opts.stderr ? (l: string) => { lines.push(l); } : () => undefined;
      const code = await runCli([text, '--as', as, '--wait', String(opts.wait ?? 60)], box.env, 'tester', { out: (t) => lines.push(t), err });
      return { code, out: lines.join('\n') };
    },
  };
}
