import type { CardMessage, PromotionView } from '../../src/core/cards/views';
import { renderForSlack, renderForTeams } from '../../src/cards/render';
import { templateNames } from '../../src/cards/templates';
import { slackViolations } from '../fixtures/cards/check-limits';
import { sample, sampleData } from '../fixtures/cards/samples';
import { collect, type Obj } from '../fixtures/cards/card-tree';

const HOSTILE = '<!channel> <@U123> <https://evil.example|x> ${secret} & **bold** _it_ ~s~ `c` @everyone <at>Bob</at>';
const HOSTILE_MRKDWN =
  '&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|x&gt; ${secret} &amp; **bold** _it_ ~s~ `c` @everyone &lt;at&gt;Bob&lt;/at&gt;';
/** Fields whose values are closed enums, ids or URLs chosen by the core, not free text. */
const NOT_FREE_TEXT = new Set(['tone', 'style', 'verb', 'url']);

/** Replaces every free-text leaf with the hostile string and adds a `secret` a second expansion would reveal. */
function hostile(message: CardMessage): CardMessage {
  const walk = (node: unknown, key: string): unknown => {
    if (typeof node === 'string') return NOT_FREE_TEXT.has(key) ? node : HOSTILE;
    if (Array.isArray(node)) return node.map((n) => walk(n, key));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, k)]));
    }
    return node;
  };
  return { template: message.template, data: { ...(walk(message.data, '') as object), secret: 'S3CR3T' } } as unknown as CardMessage;
}


describe.each(templateNames())('hostile user text in %s', (name) => {
  const message = hostile(sample(name));

  it('Teams: appears literally, only in TextRuns (no markdown parsing), never evaluated', () => {
    const card = renderForTeams(message).content;
    const json = JSON.stringify(card);
    expect(json).not.toContain('S3CR3T');
    const runs = collect(card, (o) => o.type === 'TextRun' && String(o.text).includes('<!channel>'));
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(String(run.text)).toContain(HOSTILE);
    const parsed = collect(card, (o) => (o.type === 'TextBlock' || o.type === 'FactSet') && JSON.stringify(o).includes('<!channel>'));
    expect(parsed).toEqual([]);
  });

  it('Slack: raw only in plain_text, entity-escaped in mrkdwn, limits kept', () => {
    const slack = renderForSlack(message);
    expect(slackViolations(slack)).toEqual([]);
    const texts = collect(slack.blocks, (o) => o.type === 'plain_text' || o.type === 'mrkdwn');
    for (const t of texts.filter((o) => o.type === 'mrkdwn')) {
      expect(String(t.text)).not.toMatch(/<|>/);
      expect(t.verbatim).toBe(true);
    }
    expect(JSON.stringify(slack)).not.toContain('S3CR3T');
    expect(texts.some((t) => String(t.text).includes('<!channel>') || String(t.text).includes('&lt;!channel&gt;'))).toBe(true);
    expect(slack.text).not.toMatch(/<|>/);
  });
});

describe('exact escaped text', () => {
  it('keeps ${secret} literal on the Teams card', () => {
    const data = sampleData<PromotionView>('promotion');
    data.title = 'Promote ${secret} to prod';
    const card = renderForTeams({ template: 'promotion', data: { ...data, secret: 'S3CR3T' } as PromotionView }).content;
    expect(collect(card, (o) => o.type === 'TextRun' && o.text === 'Promote ${secret} to prod')).toHaveLength(1);
  });

  it('puts hostile titles in a plain_text header and an escaped fallback text', () => {
    const data = sampleData<PromotionView>('promotion');
    data.title = HOSTILE;
    const slack = renderForSlack({ template: 'promotion', data });
    expect(slack.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: HOSTILE } });
    expect(slack.text).toBe(HOSTILE_MRKDWN);
  });

  it('bolds a label in mrkdwn with & < > escaped, and falls back to plain_text when it has markers', () => {
    const data = sampleData<PromotionView>('promotion');
    data.facts = [{ title: '<!here> & co', value: '<@U999>' }, { title: '**Reason**', value: '_why_' }];
    const section = renderForSlack({ template: 'promotion', data }).blocks.find((b) => b.type === 'section' && 'fields' in b);
    expect(section).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*&lt;!here&gt; &amp; co*', verbatim: true },
        { type: 'plain_text', text: '<@U999>' },
        { type: 'plain_text', text: '**Reason**' },
        { type: 'plain_text', text: '_why_' },
      ],
    });
  });

  it('never evaluates a value shaped like an expression that references real data', () => {
    const data = sampleData<PromotionView>('promotion');
    data.stateLabel = '${requestId} ${string(facts)} ${title}';
    const card = renderForTeams({ template: 'promotion', data }).content;
    expect(collect(card, (o) => o.type === 'TextRun' && o.text === '${requestId} ${string(facts)} ${title}')).toHaveLength(1);
  });
});
