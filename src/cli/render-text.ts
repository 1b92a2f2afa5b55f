/**
 * Renders an expanded Adaptive Card as plain terminal text for the local CLI: headings, facts,
 * aligned tables, and buttons shown as the command that does the same thing.
 */
type El = Record<string, unknown>;

const arr = (v: unknown): El[] => (Array.isArray(v) ? (v as El[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** `width`: the terminal's, to fit tables into; without it (output piped to a file or a script) rows stay on one line. */
export function renderCardText(card: El, opts: { width?: number } = {}): string {
  const lines = [...renderItems(arr(card.body), opts.width), ...renderActions(arr(card.actions))];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd();
}

function renderItems(items: El[], width: number | undefined): string[] {
  return items.flatMap((el) => renderElement(el, width));
}

function renderElement(el: El, width: number | undefined): string[] {
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
      return renderItems(arr(el.items), width);
    case 'ColumnSet':
      return [arr(el.columns).map((c) => renderItems(arr(c.items), undefined).filter(Boolean).join(' ')).join('  ')];
    case 'Table':
      return renderTable(el, width);
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

/** Narrowest a column is made to fit a terminal; cells then wrap at spaces instead of running off the line. */
const MIN_COLUMN = 12;

function renderTable(el: El, width: number | undefined): string[] {
  const rows = arr(el.rows).map((r) => arr(r.cells).map((c) => renderItems(arr(c.items), undefined).join(' ').trim()));
  if (rows.length === 0) return [];
  const natural = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const widths = width === undefined ? natural : fitWidths(natural, rows, width);
  const fmt = (r: string[]): string[] => {
    const cells = widths.map((w, i) => wrap(r[i] ?? '', w));
    const height = Math.max(...cells.map((c) => c.length));
    return Array.from({ length: height }, (_, line) => '  ' + cells.map((c, i) => (c[line] ?? '').padEnd(widths[i])).join('  ').trimEnd());
  };
  const header = el.firstRowAsHeader === false ? [] : [...fmt(rows[0]), '  ' + widths.map((w) => '-'.repeat(w)).join('  ')];
  return [...header, ...rows.slice(header.length ? 1 : 0).flatMap(fmt)];
}

/**
 * Fits the table (2 spaces of indent and between columns) into `max`: columns give up width in
 * proportion to their size, never below their longest word (so words are not cut) or MIN_COLUMN.
 */
function fitWidths(natural: number[], rows: string[][], max: number): number[] {
  const avail = max - 2 - 2 * (natural.length - 1);
  const sum = natural.reduce((a, w) => a + w, 0);
  if (sum <= avail) return natural;
  const floor = natural.map((w, i) => Math.min(w, Math.max(MIN_COLUMN, ...rows.map((r) => Math.max(0, ...(r[i] ?? '').split(' ').map((x) => x.length))))));
  const widths = natural.map((w, i) => Math.max(floor[i], Math.floor((w * avail) / sum)));
  for (let over = widths.reduce((a, w) => a + w, 0) - avail; over > 0; over--) {
    const candidates = widths.map((w, i) => w - floor[i]);
    const i = candidates.indexOf(Math.max(...candidates));
    if (candidates[i] <= 0) break;
    widths[i]--;
  }
  return widths;
}

/** Lines of at most `width` characters, broken at spaces (a longer word is cut). */
function wrap(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    for (let w = word; w.length > 0;) {
      const room = line === '' ? width : width - line.length - 1;
      if (w.length <= room) { line = line === '' ? w : `${line} ${w}`; w = ''; continue; }
      if (line !== '') { lines.push(line); line = ''; continue; }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
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
