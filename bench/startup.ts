/**
 * Start-up: the compiled bot (`node dist/src/main.js`, what `npm start` runs once built) from
 * process start to the first `/healthz` 200, and one CLI command (`help`) from start to exit,
 * against the same run through tsx (TypeScript compiled at run time, the baseline). The data
 * directory is prepared by a first run so both measure a warm start of the embedded default.
 * Run: npx tsx bench/startup.ts [--runs 3]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
const TIMEOUT_MS = 60_000;

const compiled = [join(root, 'dist', 'src', 'main.js')];
// tsx as a loader in one process (its CLI would add a wrapper process), so CPU time is comparable.
const tsx = ['--import', 'tsx', join(root, 'src', 'main.ts')];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function healthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(500) })).status === 200;
  } catch {
    return false;
  }
}

/** CPU seconds (user + system) a live process has used so far (Linux /proc; NaN elsewhere). */
function cpuOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const cpu: Record<string, number[]> = {};
const noteCpu = (key: string, seconds: number): void => { (cpu[key] ??= []).push(seconds * 1000); };

/** ms from spawn to /healthz 200; the server is stopped afterwards. */
async function serverStart(cmd: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, cmd, { cwd: root, env: { ...env, PORT: String(port) }, stdio: 'ignore' });
  try {
    const deadline = Date.now() + TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (await healthy(`http://127.0.0.1:${port}/healthz`)) {
        const ms = performance.now() - t0;
        noteCpu(`server ${cmd[0] === compiled[0] ? 'compiled' : 'tsx'}`, cpuOf(child.pid));
        return ms;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no /healthz 200 within ${TIMEOUT_MS} ms`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** ms from spawn to exit; CPU time through /usr/bin/time when the machine has it. */
function cliRun(cmd: string[], env: NodeJS.ProcessEnv): number {
  const timeFile = join(tmpdir(), `mlops-bench-time-${process.pid}`);
  const timed = existsSync('/usr/bin/time');
  const argv = [process.execPath, ...cmd, 'cli', 'help', '--as', 'cli:carol'];
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, ...argv], { cwd: root, env, stdio: 'ignore', timeout: TIMEOUT_MS })
    : spawnSync(argv[0]!, argv.slice(1), { cwd: root, env, stdio: 'ignore', timeout: TIMEOUT_MS });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`cli help exited with ${r.status}`);
  if (timed) {
    const [user, sys] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
    noteCpu(`cli ${cmd[0] === compiled[0] ? 'compiled' : 'tsx'}`, user! + sys!);
  }
  return ms;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('build failed');
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-startup-'));
  const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'data', 'bot.db')}`, LOG_LEVEL: 'warn' };
  try {
    await serverStart(compiled, env); // prepares the data directory (emulator state, TLS material)
    const rows: [string, number, number][] = [];
    const measure = async (name: string, fn: (cmd: string[]) => Promise<number> | number): Promise<void> => {
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < RUNS; i++) { a.push(await fn(compiled)); b.push(await fn(tsx)); }
      rows.push([name, median(a), median(b)]);
    };
    await measure('start-up to /healthz 200', (cmd) => serverStart(cmd, env));
    await measure('CLI `help` start to exit', (cmd) => cliRun(cmd, env));
    process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores\n`);
    process.stdout.write(`${'median of ' + RUNS} runs                 compiled (node dist)   tsx (baseline)   ratio\n`);
    for (const [name, a, b] of rows) {
      process.stdout.write(`${name.padEnd(34)} ${a.toFixed(0).padStart(10)} ms ${b.toFixed(0).padStart(13)} ms   ${(b / a).toFixed(2)}×  ${a <= 1000 ? '(≤ 1 s)' : '(over 1 s)'}\n`);
    }
    const c = (k: string): string => (cpu[k]?.length ? `${median(cpu[k]!).toFixed(0)} ms` : 'n/a');
    process.stdout.write(`CPU time (user + system, what the wall time would be on an idle core): server to /healthz ${c('server compiled')} vs ${c('server tsx')}; CLI help ${c('cli compiled')} vs ${c('cli tsx')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((e) => { process.stderr.write(`${(e as Error).stack}\n`); process.exitCode = 1; });
