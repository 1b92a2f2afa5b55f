/**
 * A list with nothing in it says so once: the subtitle the command wrote ("No requests.") stands
 * alone, and a template's own empty line only shows when the command gave no subtitle.
 */
import { expandCard } from '../../src/cards/expand';
import { renderCardText } from '../../src/cli/render-text';
import type { CardMessage, TemplateName } from '../../src/core/cards/views';
import { requestsCommand } from '../../src/core/commands/requests';
import { createBot, textOf } from '../support/bot-harness';
import { sampleData } from '../fixtures/cards/samples';

const LISTS: TemplateName[] = ['models', 'compare', 'requests', 'releases', 'runs', 'schedules', 'subscriptions', 'audit-list'];

const emptyText = (template: TemplateName, subtitle: string): string => {
  const data = { ...sampleData<Record<string, unknown>>(template), rows: [], subtitle };
  return renderCardText(expandCard({ template, data } as unknown as CardMessage));
};

describe('empty lists', () => {
  it.each(LISTS)('%s: the subtitle alone says it is empty', (template) => {
    const text = emptyText(template, 'Nothing here yet.');
    expect(text).toContain('Nothing here yet.');
    expect(text.split('\n').filter((l) => /^\s*(No |Nothing )/.test(l))).toEqual(['Nothing here yet.']);
  });

  it.each(LISTS)('%s: without a subtitle the template says it', (template) => {
    expect(emptyText(template, '')).toMatch(/\n(No |Nothing )/);
  });

  it('`requests` on an empty store answers with one line', async () => {
    const bot = await createBot({ commands: [requestsCommand] });
    try {
      const text = textOf(await bot.say('slack:U0DAVE', 'requests'));
      expect(text).toContain('No requests.');
      expect(text).not.toContain('No promotion requests.');
    } finally {
      await bot.close();
    }
  });
});
