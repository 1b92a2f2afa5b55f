/**
 * Runs the Store contract against PostgreSQL. TEST_DATABASE_URL names the server; without it the
 * local default is tried, and the suite is reported skipped (with the reason) if it is not there.
 * With TEST_DATABASE_URL set, an unreachable server is a failure, not a skip.
 */
import { openStore } from '../../src/adapters/store';
import { FakeClock } from '../fakes/clock';
import { storeContract } from '../contract/store-contract';
import { dropPgSchemas, pgHarness, pgReachable, pgSchemaPrefix } from '../support/store';

const explicitUrl = process.env.TEST_DATABASE_URL;
const url = explicitUrl ?? 'postgres://postgres@127.0.0.1:5432/test';
const reach = explicitUrl ? { ok: true } : pgReachable(url);

if (!reach.ok) {
  const reason = `PostgreSQL not reachable at the default test URL (${reach.reason}); set TEST_DATABASE_URL to run`;
  console.warn(`store-postgres skipped: ${reason}`);
  describe.skip(`Store contract: PostgreSQL — skipped: ${reason}`, () => {
    it('runs the contract', () => undefined);
  });
} else {
  const prefix = pgSchemaPrefix();
  afterAll(async () => { await dropPgSchemas(url, prefix); });

  storeContract('PostgreSQL', pgHarness(url, prefix));

  describe('PostgreSQL store', () => {
    it('creates its schema and keeps tables out of other schemas', async () => {
      const schema = `${prefix}_iso`;
      const clock = new FakeClock();
      const a = await openStore(url, { clock, schema });
      const b = await openStore(url, { clock, schema: `${schema}2` });
      try {
        await a.putDoc('ns', 'k', 1);
        expect(await b.getDoc('ns', 'k')).toBeNull();
        expect(await a.getDoc('ns', 'k')).toBe(1);
      } finally { await a.close(); await b.close(); }
    });

    it('rejects a schema name that is not a plain identifier', async () => {
      await expect(openStore(url, { schema: 'x"; DROP TABLE y; --' })).rejects.toThrow(/Invalid schema name/);
    });
  });
}
