import { allCommands } from '../../src/core/commands/all';
import { parse } from '../../src/core/commands/parse';
import { CommandRegistry } from '../../src/core/commands/registry';
import { BotError } from '../../src/core/errors';

/** mulberry32: small, seeded, reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const registry = new CommandRegistry(allCommands);
const words = [
  ...registry.names().flatMap((n) => n.split(' ')),
  ...allCommands.flatMap((c) => c.flags.map((f) => `--${f.name}`)),
  'taxi-model', 'prod', 'dev', '3', 'v5', '--', '-', '-h', '--help', '--=', '--x=', '""', "''", '"', "'", '\u201c', '\u201d', '\u2018', '\u2019',
  '\\', '\\"', '=', '/mlops', '@MLOps', '<at>MLOps</at>', '—dry-run', '–', 'é', '模型', '🚀', '\u200b', '\u00a0', '', ' ', '\t', '\n',
  'promte', 'schedule crate', '--every', 'DAY', 'failed-runs', 'a"b', "it's", '"unterminated', 'x\\', '\ud800',
];

function randomInput(next: () => number): string {
  const n = Math.floor(next() * 9);
  let out = '';
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.75) out += words[Math.floor(next() * words.length)];
    else out += String.fromCodePoint(Math.floor(next() * 0x2fff));
    out += next() < 0.8 ? ' ' : '';
  }
  return out;
}

describe('parse fuzz', () => {
  it('throws nothing but usage / unknown_command BotErrors over 12,000 random inputs', () => {
    const next = prng(20261102);
    const outcomes = { parsed: 0, usage: 0, unknown_command: 0 };
    for (let i = 0; i < 12_000; i++) {
      const input = randomInput(next);
      try {
        const { spec, args } = parse(input, registry);
        expect(registry.get(spec.name)).toBe(spec);
        expect(Array.isArray(args.rest)).toBe(true);
        outcomes.parsed++;
      } catch (e) {
        if (!(e instanceof BotError) || (e.code !== 'usage' && e.code !== 'unknown_command')) {
          throw new Error(`input ${JSON.stringify(input)} threw ${String(e)}`);
        }
        expect(e.message.length).toBeGreaterThan(0);
        outcomes[e.code]++;
      }
    }
    // The generator must exercise every path, or the test proves little.
    expect(outcomes.parsed).toBeGreaterThan(500);
    expect(outcomes.usage).toBeGreaterThan(500);
    expect(outcomes.unknown_command).toBeGreaterThan(500);
  });
});
