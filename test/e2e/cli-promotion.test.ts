/**
 * The embedded default from the command line: the CLI runs against the local Azure emulator
 * through the real SDK clients, and a promotion walks from request to a release in prod.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run';
import { cliSandbox } from '../support/cli-sandbox';

jest.setTimeout(120_000);

const box = cliSandbox('mlops-cli-');
const cli = (as: string, text: string) => box.cli(as, text);

describe('the CLI on the local emulator', () => {
  it('promotes taxi-model through preprod to prod with an approval, and models shows where it runs', async () => {
    const before = await cli('cli:carol', 'models');
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/taxi-model\s+v5\s+dev v5 · preprod v4 · prod v3/);

    const skip = await cli('cli:carol', 'promote taxi-model prod');
    expect(skip.code).toBe(3); // refused: v5 has not been through preprod
    expect(skip.out).toMatch(/preprod/);

    const preprod = await cli('cli:carol', 'promote taxi-model preprod --reason "better rmse"');
    expect(preprod.code).toBe(0);
    expect(preprod.out).toMatch(/PR-[A-Z0-9]{5}: succeeded/);

    const prod = await cli('cli:carol', 'promote taxi-model prod');
    expect(prod.code).toBe(0);
    const id = /PR-[A-Z0-9]{5}/.exec(prod.out)![0];
    expect(prod.out).toContain('posted to cli:approvals');
    expect(prod.out).toContain('Awaiting approval (0 of 1)');

    const self = await cli('cli:carol', `approve ${id}`);
    expect(self.code).toBe(3);
    expect(self.out).toContain('Not allowed');

    const approved = await cli('cli:alice', `approve ${id} "looks good"`);
    expect(approved.code).toBe(0);
    expect(approved.out).toContain(`${id}: succeeded`);
    expect(approved.out).toMatch(/taxi-model v5 now runs in prod \(release \d+ succeeded\)/);

    const again = await cli('cli:bob', `approve ${id}`);
    expect(again.code).not.toBe(0);

    const repeat = await cli('cli:carol', 'promote taxi-model prod');
    expect(repeat.code).toBe(5);
    expect(repeat.out).toContain('Already running there');
    expect(repeat.out).toContain('taxi-model v5 already runs in prod; nothing to promote.');

    const after = await cli('cli:carol', 'models');
    expect(after.out).toMatch(/taxi-model\s+v5\s+dev v5 · preprod v5 · prod v5/);

    const verify = await cli('cli:admin', 'audit verify');
    expect(verify.out).toMatch(/Chain intact: \d+ entries checked/);
  });

  it('keeps the terminal for the answer: an unknown schedule prints no log line, the log goes to data/cli.log', async () => {
    const quiet = { DATABASE_URL: box.env.DATABASE_URL };
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['schedule show no-such-schedule', '--as', 'cli:admin'], quiet, 'tester', { out: (t) => out.push(t), err: (l) => err.push(l) });
    expect(code).toBe(4);
    expect(out.join('\n')).toContain("No schedule 'no-such-schedule' in dev.");
    expect(err).toEqual([]);
    const logFile = join(box.dir, 'data', 'cli.log');
    expect(existsSync(logFile)).toBe(true);
    const lines = readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: string; msg: string; err?: unknown });
    const line = lines.find((l) => l.msg.startsWith("No schedule 'no-such-schedule'"))!;
    expect(line.level).toBe('info');
    expect(JSON.stringify(line)).not.toContain('stack');
  });
});
