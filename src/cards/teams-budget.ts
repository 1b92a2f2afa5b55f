import type { AdaptiveCard, CardElement } from './adaptive-card';

/** Teams card budget from the platform reference: the smallest limit a card can meet (28 KB). */
export const TEAMS_CARD_BUDGET_BYTES = 28 * 1024;

export function cardBytes(card: unknown): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

interface TrimmableList {
  entries: unknown[];
  /** Leading entries that must stay (a table's header row). */
  keep: number;
  /** The note goes right after the list's element in its parent, so it is never trimmed itself. */
  parent: CardElement[];
  element: CardElement;
  note?: CardElement;
  omitted: number;
}

/**
 * Returns a copy of the card that fits the budget by dropping trailing rows of its biggest lists
 * (Table rows, Container items) and saying how many were dropped. Throws if it cannot fit.
 */
export function fitCardToBudget(card: AdaptiveCard, budget = TEAMS_CARD_BUDGET_BYTES): AdaptiveCard {
  if (cardBytes(card) <= budget) return card;
  const copy = structuredClone(card);
  const lists = findLists(copy.body);
  for (let size = cardBytes(copy); size > budget; size = cardBytes(copy)) {
    const list = biggest(lists);
    if (!list) throw new Error(`card is ${size} bytes, over the ${budget}-byte budget, and has no list left to trim`);
    const removable = list.entries.length - list.keep;
    const perEntry = cardBytes(list.entries.slice(list.keep)) / removable;
    const count = Math.min(removable, Math.max(1, Math.ceil((size - budget) / perEntry)));
    list.entries.splice(list.entries.length - count, count);
    list.omitted += count;
    if (!list.note) {
      list.note = omittedNote(0);
      list.parent.splice(list.parent.indexOf(list.element) + 1, 0, list.note);
    }
    list.note.text = `${list.omitted} more not shown.`;
  }
  return copy;
}

function omittedNote(count: number): CardElement {
  return { type: 'TextBlock', text: `${count} more not shown.`, isSubtle: true, wrap: true, spacing: 'Small' };
}

function biggest(lists: TrimmableList[]): TrimmableList | undefined {
  let best: TrimmableList | undefined;
  let bestSize = 0;
  for (const list of lists) {
    if (list.entries.length - list.keep < 1) continue;
    const size = cardBytes(list.entries);
    if (size > bestSize) { best = list; bestSize = size; }
  }
  return best;
}

function findLists(elements: CardElement[]): TrimmableList[] {
  const found: TrimmableList[] = [];
  const visit = (parent: CardElement[]): void => {
    for (const el of parent) {
      if (el.type === 'Table' && Array.isArray(el.rows)) {
        found.push({ entries: el.rows, keep: el.firstRowAsHeader ? 1 : 0, parent, element: el, omitted: 0 });
        for (const row of el.rows) for (const cell of row.cells ?? []) visit(cell.items ?? []);
      } else if (el.type === 'Container' && Array.isArray(el.items)) {
        const items = el.items;
        if (items.length > 1) found.push({ entries: items, keep: 0, parent, element: el, omitted: 0 });
        visit(items);
      } else if (el.type === 'ColumnSet' && Array.isArray(el.columns)) {
        for (const col of el.columns as CardElement[]) visit(col.items ?? []);
      }
    }
  };
  visit(elements);
  return found;
}
