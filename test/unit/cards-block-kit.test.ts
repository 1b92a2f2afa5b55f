import type { AdaptiveCard, CardAction, CardElement } from '../../src/cards/adaptive-card';
import { fallbackText, toBlockKit } from '../../src/cards/block-kit';
import { slackViolations } from '../fixtures/cards/check-limits';

const cardOf = (body: CardElement[], actions?: CardAction[]): AdaptiveCard => ({ type: 'AdaptiveCard', version: '1.5', body, actions });
const run = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'TextRun' as const, text, ...extra });
const execute = (verb: string, i: number): CardAction => ({ type: 'Action.Execute', title: `Do ${i}`, verb, data: { n: String(i) } });

describe('Block Kit translator', () => {
  it('maps a large TextBlock to a header and a bolder one to bold mrkdwn', () => {
    const { blocks } = toBlockKit(cardOf([
      { type: 'TextBlock', text: 'Models', size: 'Large', weight: 'Bolder' },
      { type: 'TextBlock', text: 'Versions & tags', weight: 'Bolder' },
      { type: 'TextBlock', text: 'quiet', isSubtle: true },
      { type: 'TextBlock', text: '' },
    ]), 'Models');
    expect(blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Models' } },
      { type: 'section', text: { type: 'mrkdwn', text: '*Versions &amp; tags*', verbatim: true } },
      { type: 'context', elements: [{ type: 'plain_text', text: 'quiet' }] },
    ]);
  });

  it('reads RichTextBlock runs (string shorthand included) and monospace as code', () => {
    const { blocks } = toBlockKit(cardOf([
      { type: 'RichTextBlock', inlines: ['Request ', run('PR-7K3QX')] },
      { type: 'RichTextBlock', inlines: [run('a1b2', { fontType: 'Monospace' })] },
      { type: 'RichTextBlock', inlines: [run('has `tick`', { fontType: 'Monospace' })] },
    ]), 'x');
    expect(blocks).toEqual([
      { type: 'section', text: { type: 'plain_text', text: 'Request PR-7K3QX' } },
      { type: 'section', text: { type: 'mrkdwn', text: '`a1b2`', verbatim: true } },
      { type: 'section', text: { type: 'plain_text', text: 'has `tick`' } },
    ]);
  });

  it('truncates a header to 150 characters', () => {
    const { blocks } = toBlockKit(cardOf([{ type: 'TextBlock', text: 'm'.repeat(400), size: 'ExtraLarge' }]), 'x');
    const header = blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(150);
    expect(header.text.text.endsWith('…')).toBe(true);
  });

  it('truncates section text to 3000 without cutting an escape', () => {
    const { blocks } = toBlockKit(cardOf([{ type: 'TextBlock', text: '&'.repeat(5000), weight: 'Bolder' }]), 'x');
    const text = (blocks[0] as { text: { text: string } }).text.text;
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text).toMatch(/^\*(&amp;)+…\*$/);
  });

  it('turns a FactSet into label/value fields, 10 per section', () => {
    const facts = Array.from({ length: 7 }, (_, i) => ({ title: `k${i}`, value: `v${i}` }));
    const { blocks } = toBlockKit(cardOf([{ type: 'FactSet', facts }]), 'x');
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({ type: 'section', fields: expect.any(Array) });
    expect((blocks[0] as { fields: unknown[] }).fields).toHaveLength(10);
    expect((blocks[1] as { fields: unknown[] }).fields).toEqual([
      { type: 'mrkdwn', text: '*k5*', verbatim: true }, { type: 'plain_text', text: 'v5' },
      { type: 'mrkdwn', text: '*k6*', verbatim: true }, { type: 'plain_text', text: 'v6' },
    ]);
  });

  it('turns text-only ColumnSets into fields, merging fact rows and using — for empty values', () => {
    const fact = (k: string, v: string): CardElement => ({ type: 'ColumnSet', columns: [
      { type: 'Column', items: [{ type: 'RichTextBlock', inlines: [run(k, { weight: 'Bolder' })] }] },
      { type: 'Column', items: [{ type: 'RichTextBlock', inlines: [run(v)] }] }] });
    const { blocks } = toBlockKit(cardOf([{ type: 'Container', items: [fact('Env', 'prod'), fact('Note', '')] }]), 'x');
    expect(blocks).toEqual([{ type: 'section', fields: [
      { type: 'mrkdwn', text: '*Env*', verbatim: true }, { type: 'plain_text', text: 'prod' },
      { type: 'mrkdwn', text: '*Note*', verbatim: true }, { type: 'plain_text', text: '—' }] }]);
  });

  it('translates a Table to a header context line and packed row lines', () => {
    const cell = (t: string) => ({ type: 'TableCell' as const, items: [{ type: 'TextBlock', text: t }] });
    const table: CardElement = { type: 'Table', firstRowAsHeader: true, rows: [
      { type: 'TableRow', cells: [cell('Model'), cell('Latest')] },
      { type: 'TableRow', cells: [cell('taxi-model'), cell('v5')] },
      { type: 'TableRow', cells: [cell('<!channel>'), cell('')] }] };
    expect(toBlockKit(cardOf([table]), 'x').blocks).toEqual([
      { type: 'context', elements: [{ type: 'plain_text', text: 'Model  ·  Latest' }] },
      { type: 'section', text: { type: 'plain_text', text: 'taxi-model  ·  v5\n<!channel>  ·  —' } },
    ]);
  });

  it('maps Image, and falls back to its alt text for an oversize url', () => {
    const { blocks } = toBlockKit(cardOf([
      { type: 'Image', url: 'https://example.com/chart.png', altText: 'rmse chart' },
      { type: 'Image', url: `https://example.com/${'a'.repeat(3100)}`, altText: 'big' },
    ]), 'x');
    expect(blocks).toEqual([
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'rmse chart' },
      { type: 'context', elements: [{ type: 'plain_text', text: 'big' }] },
    ]);
  });

  it('takes the verb of an Action.Submit from its data, and maps OpenUrl to a link button', () => {
    const { blocks } = toBlockKit(cardOf([{ type: 'ActionSet', actions: [
      { type: 'Action.Submit', title: 'Approve', data: { verb: 'approve', requestId: 'PR-7K3QX' }, style: 'positive' },
      { type: 'Action.OpenUrl', title: 'Open', url: 'https://dev.azure.com/contoso' }] }]), 'x');
    expect(blocks).toEqual([{ type: 'actions', elements: [
      { type: 'button', text: { type: 'plain_text', text: 'Approve' }, action_id: 'approve',
        value: '{"verb":"approve","requestId":"PR-7K3QX"}', style: 'primary' },
      { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://dev.azure.com/contoso', action_id: 'open-url-1' }] }]);
  });

  it('splits more than 25 buttons and repeated verbs over several actions blocks', () => {
    const many = Array.from({ length: 30 }, (_, i) => execute(`verb-${i}`, i));
    const dupes = [execute('approve', 1), execute('approve', 2)];
    const { blocks } = toBlockKit(cardOf([{ type: 'ActionSet', actions: many }], dupes), 'x');
    expect(blocks.map((b) => (b as { elements: unknown[] }).elements.length)).toEqual([25, 5, 1, 1]);
    expect(slackViolations({ text: 'x', blocks })).toEqual([]);
  });

  it('truncates button text to 75 and refuses oversize values or verbs', () => {
    const long: CardAction = { type: 'Action.Execute', title: 't'.repeat(100), verb: 'go', data: {} };
    const button = (toBlockKit(cardOf([], [long]), 'x').blocks[0] as { elements: { text: { text: string } }[] }).elements[0];
    expect(button.text.text).toHaveLength(75);
    expect(() => toBlockKit(cardOf([], [{ ...long, data: { blob: 'x'.repeat(2100) } }]), 'x')).toThrow(/exceeds 2000/);
    expect(() => toBlockKit(cardOf([], [{ ...long, verb: 'v'.repeat(256) }]), 'x')).toThrow(/verb/);
  });

  it('fails loudly on elements it does not know', () => {
    expect(() => toBlockKit(cardOf([{ type: 'Input.Text' }]), 'x')).toThrow(/does not support Input.Text/);
  });

  it('keeps 50 blocks: cuts at an item boundary, keeps buttons, says how many items were left out', () => {
    const body: CardElement[] = Array.from({ length: 80 }, (_, i) => ({ type: 'TextBlock', text: `item ${i}` }));
    const { blocks } = toBlockKit(cardOf(body, [execute('approve', 0)]), 'x');
    expect(blocks).toHaveLength(50);
    expect(blocks[47]).toEqual({ type: 'section', text: { type: 'plain_text', text: 'item 47' } });
    expect(blocks[48]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: '32 more not shown.' }] });
    expect(blocks[49]).toMatchObject({ type: 'actions' });
  });

  it('keeps the cumulative block text under 12,000 characters', () => {
    const body: CardElement[] = Array.from({ length: 10 }, (_, i) => ({ type: 'TextBlock', text: `${i}`.repeat(2500) }));
    const { blocks } = toBlockKit(cardOf(body), 'x');
    expect(slackViolations({ text: 'x', blocks })).toEqual([]);
    expect(blocks[blocks.length - 1]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: '6 more not shown.' }] });
  });

  it('escapes and caps the fallback text at 4000', () => {
    expect(fallbackText('<!here> ship  it & go')).toBe('&lt;!here&gt; ship it &amp; go');
    const long = fallbackText('<'.repeat(5000));
    expect(long.length).toBeLessThanOrEqual(4000);
    expect(long).toMatch(/^(&lt;)+…$/);
  });
});
