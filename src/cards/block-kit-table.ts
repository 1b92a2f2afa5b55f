import type { CardElement, TableRow } from './adaptive-card';
import { item, type Tagged } from './block-kit-tagged';
import { isTextElement, readText } from './card-text';
import { plain } from './slack-text';
import { SLACK_LIMITS } from './slack-types';
import { truncate } from './text-limits';

const CELL_SEPARATOR = '  ·  ';

/**
 * Slack messages have no table: the header row becomes a context line and body rows become lines,
 * packed into as few plain_text sections as the 3000-character limit allows (50 blocks go fast).
 */
export function tableBlocks(table: CardElement): Tagged[] {
  const rows = table.rows ?? [];
  const out: Tagged[] = [];
  const body = table.firstRowAsHeader ? rows.slice(1) : rows;
  if (table.firstRowAsHeader && rows.length > 0) {
    out.push(item({ type: 'context', elements: [plain(rowLine(rows[0]), SLACK_LIMITS.contextText)] }, 0));
  }
  let lines: string[] = [];
  let length = 0;
  const flush = (): void => {
    if (lines.length === 0) return;
    out.push(item({ type: 'section', text: plain(lines.join('\n'), SLACK_LIMITS.sectionText) }, lines.length));
    lines = [];
    length = 0;
  };
  for (const row of body) {
    const line = truncate(rowLine(row), SLACK_LIMITS.sectionText);
    if (length + line.length + 1 > SLACK_LIMITS.sectionText) flush();
    lines.push(line);
    length += line.length + 1;
  }
  flush();
  return out;
}

function rowLine(row: TableRow): string {
  return (row.cells ?? []).map((cell) => {
    const items = cell.items ?? [];
    if (!items.every(isTextElement)) throw new Error('Block Kit translator supports only text in table cells');
    return items.map((i) => readText(i).text.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' — ') || '—';
  }).join(CELL_SEPARATOR);
}
