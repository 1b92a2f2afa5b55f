/**
 * The slice of the Adaptive Card 1.5 schema our templates produce and our Slack translator reads.
 * Loose on purpose: the card is data for Teams, so unknown properties pass through untouched.
 */
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: string;
  size?: string;
  color?: string;
  isSubtle?: boolean;
  italic?: boolean;
  strikethrough?: boolean;
  fontType?: string;
}

export interface CardAction {
  type: 'Action.Execute' | 'Action.Submit' | 'Action.OpenUrl' | string;
  title?: string;
  verb?: string;
  data?: unknown;
  url?: string;
  style?: string;
  fallback?: CardAction | 'drop';
  [key: string]: unknown;
}

export interface CardElement {
  type: string;
  text?: string;
  inlines?: (TextRun | string)[];
  weight?: string;
  size?: string;
  color?: string;
  isSubtle?: boolean;
  fontType?: string;
  items?: CardElement[];
  columns?: CardElement[] | { width?: unknown }[];
  rows?: TableRow[];
  firstRowAsHeader?: boolean;
  facts?: { title: string; value: string }[];
  actions?: CardAction[];
  url?: string;
  altText?: string;
  [key: string]: unknown;
}

export interface TableRow {
  type: 'TableRow';
  cells: { type: 'TableCell'; items: CardElement[] }[];
  [key: string]: unknown;
}

export interface AdaptiveCard {
  $schema?: string;
  type: 'AdaptiveCard';
  version: string;
  body: CardElement[];
  actions?: CardAction[];
  [key: string]: unknown;
}
