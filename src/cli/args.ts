/**
 * Arguments of the local CLI: `npm run cli -- "compare taxi-model 1 2" --as slack:U0AAA`.
 * The command text is one argument (quoted in the shell) or the remaining words joined.
 */
export interface CliArgs {
  text: string;
  as: string;
  name?: string;
  email?: string;
  channel: string;
  json: boolean;
  /** Keep running background work (outbox, release polling) until the request settles, at most this long. */
  waitMs: number;
}

const USAGE = 'usage: npm run cli -- "<command>" [--as <platform:id>] [--name <display name>] [--email <email>] [--channel <platform:id>] [--json] [--wait <seconds>]';

export class CliUsageError extends Error {
  constructor(problem: string) { super(`${problem}\n${USAGE}`); }
}

export function parseCliArgs(argv: string[], defaultUser: string): CliArgs {
  const words: string[] = [];
  const out: CliArgs = { text: '', as: `cli:${defaultUser}`, channel: 'cli:terminal', json: false, waitMs: 60_000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--as') out.as = value();
    else if (a === '--name') out.name = value();
    else if (a === '--email') out.email = value();
    else if (a === '--channel') out.channel = value();
    else if (a === '--json') out.json = true;
    else if (a === '--wait') out.waitMs = seconds(value()) * 1000;
    else if (a === '--help' || a === '-h') throw new CliUsageError('MLOps Bot local CLI');
    else words.push(a);
  }
  if (!/^(slack|teams|cli):\S+$/.test(out.as)) throw new CliUsageError(`--as must be a platform-qualified id like slack:U0AAA, teams:<id> or cli:alice (got "${out.as}")`);
  out.text = words.join(' ').trim();
  if (out.text === '') out.text = 'help';
  return out;
}

function seconds(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new CliUsageError(`--wait takes a number of seconds (got "${v}")`);
  return n;
}
