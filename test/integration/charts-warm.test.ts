/**
 * The chart worker is started ahead of the chart: `warm()` starts it once however often it is
 * called, `model` and `compare` warm it before their upstream reads and draw in that same worker,
 * and commands without a chart (help, whoami) start none.
 */
import { VegaChartRenderer } from '../../src/adapters/charts';
import { drawChart } from '../../src/core/charts';
import type { CardMessage } from '../../src/core/cards/views';
import { CapturingLogger } from '../fakes/logger';
import { createBot, seedTaxiStory, type BotHarness } from '../support/bot-harness';
import { trendSample } from '../support/chart-samples';

const PNG_SIGNATURE = '89504e470d0a1a0a';
const pngOf = (reply: CardMessage): string => Buffer.from(reply.image?.png?.subarray(0, 8) ?? []).toString('hex');

it('warm() called again and again starts one worker, and the chart is drawn in it', async () => {
  const renderer = new VegaChartRenderer({ timeoutMs: 30_000 });
  try {
    expect(renderer.workerStarts).toBe(0);
    renderer.warm();
    renderer.warm();
    renderer.warm();
    expect(renderer.workerStarts).toBe(1);
    const image = await drawChart(renderer, trendSample(5), new CapturingLogger());
    expect(Buffer.from(image?.png?.subarray(0, 8) ?? []).toString('hex')).toBe(PNG_SIGNATURE);
    renderer.warm();
    expect(renderer.workerStarts).toBe(1);
  } finally {
    await renderer.close();
  }
});

describe('commands', () => {
  let bot: BotHarness;
  let renderer: VegaChartRenderer;
  beforeEach(async () => {
    renderer = new VegaChartRenderer({ timeoutMs: 30_000 });
    bot = await createBot({ charts: renderer });
    seedTaxiStory(bot);
  });
  afterEach(async () => {
    await renderer.close();
    await bot.close();
  });

  it('help and whoami start no chart worker', async () => {
    expect((await bot.say('slack:U0CAROL', 'help')).status).toBe('ok');
    expect((await bot.say('slack:U0CAROL', 'whoami')).status).toBe('ok');
    expect(renderer.workerStarts).toBe(0);
  });

  it('compare and model warm the worker at their start and draw in that one worker', async () => {
    for (const text of ['compare taxi-model', 'model taxi-model']) {
      const from = bot.calls.length;
      const o = await bot.say('slack:U0CAROL', text);
      expect(o.status).toBe('ok');
      expect(pngOf(o.reply)).toBe(PNG_SIGNATURE);
      // Warmed before the first read of Azure, drawn after the last one.
      const made = bot.calls.slice(from).map((c) => `${c.port}.${c.method}`);
      const firstRead = made.findIndex((c) => c.startsWith('registry.'));
      expect(made.indexOf('charts.warm')).toBeGreaterThanOrEqual(0);
      expect(made.indexOf('charts.warm')).toBeLessThan(firstRead);
      const lastRead = made.length - 1 - [...made].reverse().findIndex((c) => c.startsWith('registry.'));
      expect(made.indexOf('charts.render')).toBeGreaterThan(lastRead);
    }
    expect(renderer.workerStarts).toBe(1);
  });
});
