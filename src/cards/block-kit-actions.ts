import type { CardAction } from './adaptive-card';
import { plain } from './slack-text';
import { SLACK_LIMITS, type SlackBlock, type SlackButton } from './slack-types';

/**
 * Action.Execute / Action.Submit → button whose action_id is the verb and value the JSON of the data;
 * Action.OpenUrl → link button. Ids and values are never truncated (a cut verb or half a JSON document
 * would route or parse wrongly), so oversize ones throw.
 */
export function toButton(action: CardAction, linkIndex: number): SlackButton {
  const text = plain(action.title ?? '', SLACK_LIMITS.buttonText);
  if (action.type === 'Action.OpenUrl') {
    const url = String(action.url ?? '');
    if (url === '' || url.length > SLACK_LIMITS.buttonUrl) throw new Error(`link button "${text.text}" has an empty or oversize url`);
    return { type: 'button', text, url, action_id: `open-url-${linkIndex}` };
  }
  if (action.type !== 'Action.Execute' && action.type !== 'Action.Submit') {
    if (action.fallback && action.fallback !== 'drop') return toButton(action.fallback, linkIndex);
    throw new Error(`Block Kit translator does not support ${action.type}`);
  }
  const data = isRecord(action.data) ? action.data : {};
  const verb = action.type === 'Action.Execute' ? action.verb : data.verb;
  if (typeof verb !== 'string' || verb === '' || verb.length > SLACK_LIMITS.actionId) {
    throw new Error(`button "${text.text}" needs a verb of 1..${SLACK_LIMITS.actionId} characters`);
  }
  const value = JSON.stringify(data);
  if (value.length > SLACK_LIMITS.buttonValue) throw new Error(`button "${verb}" data exceeds ${SLACK_LIMITS.buttonValue} characters`);
  const button: SlackButton = { type: 'button', text, action_id: verb, value };
  if (action.style === 'positive') button.style = 'primary';
  if (action.style === 'destructive') button.style = 'danger';
  return button;
}

/**
 * Buttons in blocks of at most 25. Slack wants action_ids unique within a block, so a repeated verb
 * starts a new block instead of being renamed (handlers match on the verb).
 */
export function actionBlocks(actions: CardAction[], linkOffset = 0): SlackBlock[] {
  const blocks: SlackBlock[] = [];
  let current: SlackButton[] = [];
  const flush = (): void => {
    if (current.length > 0) blocks.push({ type: 'actions', elements: current });
    current = [];
  };
  actions.forEach((action, i) => {
    const button = toButton(action, linkOffset + i);
    const clash = current.some((b) => b.action_id === button.action_id);
    if (clash || current.length === SLACK_LIMITS.actionsElements) flush();
    current.push(button);
  });
  flush();
  return blocks;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
