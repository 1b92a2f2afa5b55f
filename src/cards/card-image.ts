/**
 * The picture of a card (CardImage) in each renderer: placed under the card's heading (its leading
 * title and subtitle lines); where it cannot be shown, a note in its place says the chart is missing.
 */
import type { CardImage } from '../core/cards/views';
import type { CardElement } from './adaptive-card';
import { item, type Tagged } from './block-kit-tagged';
import { isTextElement } from './card-text';
import { plain } from './slack-text';
import { SLACK_LIMITS, type SlackBlock } from './slack-types';
import { truncate } from './text-limits';

/** Alt text is a summary of the figures; a screen reader does not need more than this. */
const MAX_ALT = 1000;

export function missingText(image: CardImage, fallbackReason: string): string {
  return `Chart missing: ${image.missing ?? fallbackReason}`;
}

/** How many elements the card's heading has: its leading title and subtitle lines. */
export function headingLength(body: readonly CardElement[]): number {
  let i = 0;
  while (i < body.length && isTextElement(body[i])) i += 1;
  return i;
}

/** The card's body with `extra` under its heading. */
export function underHeading(body: readonly CardElement[], extra: readonly CardElement[]): CardElement[] {
  const i = headingLength(body);
  return [...body.slice(0, i), ...extra, ...body.slice(i)];
}

/** Adaptive Card: an Image element when the picture has a URL a client can load, else the note. */
export function imageElement(image: CardImage, url: string | undefined, noUrlReason: string): CardElement {
  if (url && image.png && !image.missing) {
    return { type: 'Image', url, altText: truncate(image.alt, MAX_ALT), size: 'Stretch', spacing: 'Medium' };
  }
  return { type: 'TextBlock', text: missingText(image, noUrlReason), isSubtle: true, wrap: true, spacing: 'Small' };
}

/** Block Kit: an image block showing an uploaded Slack file, else the note as a context line. */
export function imageBlock(image: CardImage, slackFileId: string | undefined, noFileReason: string): Tagged {
  const block: SlackBlock = slackFileId && image.png && !image.missing
    ? { type: 'image', slack_file: { id: slackFileId }, alt_text: truncate(image.alt, SLACK_LIMITS.altText) }
    : { type: 'context', elements: [plain(missingText(image, noFileReason), SLACK_LIMITS.contextText)] };
  return item(block);
}
