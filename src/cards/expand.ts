import type { CardMessage } from '../core/cards/views';
import type { AdaptiveCard } from './adaptive-card';
import { assertSafeUrls } from './card-urls';
import { loadTemplate } from './templates';
import { prepareViewData } from './view-data';

/**
 * Expands `cards/<template>.json` with the message's view data, exactly once.
 *
 * User text only ever travels as data: it is never spliced into a template and the output is never
 * expanded again (a second expansion would evaluate a user's `${…}`). Throws when the template
 * references a field the data lacks, instead of sending a card showing `${field}`.
 * Does not touch adaptivecards-templating's process-wide GlobalSettings.
 */
export function expandCard(message: CardMessage): AdaptiveCard {
  const { template } = loadTemplate(message.template);
  const prepared = prepareViewData(message.data);
  const expanded: unknown = template.expand({ $root: prepared.data });
  const card = prepared.finish(expanded, message.template) as AdaptiveCard;
  if (!card || card.type !== 'AdaptiveCard' || !Array.isArray(card.body)) {
    throw new Error(`card template "${message.template}" did not expand to an AdaptiveCard with a body`);
  }
  assertSafeUrls(card, message.template);
  return card;
}
