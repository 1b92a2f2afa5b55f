import type { SlackBlock } from './slack-types';

/**
 * A block with bookkeeping for truncation: `starts` marks the first block of an item (truncation only
 * cuts between items) and `units` says how many items it stands for (a table section packs many rows).
 */
export interface Tagged { block: SlackBlock; units: number; starts: boolean }

export function item(block: SlackBlock, units = 1): Tagged {
  return { block, units, starts: true };
}
