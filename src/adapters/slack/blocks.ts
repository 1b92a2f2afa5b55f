/**
 * Our Block Kit (src/cards, which takes no Slack dependency) as the Web API's argument types. The
 * renderer already escapes text and keeps to the limits; this only bridges the two type worlds.
 */
import type { KnownBlock } from '@slack/web-api';
import { renderForSlack } from '../../cards/render';
import type { CardMessage } from '../../core/cards/views';

export interface SlackContent { text: string; blocks: KnownBlock[] }

export function slackContent(message: CardMessage, opts: { slackFileId?: string } = {}): SlackContent {
  const rendered = renderForSlack(message, opts);
  return { text: rendered.text, blocks: rendered.blocks as unknown as KnownBlock[] };
}
