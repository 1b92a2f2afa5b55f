/**
 * The CLI while the server is down: it runs the emulator and the work its own command starts, but
 * the deliveries the server left pending (to Teams, which the CLI cannot reach) stay pending for
 * the server, their retries untouched.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/adapters/store';
import { runCli } from '../../src/cli/run';
import { AUDIT_POST_EFFECT } from '../../src/core/audit/fan-out';

jest.setTimeout(120_000);

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-cli-alone-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'data', 'mlops-bot.db')}`, LOG_LEVEL: 'error' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(as: string, text: string): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli([text, '--as', as, '--wait', '60'], env, 'tester', { out: (t) => lines.push(t), err: (l) => lines.push(l) });
  return { code, out: lines.join('\n') };
}

test("a promotion from the CLI runs its own effects and leaves the server's pending Teams post alone", async () => {
  expect((await cli('cli:carol', 'models')).code).toBe(0);
  const store = await openStore(env.DATABASE_URL);
  const entry = { action: 'promotion.approved', actor: 'teams:user-id-1', env: 'prod', detail: {} };
  await store.enqueueEffects([{ key: 'server:teams-audit', kind: AUDIT_POST_EFFECT, payload: { channel: 'teams:19:mlops-audit', entry } }]);
  await store.close();

  const preprod = await cli('cli:carol', 'promote taxi-model preprod');
  expect(preprod.code).toBe(0);
  expect(preprod.out).toMatch(/PR-[A-Z0-9]{5}: succeeded/);

  const after = await openStore(env.DATABASE_URL);
  try {
    expect(await after.getEffect('server:teams-audit')).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await after.getEffect('server:teams-audit'))?.lastError).toBeUndefined();
  } finally {
    await after.close();
  }
});
