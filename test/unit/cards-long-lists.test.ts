import type { ModelsView, PromotionView, RequestsView } from '../../src/core/cards/views';
import { renderForSlack, renderForTeams } from '../../src/cards/render';
import { fitCardToBudget } from '../../src/cards/teams-budget';
import { slackViolations } from '../fixtures/cards/check-limits';
import { longSample, sampleData } from '../fixtures/cards/samples';
import { collect } from '../fixtures/cards/card-tree';

const TEAMS_BUDGET = 28 * 1024;
const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');
function omittedCount(texts: string[]): number {
  const note = texts.map((t) => /^(\d+) more not shown\.$/.exec(t)).find(Boolean);
  return note ? Number(note[1]) : 0;
}

describe('long lists', () => {
  const models = longSample('models-200', 'models');

  it('Teams: 200 models fit 28 KB; shown rows + "N more not shown" add up to 200', () => {
    const card = renderForTeams(models).content;
    expect(bytes(card)).toBeLessThanOrEqual(TEAMS_BUDGET);
    const table = collect(card, (o) => o.type === 'Table')[0] as { rows: unknown[] };
    const shown = table.rows.length - 1;
    const omitted = omittedCount(collect(card, (o) => o.type === 'TextBlock').map((o) => String(o.text)));
    expect(omitted).toBeGreaterThan(0);
    expect(shown + omitted).toBe(200);
  });

  it('Slack: 200 models stay within every limit; shown lines + omitted add up to 200', () => {
    const slack = renderForSlack(models);
    expect(slackViolations(slack)).toEqual([]);
    const texts = collect(slack.blocks, (o) => o.type === 'plain_text').map((o) => String(o.text));
    const lines = texts.flatMap((t) => t.split('\n')).filter((l) => /^model-\d{3}-/.test(l));
    expect(lines[0]).toBe('model-000-taxi  ·  v1  ·  dev v1  ·  2024-05-01 00:00 UTC');
    expect(lines.length + omittedCount(texts)).toBe(200);
  });

  it('digest with 120 items: both platforms within limits, items accounted for', () => {
    const digest = longSample('digest-120', 'digest');
    const card = renderForTeams(digest).content;
    expect(bytes(card)).toBeLessThanOrEqual(TEAMS_BUDGET);
    const slack = renderForSlack(digest);
    expect(slackViolations(slack)).toEqual([]);
    expect(slack.blocks).toHaveLength(50);
    const shown = collect(slack.blocks, (o) => o.type === 'mrkdwn' && /registered\*/.test(String(o.text))).length;
    const texts = collect(slack.blocks, (o) => o.type === 'plain_text').map((o) => String(o.text));
    expect(shown + omittedCount(texts)).toBe(120);
  });

  it('1000 requests with long, escape-heavy fields stay within limits on both platforms', () => {
    const data: RequestsView = {
      title: 'Promotion requests', subtitle: 'all',
      rows: Array.from({ length: 1000 }, (_, i) => ({
        id: `PR-${String(i).padStart(5, '0')}`, model: `taxi-model v${i} <&>`.repeat(20), target: 'prod',
        state: 'Awaiting approval', requester: '<@U123>'.repeat(30), updated: '2024-05-16 09:30' })),
    };
    expect(bytes(renderForTeams({ template: 'requests', data }).content)).toBeLessThanOrEqual(TEAMS_BUDGET);
    expect(slackViolations(renderForSlack({ template: 'requests', data }))).toEqual([]);
  });

  it('a promotion with many facts and guard rows keeps its buttons on both platforms', () => {
    const data = sampleData<PromotionView>('promotion');
    data.facts = Array.from({ length: 120 }, (_, i) => ({ title: `Fact ${i}`, value: 'v'.repeat(300) }));
    data.guard.rows = Array.from({ length: 300 }, (_, i) => ({ label: `metric_${i}`, candidate: '1.0', baseline: '0.9', delta: '+11%' }));
    const card = renderForTeams({ template: 'promotion', data }).content;
    expect(bytes(card)).toBeLessThanOrEqual(TEAMS_BUDGET);
    expect(collect(card, (o) => o.type === 'Action.Execute')).toHaveLength(2);
    const slack = renderForSlack({ template: 'promotion', data });
    expect(slackViolations(slack)).toEqual([]);
    expect(collect(slack.blocks, (o) => o.action_id === 'approve' || o.action_id === 'reject')).toHaveLength(2);
  });

  it('leaves a card that already fits untouched and refuses one it cannot trim', () => {
    const small = renderForTeams({ template: 'models', data: sampleData<ModelsView>('models') }).content;
    expect(fitCardToBudget(small)).toBe(small);
    expect(() => fitCardToBudget(small, 100)).toThrow(/budget/);
  });
});
