import type { AdaptiveCard } from './adaptive-card';
import { actionBlocks } from './block-kit-actions';
import { translateElements } from './block-kit-elements';
import { fitBlocks, mergeFieldSections } from './block-kit-fit';
import { headingLength } from './card-image';
import { item, type Tagged } from './block-kit-tagged';
import { escapedWithin } from './slack-text';
import { SLACK_LIMITS, type SlackMessage } from './slack-types';

/**
 * Translates an already-expanded Adaptive Card into Block Kit. Card text is treated as literal text
 * (templates style through properties, never markdown), so nothing from the card is interpreted by Slack.
 */
export function toBlockKit(card: AdaptiveCard, fallback: string, picture?: Tagged): SlackMessage {
  const heading = picture ? headingLength(card.body) : card.body.length;
  const tagged: Tagged[] = [
    ...translateElements(card.body.slice(0, heading)),
    ...(picture ? [picture] : []),
    ...translateElements(card.body.slice(heading)),
    ...actionBlocks(card.actions ?? []).map((block) => item(block)),
  ];
  return { text: fallbackText(fallback), blocks: fitBlocks(mergeFieldSections(tagged)) };
}

/** The message `text` is mrkdwn too (notifications, old clients), so it gets the same escaping. */
export function fallbackText(summary: string): string {
  return escapedWithin(summary.replace(/\s+/g, ' ').trim() || 'Message', SLACK_LIMITS.fallbackText);
}
