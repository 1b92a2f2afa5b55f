/** The Block Kit subset the translator emits (local types: src/cards takes no Slack SDK dependency). */
export interface PlainText { type: 'plain_text'; text: string }
export interface Mrkdwn { type: 'mrkdwn'; text: string; verbatim: true }
export type TextObject = PlainText | Mrkdwn;

export interface SlackButton {
  type: 'button';
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: 'primary' | 'danger';
}

export type SlackBlock =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] }
  | { type: 'image'; image_url: string; alt_text: string }
  | { type: 'image'; slack_file: { id: string }; alt_text: string }
  | { type: 'actions'; elements: SlackButton[] }
  | { type: 'divider' };

export interface SlackMessage { text: string; blocks: SlackBlock[] }

/** Documented Block Kit limits (chat-platforms reference §6), plus an observed cumulative text cap. */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  imageUrl: 3000,
  altText: 2000,
  actionId: 255,
  fallbackText: 4000,
  /** Not documented: chat.postMessage answers msg_blocks_too_long near 12–13k characters of block text (bolt-js #2509). */
  totalText: 12000,
} as const;
