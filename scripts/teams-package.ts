/**
 * Builds the Teams app package: manifest/teams/manifest.json with its ids filled in, plus the two
 * icons, zipped at the root of the archive as Teams expects.
 *
 *   npx tsx scripts/teams-package.ts --bot-id <MicrosoftAppId> --domain bot.contoso.com [--app-id <guid>] [--out file.zip]
 *
 * Values not given as arguments come from MicrosoftAppId, TEAMS_APP_ID and BOT_DOMAIN.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deflateRawSync } from 'node:zlib';

export interface PackageValues { appId: string; botId: string; domain: string }

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?!https?:)[a-z0-9.-]+(:\d+)?$/i;
export const ICONS = { color: { file: 'color.png', size: 192 }, outline: { file: 'outline.png', size: 32 } } as const;

export function packageValues(args: string[], env: Record<string, string | undefined>): PackageValues {
  const arg = (name: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : undefined; };
  const botId = arg('bot-id') ?? env.MicrosoftAppId ?? '';
  const values = { botId, appId: arg('app-id') ?? env.TEAMS_APP_ID ?? botId, domain: arg('domain') ?? env.BOT_DOMAIN ?? '' };
  const problems = [
    GUID.test(values.botId) ? '' : 'the bot id (--bot-id or MicrosoftAppId) must be the Entra app id (a GUID)',
    GUID.test(values.appId) ? '' : 'the app id (--app-id or TEAMS_APP_ID) must be a GUID',
    DOMAIN.test(values.domain) ? '' : 'the domain (--domain or BOT_DOMAIN) must be a host name without https://, e.g. mlops.contoso.com',
  ].filter(Boolean);
  if (problems.length) throw new Error(`Cannot build the Teams package: ${problems.join('; ')}.`);
  return values;
}

export function fillManifest(template: string, v: PackageValues): Record<string, unknown> {
  const text = template.replace(/\{\{(APP_ID|BOT_ID|BOT_DOMAIN)\}\}/g, (_m, key: string) => (key === 'APP_ID' ? v.appId : key === 'BOT_ID' ? v.botId : v.domain));
  const left = /\{\{[A-Z_]+\}\}/.exec(text);
  if (left) throw new Error(`The manifest template has an unknown placeholder ${left[0]}.`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(0) !== 0x89504e47 || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG file');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A minimal zip (deflate, no directories, fixed 1980-01-01 timestamps so builds are reproducible). */
export function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBuf = Buffer.from(name, 'utf8');
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x0800, 6); local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10); local.writeUInt16LE(0x21, 12); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0); dir.writeUInt16LE(20, 4); dir.writeUInt16LE(20, 6); dir.writeUInt16LE(0x0800, 8); dir.writeUInt16LE(8, 10);
    dir.writeUInt16LE(0, 12); dir.writeUInt16LE(0x21, 14); dir.writeUInt32LE(crc, 16); dir.writeUInt32LE(packed.length, 20);
    dir.writeUInt32LE(data.length, 24); dir.writeUInt16LE(nameBuf.length, 28); dir.writeUInt32LE(offset, 42);
    parts.push(local, nameBuf, packed);
    central.push(dir, nameBuf);
    offset += local.length + nameBuf.length + packed.length;
  }
  const centralBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralBuf.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, centralBuf, end]);
}

export function buildPackage(manifestDir: string, values: PackageValues): Buffer {
  const manifest = fillManifest(readFileSync(join(manifestDir, 'manifest.json'), 'utf8'), values);
  const icons = Object.values(ICONS).map(({ file, size }) => {
    const data = readFileSync(join(manifestDir, file));
    const { width, height } = pngSize(data);
    if (width !== size || height !== size) throw new Error(`${file} must be ${size}x${size} pixels, it is ${width}x${height}.`);
    return { name: file, data };
  });
  return zip([{ name: 'manifest.json', data: Buffer.from(JSON.stringify(manifest, null, 2)) }, ...icons]);
}

function main(args: string[], env: Record<string, string | undefined>): void {
  const values = packageValues(args, env);
  const i = args.indexOf('--out');
  const out = i >= 0 ? args[i + 1] : join('build', 'mlops-teams-app.zip');
  const archive = buildPackage(join(__dirname, '..', 'manifest', 'teams'), values);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, archive);
  process.stdout.write(`Teams app package written to ${out} (${archive.length} bytes). Upload it in Teams: Apps → Manage your apps → Upload an app.\n`);
}

if (require.main === module) {
  try {
    main(process.argv.slice(2), process.env);
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
