/**
 * Renders an expanded Adaptive Card as plain terminal text for the local CLI: headings, facts,
 * aligned tables, and buttons shown as the command that does the same thing.
 */
type El = Record<string, unknown>;

const arr = (v: unknown): El[] => (Array.isArray(v) ? (v as El[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export function renderCardText(card: El): string {
  const lines = [...renderItems(arr(card.body)), ...renderActions(arr(card.actions))];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

function renderItems(items: El[]): string[] {
  return items.flatMap((el) => renderElement(el));
}

function renderElement(el: El): string[] {
  switch (el.type) {
    case 'TextBlock':
      return [isHeading(el) ? `\n${str(el.text)}` : str(el.text)];
    case 'RichTextBlock': {
      const inlines = arr(el.inlines);
      const text = inlines.map((i) => (typeof i === 'string' ? i : str(i.text))).join('');
      return [inlines.some((i) => i.size === 'Large' || i.size === 'ExtraLarge') ? `\n${text}` : text];
    }
    case 'FactSet': {
      const facts = arr(el.facts).map((f) => [str(f.title), str(f.value)] as const);
      const w = Math.max(0, ...facts.map(([t]) => t.length));
      return facts.map(([t, v]) => `  ${t.padEnd(w)}  ${v}`);
    }
    case 'Container':
      return renderItems(arr(el.items));
    case 'ColumnSet':
      return [arr(el.columns).map((c) => renderItems(arr(c.items)).filter(Boolean).join(' ')).join('  ')];
    case 'Table':
      return renderTable(el);
    case 'ActionSet':
      return renderActions(arr(el.actions));
    case 'Image':
      return [];
    default:
      return [];
  }
}

function isHeading(el: El): boolean {
  return el.size === 'Large' || el.size === 'ExtraLarge';
}

function renderTable(el: El): string[] {
  const rows = arr(el.rows).map((r) => arr(r.cells).map((c) => renderItems(arr(c.items)).join(' ').trim()));
  if (rows.length === 0) return [];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]): string => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const header = el.firstRowAsHeader === false ? [] : [fmt(rows[0]), '  ' + widths.map((w) => '-'.repeat(w)).join('  ')];
  return [...header, ...rows.slice(header.length ? 1 : 0).map(fmt)];
}

function renderActions(actions: El[]): string[] {
  if (actions.length === 0) return [];
  return ['', ...actions.map((a) => {
    if (a.type === 'Action.OpenUrl') return `  [${str(a.title)}] ${str(a.url)}`;
    const data = (a.data ?? {}) as Record<string, unknown>;
    const verb = str(a.verb) || str(data.verb);
    const id = str(data.requestId);
    return `  [${str(a.title)}]${verb ? `  → ${verb}${id ? ` ${id}` : ''}` : ''}`;
  })];
}

/** A card in one line: its first two lines of text (title and state). */
export function headline(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' — ');
}
