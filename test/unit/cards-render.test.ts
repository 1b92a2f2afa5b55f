import { renderForSlack, renderForTeams } from '../../src/cards/render';
import { templateNames } from '../../src/cards/templates';
import { slackViolations } from '../fixtures/cards/check-limits';
import { allStrings } from '../fixtures/cards/card-tree';
import { sample } from '../fixtures/cards/samples';

const TEAMS_BUDGET = 28 * 1024;


describe.each(templateNames())('template %s with sample data', (name) => {
  const message = sample(name);

  it('renders for Teams: 1.5, fully expanded, within the card budget', () => {
    const attachment = renderForTeams(message);
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = attachment.content;
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.body.length).toBeGreaterThan(0);
    const json = JSON.stringify(card);
    expect(json).not.toContain('${');
    expect(json).not.toContain('$data');
    expect(json).not.toContain('$when');
    expect(Buffer.byteLength(json, 'utf8')).toBeLessThanOrEqual(TEAMS_BUDGET);
    expect(allStrings(card)).toContain((message.data as { title?: string }).title ?? (message.data as { text: string }).text);
  });

  it('renders for Slack within every Block Kit limit', () => {
    const slack = renderForSlack(message);
    expect(slackViolations(slack)).toEqual([]);
    expect(slack.blocks.length).toBeGreaterThan(0);
    expect(slack.text).toBe((message.data as { title: string }).title);
  });

  it('keeps every sample value visible on both platforms', () => {
    const teams = allStrings(renderForTeams(message).content).join('\n');
    const slack = allStrings(renderForSlack(message).blocks).join('\n');
    const values = allStrings(message.data).filter((v) => v !== '' && !/^(info|good|warning|attention|positive|destructive)$/.test(v));
    for (const v of values) {
      expect(teams).toContain(v);
      // plain_text carries the value as is, mrkdwn carries it entity-escaped
      const escaped = v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      expect([v, escaped].some((form) => slack.includes(form.trim()))).toBe(true);
    }
  });
});
