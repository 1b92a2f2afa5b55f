/**
 * Commands at fleet scale against the emulator (bench/seed-scale.ts grows it): the number of
 * upstream requests of `models`, `model`, `compare` and the release poller is pinned (counts, not
 * times: the same whatever the number of models, versions or open requests), and the totals that
 * used to be wrong at scale are right or marked "at least".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { perApi, seedOpenRequests, startFleetBot, type FleetBot } from '../../bench/fleet-bot';
import { growEmulatorState, type GrownEstate } from '../../bench/seed-scale';
import { expandCard } from '../../src/cards/expand';
import { renderCardText } from '../../src/cli/render-text';
import type { Outcome } from '../../src/core/commands/types';
import { pollReleases } from '../../src/core/promotion/effects';

jest.setTimeout(120_000);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let dir: string;
let estate: GrownEstate;
let bot: FleetBot;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mlops-fleet-'));
  estate = growEmulatorState(join(dir, 'emulator'), { models: 130, versions: 25, jobs: 600, releases: 150, awaitingApproval: 12 });
  bot = await startFleetBot(dir);
  await seedOpenRequests(bot.app, estate);
});
afterAll(async () => {
  await bot?.close();
  rmSync(dir, { recursive: true, force: true });
});

const text = (o: Outcome): string => renderCardText(expandCard(o.reply));
const armReads = (records: { api: string; method: string; path: string }[], suffix: RegExp) => records.filter((r) => r.api === 'arm' && suffix.test(r.path));
/**
 * What serves, read beside the rest (DESIGN 9.2): the online and batch endpoints of each of the three
 * environments, then the deployments of each of their five endpoints — the same whatever the number of models.
 */
const SERVING_READS = 11;
const servingReads = (records: { api: string; method: string; path: string }[]) => armReads(records, /\/(onlineEndpoints|batchEndpoints)(\/[^/]+\/deployments)?$/);

describe('request counts at fleet scale', () => {
  it('models: one page of containers and the newest versions of the 20 shown, with or without the catalogue', async () => {
    const cold = await bot.run('models');
    expect(text(cold.outcome)).toContain('at least 100 models');
    expect(armReads(cold.records, /\/models$/)).toHaveLength(1);
    expect(armReads(cold.records, /\/versions$/)).toHaveLength(20);
    expect(servingReads(cold.records)).toHaveLength(SERVING_READS);
    // Besides the token of the first call in the process.
    expect(cold.records.filter((r) => r.api !== 'identity')).toHaveLength(21 + SERVING_READS);

    await bot.app.refreshCatalogue();
    const warm = await bot.run('models --page 3');
    expect(text(warm.outcome)).toMatch(/133 models \(names as of .*\); page 3 of 7 \(41–60\)/);
    expect(text(warm.outcome)).toContain('model-040');
    expect(warm.records).toHaveLength(21 + SERVING_READS);
    expect(warm.outcome.reply.data).toMatchObject({ actions: [{ verb: 'more', data: { command: 'models --page 4' } }] });
  });

  it('models shows when a model was last updated by its newest version, not the container (defect 14)', async () => {
    const o = await bot.run('models taxi');
    // The container is 41 days old; v5 was registered just under 5 days ago.
    expect(text(o.outcome)).toMatch(/taxi-model\s+v5\s+dev v5 · preprod v4 · prod v3\s+4d ago/);
  });

  it('model and compare: the newest page of versions and one metrics search', async () => {
    await bot.run('model model-001'); // resolves the MLflow tracking URI once per process
    const model = await bot.run('model model-042');
    expect(model.outcome.status).toBe('ok');
    expect(perApi(model.records)).toEqual({ arm: 1 + SERVING_READS, mlflow: 1 });
    expect(servingReads(model.records)).toHaveLength(SERVING_READS);
    expect(text(model.outcome)).toContain('at least 21 versions in dev (newest 20 shown)');

    // compare reads what serves too: its chart marks the serving versions and prod's guard band.
    const compare = await bot.run('compare model-042');
    expect(perApi(compare.records)).toEqual({ arm: 1 + SERVING_READS, mlflow: 1 });
    expect(servingReads(compare.records)).toHaveLength(SERVING_READS);
    // Versions older than the newest page are read directly, side by side.
    const older = await bot.run('compare model-042 1 2');
    expect(perApi(older.records)).toEqual({ arm: 3 + SERVING_READS, mlflow: 1 });
    expect(text(older.outcome)).toContain('v1, v2 in dev');
  });

  it('a mistyped model is suggested from the catalogue without walking the model pages', async () => {
    await bot.app.refreshCatalogue();
    const o = await bot.run('model modle-042');
    expect(o.outcome.status).toBe('invalid');
    expect(text(o.outcome)).toContain('Did you mean `model-042`?');
    expect(armReads(o.records, /\/models$/)).toHaveLength(0);
    expect(o.records).toHaveLength(1);
  });

  it('the release poller reads all open requests of an environment in two requests', async () => {
    const poll = () => pollReleases({ service: bot.app.service, store: bot.app.store, releases: bot.app.ports.releases });
    await poll(); // the first call of a process also fetches the Azure DevOps token
    const { value, records } = await bot.measure(poll);
    expect(value).toMatchObject({ checked: estate.waiting.length, errors: 0 });
    expect(perApi(records)).toEqual({ devops: 2 });
  });

  it('whereis reads the newest page of source versions (not every page) beside what serves', async () => {
    const o = await bot.run('whereis model-042');
    expect(o.outcome.status).toBe('ok');
    expect(armReads(o.records, /\/models\/model-042\/versions$/)).toHaveLength(1);
    expect(servingReads(o.records)).toHaveLength(SERVING_READS);
    expect(o.records).toHaveLength(1 + SERVING_READS);
  });

  it('promote --version of a version below the newest page reads that version once, beside the page', async () => {
    await bot.app.refreshCatalogue();
    const o = await bot.run('promote model-042 preprod --version 2 --dry-run');
    expect(armReads(o.records, /\/models\/model-042\/versions$/)).toHaveLength(1);
    expect(armReads(o.records, /\/models\/model-042\/versions\/2$/)).toHaveLength(1);
    expect(perApi(o.records).mlflow).toBe(1);
  });

  it('releases <model> from a fresh process: no Azure DevOps discovery, the definition, then the pages side by side', async () => {
    const { outcome, records } = await bot.run('releases model-042', { fresh: true });
    expect(outcome.status).toBe('ok');
    const devops = records.filter((r) => r.api === 'devops').map((r) => `${r.method} ${r.path.replace(/^.*\/_apis\//, '')}`);
    expect(devops.filter((r) => /location|resourceareas/i.test(r) || r.startsWith('OPTIONS'))).toEqual([]);
    // The definition (with its newest release id) once; the newest page and the id ranges below it.
    expect(devops.filter((r) => r === 'GET release/definitions')).toHaveLength(1);
    // About 160 release ids in this project: the newest page and the one range of ids below it.
    expect(devops.filter((r) => r === 'GET release/releases')).toHaveLength(2);
    // The demo's pipeline-released environment: its id by name, then its runs.
    expect(devops.filter((r) => r.startsWith('GET pipelines'))).toHaveLength(2);
    // One token per audience (ARM, Azure DevOps), however many calls ask for it at once.
    expect(records.filter((r) => r.api === 'identity')).toHaveLength(2);
  });
});

describe('totals at fleet scale', () => {
  const jobsSince = (from: number, failed: boolean): number => Object.values(estate.jobsByEnv)
    .reduce((n, e) => n + (failed ? e.failedTimes : e.times).filter((t) => t >= from).length, 0);

  it('runs counts every run of the window, not each environment cut to 30', async () => {
    const from = Date.now() - DAY;
    const o = await bot.run('runs');
    expect(jobsSince(from, false)).toBeGreaterThan(60);
    expect(text(o.outcome)).toContain(`${jobsSince(from, false)} runs in the last 24h`);
    expect(text(o.outcome)).toContain('`runs --page 2` for more');
  });

  it('runs --failed --since 7d says "at least" when the window goes beyond the pages read', async () => {
    const o = await bot.run('runs --failed --since 7d');
    const said = /at least (\d+) failed runs in the last 7d/.exec(text(o.outcome));
    expect(said).not.toBeNull();
    expect(Number(said![1])).toBeLessThan(jobsSince(Date.now() - 7 * DAY, true));
  });

  it('releases <model> finds releases older than the newest 25', async () => {
    const o = await bot.run('releases model-042');
    // model-042's release is the 43rd oldest of 150: 108 newer ones come before it.
    expect(text(o.outcome)).toMatch(/model-042 v25/);
    expect(text(o.outcome)).not.toContain('No releases found');
  });

  it('releases and audit say how many there are in all', async () => {
    expect(text((await bot.run('releases')).outcome)).toContain('at least 100 releases, newest first; page 1 of 5 (1–20)');
    await bot.app.store.appendAudit(Array.from({ length: 60 }, (_, i) => ({ action: 'schedule.created', actor: 'cli:admin', env: 'dev', detail: { name: `s${i}` } })));
    const total = (await bot.app.store.listAudit({ since: new Date(Date.now() - 7 * DAY) })).length;
    expect(total).toBeGreaterThan(60);
    const audit = text((await bot.run('audit')).outcome);
    expect(audit).toContain(`${total} entries in the last 7d, newest first; page 1 of 2 (1–50)`);
    expect(text((await bot.run('audit --page 2')).outcome)).toContain(`page 2 of 2 (51–${total})`);
  });
});
