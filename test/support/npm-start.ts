/**
 * The product as a new user starts it: `npm start` in a copy of the repository (its own `./data`,
 * the default DATABASE_URL, whatever the package.json start script runs), and `npm run cli` beside
 * it. Only PORT=0 differs from the README, so tests never fight over a fixed port. The copy shares
 * the repository's node_modules through a symlink.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';

export const REPO = resolve(__dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'data', 'dist', 'coverage', 'test-artifacts']);

export interface StartedProduct {
  /** The copy `npm start` runs in. */
  dir: string;
  /** Everything `npm start` printed so far (stdout and stderr). */
  output(): string;
  /** Waits until the output matches, or fails with the output after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>;
  /** `npm run cli -- <argv>` in the same copy. */
  cli(argv: string[], timeoutMs: number): Promise<{ code: number | null; out: string }>;
  stop(): Promise<void>;
}

/** A copy of the repository's sources (no data, no build output) in a fresh temporary directory. */
export function copyRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-npm-start-'));
  const app = join(dir, 'app');
  cpSync(REPO, app, {
    recursive: true,
    filter: (src) => {
      const rel = relative(REPO, src);
      return rel === '' || !SKIP.has(rel.split(sep)[0]);
    },
  });
  symlinkSync(join(REPO, 'node_modules'), join(app, 'node_modules'), 'dir');
  mkdirSync(join(dir, 'home'));
  return app;
}

export function npmStart(app: string, extraEnv: Record<string, string> = {}): StartedProduct {
  const env = childEnv(app, extraEnv);
  // Its own process group, so stop() reaches npm, the shell, the bot and the Playground it started.
  const child = spawn('npm', ['start'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (c: Buffer): void => {
    out += c.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  child.once('exit', () => { for (const w of waiters) w(); });
  return {
    dir: app,
    output: () => out,
    waitFor: (pattern, timeoutMs) => new Promise((done, fail) => {
      const check = (): void => {
        const m = pattern.exec(out);
        if (m) { finish(); done(m); } else if (child.exitCode !== null) { finish(); fail(new Error(`npm start exited (${child.exitCode}):\n${out}`)); }
      };
      const timer = setTimeout(() => { finish(); fail(new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${out}`)); }, timeoutMs);
      const finish = (): void => { clearTimeout(timer); waiters.delete(check); };
      waiters.add(check);
      check();
    }),
    cli: (argv, timeoutMs) => run('npm', ['run', '--silent', 'cli', '--', ...argv], app, env, timeoutMs),
    stop: () => stopGroup(child),
  };
}

function childEnv(app: string, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(app, '..', 'home'),
    PORT: '0',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    ...extra,
  };
}

function run(cmd: string, args: string[], cwd: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; out: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); fail(e); });
    child.once('exit', (code) => { clearTimeout(timer); done({ code, out }); });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** SIGTERM to the whole group (the bot shuts down in order), SIGKILL to whatever is left after 15 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && groupAlive(child)) await new Promise((r) => setTimeout(r, 100));
  killGroup(child, 'SIGKILL');
}

function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

export function removeCopy(app: string): void {
  rmSync(join(app, '..'), { recursive: true, force: true });
}
