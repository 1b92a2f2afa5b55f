/**
 * Draws the app icons (run once: `npx tsx manifest/teams/make-icons.ts`): color.png 192x192 (a white
 * upward arrow, "promote", on the accent colour) and outline.png 32x32 (the same arrow, white on
 * transparent, as Teams requires for outline icons).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../scripts/teams-package';

type Pixel = [number, number, number, number];

/** True inside the arrow, in unit coordinates (0..1). */
function arrow(x: number, y: number): boolean {
  const head = y >= 0.18 && y <= 0.5 && Math.abs(x - 0.5) <= (y - 0.18) * 0.9;
  const shaft = y > 0.48 && y <= 0.82 && Math.abs(x - 0.5) <= 0.1;
  return head || shaft;
}

export function drawIcon(size: number, background: Pixel | null): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let x = 0; x < size; x++) {
      const inside = arrow((x + 0.5) / size, (y + 0.5) / size);
      const px: Pixel = inside ? [255, 255, 255, 255] : background ?? [0, 0, 0, 0];
      row.set(px, 1 + x * 4);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

if (require.main === module) {
  writeFileSync(join(__dirname, 'color.png'), drawIcon(192, [0x0f, 0x6c, 0xbd, 255]));
  writeFileSync(join(__dirname, 'outline.png'), drawIcon(32, null));
}
