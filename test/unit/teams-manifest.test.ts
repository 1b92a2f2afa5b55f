/** The Teams app manifest validates offline against its bundled schema, and the package script zips it. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { buildPackage, crc32, fillManifest, ICONS, packageValues, pngSize } from '../../scripts/teams-package';

const DIR = join(__dirname, '../../manifest/teams');
const template = readFileSync(join(DIR, 'manifest.json'), 'utf8');
const values = { appId: '11111111-2222-3333-4444-555555555555', botId: '66666666-7777-8888-9999-000000000000', domain: 'mlops.contoso.com' };

/**
 * `@microsoft/app-manifest` pulls in an ES-module-only dependency that jest's CommonJS loader cannot
 * read, so the validator runs in a plain Node child (which loads it fine) on the same machine, offline.
 */
const VALIDATE = `
  const { AppManifestUtils } = require('@microsoft/app-manifest');
  let input = '';
  process.stdin.on('data', (c) => (input += c)).on('end', async () => {
    process.stdout.write(JSON.stringify(await AppManifestUtils.validateAgainstSchema(JSON.parse(input))));
  });`;
function validateAgainstSchema(manifest: unknown): string[] {
  const out = execFileSync(process.execPath, ['-e', VALIDATE], { input: JSON.stringify(manifest), cwd: join(__dirname, '../..'), encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

type Manifest = { manifestVersion: string; $schema: string; bots: { botId: string; scopes: string[]; commandLists: { commands: { title: string; description: string }[] }[] }[]; validDomains: string[] };

test('the filled manifest has no schema errors (v1.19, bundled schema, no network)', () => {
  const manifest = fillManifest(template, values) as unknown as Manifest;
  expect(manifest.$schema).toContain(`/v${manifest.manifestVersion}/`);
  expect(validateAgainstSchema(manifest)).toEqual([]);
  expect(manifest.bots[0]).toMatchObject({ botId: values.botId, scopes: ['personal', 'team', 'groupChat'] });
  expect(manifest.validDomains).toEqual(['mlops.contoso.com']);
});

test('the validator does catch a broken manifest (so the check above means something)', () => {
  const manifest = fillManifest(template, values) as unknown as Manifest;
  manifest.bots[0].scopes = ['everyone'];
  manifest.bots[0].commandLists[0].commands[0].title = 'x'.repeat(40);
  const errors = validateAgainstSchema(manifest);
  expect(errors.join('\n')).toMatch(/scopes\/0/);
  expect(errors.join('\n')).toMatch(/title/);
});

test('the command list names commands the bot has, within the v1.19 limits', () => {
  const { commands } = (fillManifest(template, values) as unknown as Manifest).bots[0].commandLists[0];
  expect(commands.length).toBeLessThanOrEqual(10);
  for (const c of commands) {
    expect(c.title.length).toBeLessThanOrEqual(32);
    expect(c.description.length).toBeLessThanOrEqual(128);
  }
  expect(commands.map((c) => c.title)).toEqual(expect.arrayContaining(['help', 'promote', 'approve', 'reject']));
});

test('ids come from arguments first, then the environment; bad values are refused with the fix', () => {
  expect(packageValues(['--bot-id', values.botId, '--domain', 'bot.example.org'], { BOT_DOMAIN: 'ignored.example.org' }))
    .toEqual({ botId: values.botId, appId: values.botId, domain: 'bot.example.org' });
  expect(packageValues([], { MicrosoftAppId: values.botId, TEAMS_APP_ID: values.appId, BOT_DOMAIN: 'x.example.org' }).appId).toBe(values.appId);
  expect(() => packageValues([], { MicrosoftAppId: 'not-a-guid', BOT_DOMAIN: 'https://x.example.org' })).toThrow(/bot id .* GUID.*domain/);
  expect(() => fillManifest('{"id":"{{NOPE}}"}', values)).toThrow(/unknown placeholder \{\{NOPE\}\}/);
});

test('the icons have the sizes Teams requires', () => {
  expect(pngSize(readFileSync(join(DIR, ICONS.color.file)))).toEqual({ width: 192, height: 192 });
  expect(pngSize(readFileSync(join(DIR, ICONS.outline.file)))).toEqual({ width: 32, height: 32 });
});

test('the package is a zip with manifest.json and both icons at its root', () => {
  const archive = buildPackage(DIR, values);
  const entries = readZip(archive);
  expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
  const manifest = JSON.parse(entries[0].data.toString('utf8')) as Manifest;
  expect(manifest.bots[0].botId).toBe(values.botId);
  expect(entries[1].data.equals(readFileSync(join(DIR, 'color.png')))).toBe(true);
});

/** Reads a zip through its central directory, checking each entry's CRC. */
function readZip(buf: Buffer): { name: string; data: Buffer }[] {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  const out: { name: string; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(buf.readUInt32LE(at)).toBe(0x02014b50);
    const crc = buf.readUInt32LE(at + 16);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = inflateRawSync(buf.subarray(dataAt, dataAt + size));
    expect(crc32(data)).toBe(crc);
    out.push({ name, data });
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return out;
}
