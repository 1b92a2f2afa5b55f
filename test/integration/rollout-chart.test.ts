/**
 * The rollout card carries canary vs baseline: after each check the card's chart is drawn from the
 * rollout's checks (error rate and p95 per step, the limits) by the real renderer, and a card whose
 * chart cannot be drawn still goes out, saying so.
 */
import { PNG } from 'pngjs';
import { VegaChartRenderer } from '../../src/adapters/charts';
import type { CardMessage } from '../../src/core/cards/views';
import type { ChartRenderer } from '../../src/core/ports';
import { rolloutChartOf } from '../../src/core/rollout/chart';
import { alice, rolloutRig, type RolloutRig } from '../unit/rollout-support';

const renderer = new VegaChartRenderer();
let rig: RolloutRig;
afterEach(async () => { await rig.store.close(); });
afterAll(() => renderer.close());

const lastCard = (): CardMessage => rig.chat.updates.at(-1)!.message;

it('each check adds a step to the chart of the rollout card', async () => {
  rig = await rolloutRig(undefined, { charts: renderer });
  const { rollout } = await rig.service.start({ caller: alice, model: 'taxi-model', env: 'prod', channel: 'slack:C0OPS' });
  await rig.drain();
  // Posted at 10% before any check: nothing to draw yet.
  expect(rig.chat.inChannel('slack:C0OPS')[0].message.image).toBeUndefined();
  rig.healthy();
  await rig.tick(30_000);
  await rig.tick(30_000);
  const done = await rig.get(rollout.id);
  expect(done.status).toBe('succeeded');
  const image = lastCard().image!;
  expect(image.missing).toBeUndefined();
  expect(image.alt).toBe('Chart of the rollout of taxi-model v5 in prod, canary green vs baseline blue. at 10%: canary 0% errors, p95 110 ms; baseline 0.1111% errors, p95 100 ms. at 50%: canary 0% errors, p95 110 ms; baseline 0.1111% errors, p95 100 ms.');
  const png = PNG.sync.read(Buffer.from(image.png!));
  expect(png.width).toBeGreaterThan(800);
  const spec = rolloutChartOf(done)!;
  const rows = ((spec.vegaLite.hconcat as { layer: { data: { values: { step: string; role: string }[] } }[] }[])[0].layer[0].data.values);
  expect(rows.map((r) => `${r.step} ${r.role}`)).toEqual(['10% canary (green)', '10% baseline (blue)', '50% canary (green)', '50% baseline (blue)']);
});

it('a chart that cannot be drawn leaves the card whole, saying the chart is missing', async () => {
  const broken: ChartRenderer = { render: async () => { throw new Error('worker gone'); }, warm() {} };
  rig = await rolloutRig(undefined, { charts: broken });
  await rig.service.start({ caller: alice, model: 'taxi-model', env: 'prod', channel: 'slack:C0OPS' });
  await rig.drain();
  rig.healthy();
  await rig.tick(30_000);
  expect(lastCard().template).toBe('rollout');
  expect(lastCard().image).toMatchObject({ missing: expect.stringContaining('could not be drawn') });
});
