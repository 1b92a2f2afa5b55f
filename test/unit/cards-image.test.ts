/**
 * A card's picture in each renderer: under the heading as a Teams Image (a link the bot serves) and
 * a Slack image block showing the uploaded file; where it cannot be shown, a line saying it is missing.
 */
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import { renderForSlack, renderForTeams } from '../../src/cards/render';
import { loadSpec } from '../conformance/openapi-check';
import { card, imageMissing, type CardImage, type CardMessage } from '../../src/core/cards/views';
import { trendSample } from '../support/chart-samples';

const chart = trendSample(5);
const drawn: CardImage = { alt: chart.alt, name: chart.name, png: new Uint8Array([137, 80, 78, 71]), chart };
const compare = (image?: CardImage): CardMessage => card('compare', {
  title: 'Compare taxi-model', subtitle: 'v5, v4 in dev', columns: ['rmse'], rows: [{ version: 'v5', cells: ['0.41'] }], footnote: '★ best',
}, image);

describe('Teams', () => {
  it('puts an Image with the link under the title and subtitle', () => {
    const body = renderForTeams(compare(drawn), { imageUrl: (i) => `https://bot.contoso.com/charts?name=${i.name}` }).content.body;
    expect(body.map((e) => e.type)).toEqual(['RichTextBlock', 'RichTextBlock', 'Image', 'Table', 'RichTextBlock']);
    expect(body[2]).toEqual({ type: 'Image', url: 'https://bot.contoso.com/charts?name=taxi-model-rmse', altText: chart.alt, size: 'Stretch', spacing: 'Medium' });
  });

  it('says the chart is missing when it was not drawn or has no link', () => {
    const missing = renderForTeams(imageMissing(compare(drawn), 'The chart could not be drawn just now.'), { imageUrl: () => 'https://x' }).content.body;
    expect(missing[2]).toMatchObject({ type: 'TextBlock', text: 'Chart missing: The chart could not be drawn just now.', isSubtle: true });
    const unlinked = renderForTeams(compare(drawn)).content.body;
    expect(unlinked[2]).toMatchObject({ type: 'TextBlock', text: expect.stringMatching(/^Chart missing: /) });
  });

  it('the card with its Image, and with the missing note, is a valid Adaptive Card 1.5', () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addMetaSchema(draft06);
    const { id, ...schema } = loadSpec('adaptive-card-1.5.json');
    const validate = ajv.compile({ $id: id, ...schema });
    const url = 'https://bot.contoso.com/charts?c=abc&e=1&s=x';
    for (const message of [compare(drawn), imageMissing(compare(drawn), 'not drawn')]) {
      const { msteams: _host, ...content } = renderForTeams(message, { imageUrl: () => url }).content;
      expect(validate(content) ? [] : validate.errors).toEqual([]);
    }
  });

  it('a card without a picture is as before', () => {
    expect(renderForTeams(compare()).content.body.map((e) => e.type)).toEqual(['RichTextBlock', 'RichTextBlock', 'Table', 'RichTextBlock']);
  });
});

describe('Slack', () => {
  it('shows the uploaded file in an image block under the header', () => {
    const { blocks } = renderForSlack(compare(drawn), { slackFileId: 'F0CHART1' });
    expect(blocks[0].type).toBe('header');
    expect(blocks[1].type).toBe('context');
    expect(blocks[2]).toEqual({ type: 'image', slack_file: { id: 'F0CHART1' }, alt_text: chart.alt });
  });

  it('without an upload, a context line says the chart is missing and the card is whole', () => {
    const { blocks } = renderForSlack(imageMissing(compare(drawn), 'the upload to Slack failed.'));
    expect(blocks[2]).toEqual({ type: 'context', elements: [{ type: 'plain_text', text: 'Chart missing: the upload to Slack failed.' }] });
    expect(JSON.stringify(blocks)).toContain('0.41');
  });
});
