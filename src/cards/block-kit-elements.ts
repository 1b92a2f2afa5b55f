import type { CardElement } from './adaptive-card';
import { actionBlocks } from './block-kit-actions';
import { tableBlocks } from './block-kit-table';
import { item, type Tagged } from './block-kit-tagged';
import { isTextElement, readText, tonePrefix, type CardText } from './card-text';
import { joined, plain, styled } from './slack-text';
import { SLACK_LIMITS, type SlackBlock, type TextObject } from './slack-types';

export function translateElements(elements: CardElement[]): Tagged[] {
  return elements.flatMap(translateElement);
}

function translateElement(el: CardElement): Tagged[] {
  if (isTextElement(el)) return textBlock(readText(el));
  switch (el.type) {
    case 'Container': return container(el.items ?? []);
    case 'ColumnSet': return columnSet((el.columns ?? []) as CardElement[]);
    case 'Column': return container(el.items ?? []);
    case 'Table': return tableBlocks(el);
    case 'FactSet': return fieldSections((el.facts ?? []).flatMap((f) => [
      styled(f.title, { bold: true }, SLACK_LIMITS.fieldText), plain(f.value, SLACK_LIMITS.fieldText)]));
    case 'Image': return image(el);
    case 'ActionSet': return oneItem(actionBlocks(el.actions ?? []));
    default: throw new Error(`Block Kit translator does not support ${el.type}`);
  }
}

/** A container of plain text (a digest entry) is one list item in one block; other containers just nest. */
function container(items: CardElement[]): Tagged[] {
  const texts = items.every(isTextElement) ? items.map(readText).filter((t) => t.text.trim() !== '') : [];
  if (texts.length < 2 || texts.some((t) => t.heading)) return translateElements(items);
  const parts = texts.map((t) => ({ ...t, prefix: tonePrefix(t.color) }));
  if (texts.every((t) => t.subtle)) return [item({ type: 'context', elements: [joined(parts, SLACK_LIMITS.contextText)] })];
  return [item({ type: 'section', text: joined(parts, SLACK_LIMITS.sectionText) })];
}

function oneItem(blocks: SlackBlock[]): Tagged[] {
  return blocks.map((block, i) => (i === 0 ? item(block) : { block, units: 0, starts: false }));
}

function textBlock(t: CardText): Tagged[] {
  if (t.text.trim() === '') return [];
  const prefix = tonePrefix(t.color);
  if (t.heading) return [item({ type: 'header', text: plain(prefix + t.text, SLACK_LIMITS.headerText) })];
  if (t.subtle) return [item({ type: 'context', elements: [styled(t.text, t, SLACK_LIMITS.contextText, prefix)] })];
  return [item({ type: 'section', text: styled(t.text, t, SLACK_LIMITS.sectionText, prefix) })];
}

/** Columns holding only text become section fields (a fact row: bold label | value). */
function columnSet(columns: CardElement[]): Tagged[] {
  const textOnly = columns.length > 0 && columns.length <= SLACK_LIMITS.fields
    && columns.every((c) => (c.items ?? []).length > 0 && (c.items ?? []).every(isTextElement));
  if (!textOnly) return oneItem(columns.flatMap((c) => translateElements(c.items ?? [])).map((t) => t.block));
  return fieldSections(columns.map((c) => columnField((c.items ?? []).map(readText))));
}

function columnField(texts: CardText[]): TextObject {
  return joined(texts.map((t) => ({ ...t, prefix: tonePrefix(t.color) })), SLACK_LIMITS.fieldText);
}

function fieldSections(fields: TextObject[]): Tagged[] {
  const out: Tagged[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    out.push(item({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.fields) }));
  }
  return out;
}

function image(el: CardElement): Tagged[] {
  const url = String(el.url ?? '');
  const alt = String(el.altText ?? '') || 'image';
  if (url === '' || url.length > SLACK_LIMITS.imageUrl) {
    return textBlock({ text: alt, heading: false, bold: false, code: false, subtle: true });
  }
  return [item({ type: 'image', image_url: url, alt_text: alt.slice(0, SLACK_LIMITS.altText) })];
}
