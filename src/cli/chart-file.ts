/**
 * The CLI's way of showing a card's picture: the PNG written to `<data folder>/charts/` (the
 * system's temporary folder when that cannot be written) and its path printed under the card.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CardImage } from '../core/cards/views';

export interface SavedImage { line: string; path?: string }

export function saveCardImage(image: CardImage, dataDir: string, now: Date): SavedImage {
  if (!image.png || image.missing) return { line: `Chart missing: ${image.missing ?? 'it was not drawn.'}` };
  const file = `${image.name}-${now.toISOString().replace(/[:.]/g, '-')}.png`;
  for (const dir of [join(dataDir, 'charts'), join(tmpdir(), 'mlops-bot-charts')]) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = resolve(dir, file);
      writeFileSync(path, image.png);
      return { line: `Chart: ${path}`, path };
    } catch {
      // the next folder
    }
  }
  return { line: 'Chart missing: it could not be written to the data folder or the temporary folder.' };
}

/** The outcome as JSON with the picture as its path instead of its bytes. */
export function jsonWithImagePath(outcome: { reply: { image?: CardImage } }, saved: SavedImage | undefined): unknown {
  const image = outcome.reply.image;
  if (!image) return outcome;
  const { png: _bytes, chart: _spec, ...rest } = image;
  return { ...outcome, reply: { ...outcome.reply, image: { ...rest, ...(saved?.path ? { path: saved.path } : {}) } } };
}
