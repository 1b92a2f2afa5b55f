import type { Tagged } from './block-kit-tagged';
import { plain } from './slack-text';
import { SLACK_LIMITS, type SlackBlock, type TextObject } from './slack-types';

/** Characters of visible text in a block: every `text` string inside it. */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + blockTextLength(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) n += k === 'text' && typeof v === 'string' ? v.length : blockTextLength(v);
  return n;
}

/** Fact rows arrive as two-field sections; packing them up to 10 fields keeps the label | value grid. */
export function mergeFieldSections(tagged: Tagged[]): Tagged[] {
  const out: Tagged[] = [];
  for (const t of tagged) {
    const prev = out[out.length - 1];
    const a = prev ? fieldsOnly(prev.block) : undefined;
    const b = fieldsOnly(t.block);
    if (a && b && a.length % 2 === 0 && b.length % 2 === 0 && a.length + b.length <= SLACK_LIMITS.fields) {
      out[out.length - 1] = { block: { type: 'section', fields: [...a, ...b] }, units: prev.units + t.units, starts: true };
    } else {
      out.push(t);
    }
  }
  return out;
}

function fieldsOnly(block: SlackBlock): TextObject[] | undefined {
  return block.type === 'section' && !block.text && block.fields ? block.fields : undefined;
}

/**
 * Keeps within 50 blocks and the cumulative text cap. Buttons are always kept; content is cut at an
 * item boundary and replaced by a context line saying how many items were left out.
 */
export function fitBlocks(tagged: Tagged[]): SlackBlock[] {
  const lengths = tagged.map((t) => blockTextLength(t.block));
  const total = lengths.reduce((a, b) => a + b, 0);
  if (tagged.length <= SLACK_LIMITS.blocks && total <= SLACK_LIMITS.totalText) return tagged.map((t) => t.block);
  const isKept = tagged.map((t) => t.block.type === 'actions');
  const pinned = isKept.filter(Boolean).length;
  let room = SLACK_LIMITS.blocks - pinned - 1;
  let textRoom = SLACK_LIMITS.totalText - 100 - lengths.reduce((n, l, i) => (isKept[i] ? n + l : n), 0);
  if (room < 0) throw new Error('too many button blocks for one Slack message');
  const content = tagged.map((_, i) => i).filter((i) => !isKept[i]);
  let cut = content.length;
  for (let k = 0; k < content.length; k += 1) {
    const i = content[k];
    if (room < 1 || lengths[i] > textRoom) { cut = k; break; }
    room -= 1;
    textRoom -= lengths[i];
  }
  while (cut > 0 && cut < content.length && !tagged[content[cut]].starts) cut -= 1;
  content.slice(0, cut).forEach((i) => { isKept[i] = true; });
  const dropped = content.slice(cut);
  const omitted = dropped.reduce((n, i) => n + tagged[i].units, 0);
  const blocks: SlackBlock[] = [];
  const lastKept = cut > 0 ? content[cut - 1] : -1;
  if (lastKept < 0) blocks.push(note(omitted));
  tagged.forEach((t, i) => {
    if (isKept[i]) blocks.push(t.block);
    if (i === lastKept) blocks.push(note(omitted));
  });
  return blocks;
}

function note(omitted: number): SlackBlock {
  const text = omitted > 0 ? `${omitted} more not shown.` : 'Some content was not shown.';
  return { type: 'context', elements: [plain(text, SLACK_LIMITS.contextText)] };
}
