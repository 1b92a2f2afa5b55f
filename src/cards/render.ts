import { summaryOf, type CardImage, type CardMessage } from '../core/cards/views';
import { imageBlock, imageElement, underHeading } from './card-image';
import type { AdaptiveCard } from './adaptive-card';
import { toBlockKit } from './block-kit';
import { expandCard } from './expand';
import type { SlackMessage } from './slack-types';
import { fitCardToBudget } from './teams-budget';

export interface TeamsAttachment { contentType: 'application/vnd.microsoft.card.adaptive'; content: AdaptiveCard }

export interface TeamsRenderOptions {
  /** A URL Teams can load the card's picture from (a signed link served by the bot); absent: none. */
  imageUrl?: (image: CardImage) => string | undefined;
}

/** Teams attachment (also usable as an invoke-response card), trimmed to the 28 KB card budget. */
export function renderForTeams(message: CardMessage, opts: TeamsRenderOptions = {}): TeamsAttachment {
  const card = expandCard(message);
  if (message.image) {
    const picture = imageElement(message.image, opts.imageUrl?.(message.image), 'this bot has no address Teams could load it from.');
    card.body = underHeading(card.body, [picture]);
  }
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: fitCardToBudget(card) };
}

/** Slack `text` + `blocks` for chat.postMessage / chat.update / respond(); `slackFileId`: the uploaded picture. */
export function renderForSlack(message: CardMessage, opts: { slackFileId?: string } = {}): SlackMessage {
  const picture = message.image ? imageBlock(message.image, opts.slackFileId, 'it was not uploaded.') : undefined;
  return toBlockKit(expandCard(message), summaryOf(message), picture);
}
