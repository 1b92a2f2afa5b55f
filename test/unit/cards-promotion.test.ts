import type { PromotionView, ScheduleView } from '../../src/core/cards/views';
import { renderForSlack, renderForTeams } from '../../src/cards/render';
import { sampleData } from '../fixtures/cards/samples';
import { collect, type Obj } from '../fixtures/cards/card-tree';

const textRuns = (card: unknown): string[] => collect(card, (o) => o.type === 'TextRun').map((o) => String(o.text));

describe('promotion card', () => {
  it('shows Approve/Reject as Action.Execute with an Action.Submit fallback while a decision is possible', () => {
    const data = sampleData<PromotionView>('promotion');
    const card = renderForTeams({ template: 'promotion', data }).content;
    const execute = collect(card, (o) => o.type === 'Action.Execute');
    expect(execute).toEqual([
      { type: 'Action.Execute', title: 'Approve', verb: 'approve', data: { requestId: 'PR-7K3QX' }, style: 'positive',
        fallback: { type: 'Action.Submit', title: 'Approve', data: { requestId: 'PR-7K3QX', verb: 'approve' }, style: 'positive' } },
      { type: 'Action.Execute', title: 'Reject', verb: 'reject', data: { requestId: 'PR-7K3QX' }, style: 'destructive',
        fallback: { type: 'Action.Submit', title: 'Reject', data: { requestId: 'PR-7K3QX', verb: 'reject' }, style: 'destructive' } },
    ]);
    expect(textRuns(card)).not.toContain('');
  });

  it('maps the buttons to Slack with action_id = verb and value = JSON of data', () => {
    const slack = renderForSlack({ template: 'promotion', data: sampleData<PromotionView>('promotion') });
    const buttons = collect(slack.blocks, (o) => o.type === 'button' && 'value' in o);
    expect(buttons).toEqual([
      { type: 'button', text: { type: 'plain_text', text: 'Approve' }, action_id: 'approve', value: '{"requestId":"PR-7K3QX"}', style: 'primary' },
      { type: 'button', text: { type: 'plain_text', text: 'Reject' }, action_id: 'reject', value: '{"requestId":"PR-7K3QX"}', style: 'danger' },
    ]);
    const links = collect(slack.blocks, (o) => o.type === 'button' && 'url' in o);
    expect(links).toHaveLength(1);
    expect(links[0].text).toEqual({ type: 'plain_text', text: 'Open in Azure ML studio' });
  });

  it('replaces the buttons with the outcome line once decided', () => {
    const data = sampleData<PromotionView>('promotion');
    data.actions = [];
    data.stateLabel = 'Approved (1 of 1)';
    data.tone = 'good';
    data.outcome = 'Approved by @dana — release 42 deploying';
    const card = renderForTeams({ template: 'promotion', data }).content;
    expect(collect(card, (o) => o.type === 'Action.Execute' || o.type === 'Action.Submit')).toEqual([]);
    expect(textRuns(card)).toContain('Approved by @dana — release 42 deploying');
    const state = collect(card, (o) => o.type === 'TextRun' && o.text === 'Approved (1 of 1)');
    expect(state[0].color).toBe('Good');

    const slack = renderForSlack({ template: 'promotion', data });
    expect(collect(slack.blocks, (o) => o.type === 'button' && 'value' in o)).toEqual([]);
    expect(JSON.stringify(slack.blocks)).toContain('*Approved by @dana — release 42 deploying*');
    expect(JSON.stringify(slack.blocks)).toContain('✅ *Approved (1 of 1)*');
  });

  it('does not show the outcome line while buttons are shown', () => {
    const data = sampleData<PromotionView>('promotion');
    data.outcome = 'should not appear yet';
    const card = renderForTeams({ template: 'promotion', data }).content;
    expect(textRuns(card)).not.toContain('should not appear yet');
    expect(collect(card, (o) => o.type === 'Action.Execute')).toHaveLength(2);
  });

  it('gives buttons without a style the default style and no Slack style', () => {
    const data = sampleData<ScheduleView>('schedule');
    const card = renderForTeams({ template: 'schedule', data }).content;
    const runNow = collect(card, (o) => o.type === 'Action.Execute' && o.verb === 'schedule-run');
    expect(runNow[0].style).toBe('default');
    const slack = renderForSlack({ template: 'schedule', data });
    const button = collect(slack.blocks, (o) => o.action_id === 'schedule-run')[0];
    expect(button).toEqual({ type: 'button', text: { type: 'plain_text', text: 'Run now' }, action_id: 'schedule-run', value: '{"schedule":"nightly-retrain"}' });
  });

  it('keeps the data objects on the buttons exactly as given (no verb leaking into Execute data)', () => {
    const data = sampleData<PromotionView>('promotion');
    data.actions = [{ verb: 'approve', title: 'Approve', data: { requestId: 'PR-7K3QX', note: '${secret}' } }];
    const before = structuredClone(data);
    const card = renderForTeams({ template: 'promotion', data }).content;
    const execute = collect(card, (o) => o.type === 'Action.Execute')[0];
    expect(execute.data).toEqual({ requestId: 'PR-7K3QX', note: '${secret}' });
    expect((execute.fallback as Obj).data).toEqual({ requestId: 'PR-7K3QX', note: '${secret}', verb: 'approve' });
    expect(data).toEqual(before);
  });
});

describe('promotion card of a stalled request', () => {
  it('shows what needs a person above the buttons, on Teams and on Slack', () => {
    const data = { ...sampleData<PromotionView>('promotion'), notice: 'Stuck: the release could not be started: Azure DevOps failed (HTTP 503) (failing for 2.5 min).' };
    expect(textRuns(renderForTeams({ template: 'promotion', data }).content)).toContain(data.notice);
    expect(JSON.stringify(renderForSlack({ template: 'promotion', data }))).toContain('failing for 2.5 min');
  });
});
