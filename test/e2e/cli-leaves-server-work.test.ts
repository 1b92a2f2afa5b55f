/**
 * The CLI while the server is down: it runs the emulator and the work its own command starts, but
 * the deliveries the server left pending (to Teams, which the CLI cannot reach) stay pending for
 * the server, their retries untouched.
 */
import { openStore } from '../../src/adapters/store';
import { AUDIT_POST_EFFECT } from '../../src/core/audit/fan-out';
import { cliSandbox } from '../support/cli-sandbox';

jest.setTimeout(120_000);

const box = cliSandbox('mlops-cli-alone-');
const cli = (as: string, text: string) => box.cli(as, text, { stderr: true });

test("a promotion from the CLI runs its own effects and leaves the server's pending Teams post alone", async () => {
  expect((await cli('cli:carol', 'models')).code).toBe(0);
  const store = await openStore(box.env.DATABASE_URL);
  const entry = { action: 'promotion.approved', actor: 'teams:user-id-1', env: 'prod', detail: {} };
  await store.enqueueEffects([{ key: 'server:teams-audit', kind: AUDIT_POST_EFFECT, payload: { channel: 'teams:19:mlops-audit', entry } }]);
  await store.close();

  const preprod = await cli('cli:carol', 'promote taxi-model preprod');
  expect(preprod.code).toBe(0);
  expect(preprod.out).toMatch(/PR-[A-Z0-9]{5}: succeeded/);

  const after = await openStore(box.env.DATABASE_URL);
  try {
    expect(await after.getEffect('server:teams-audit')).toMatchObject({ status: 'pending', attempts: 0 });
    expect((await after.getEffect('server:teams-audit'))?.lastError).toBeUndefined();
  } finally {
    await after.close();
  }
});
