import { summaryOf, type CardMessage } from '../core/cards/views';
import type { AdaptiveCard } from './adaptive-card';
import { toBlockKit } from './block-kit';
import { expandCard } from './expand';
import type { SlackMessage } from './slack-types';
import { fitCardToBudget } from './teams-budget';

export interface TeamsAttachment { contentType: 'application/vnd.microsoft.card.adaptive'; content: AdaptiveCard }

/** Teams attachment (also usable as an invoke-response card), trimmed to the 28 KB card budget. */
export function renderForTeams(message: CardMessage): TeamsAttachment {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: fitCardToBudget(expandCard(message)) };
}

/** Slack `text` + `blocks` for chat.postMessage / chat.update / respond(). */
export function renderForSlack(message: CardMessage): SlackMessage {
  return toBlockKit(expandCard(message), summaryOf(message));
}
