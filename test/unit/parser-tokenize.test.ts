import { stripPrefix, tokenize } from '../../src/core/commands/tokenize';
import { BotError } from '../../src/core/errors';

const values = (text: string): string[] => tokenize(text).map((t) => t.value);

describe('stripPrefix', () => {
  it.each([
    ['/mlops models', ' models'],
    ['/MLOPS models', ' models'],
    ['@MLOps models', ' models'],
    ['@mlops bot models', ' models'],
    ['<at>MLOps</at> models', ' models'],
    ['<at>MLOps</at> /mlops models', ' models'],
    ['  /mlops', ''],
  ])('%j → %j', (input, out) => expect(stripPrefix(input)).toBe(out));

  it('leaves words that only start like the prefix', () => {
    expect(stripPrefix('/mlopsx models')).toBe('/mlopsx models');
    expect(stripPrefix('models /mlops')).toBe('models /mlops');
  });
});

describe('tokenize', () => {
  it('splits on any whitespace, including non-breaking and zero-width spaces', () => {
    expect(values('  promote\ttaxi-model\u00a0prod\u200b--dry-run \n')).toEqual(['promote', 'taxi-model', 'prod', '--dry-run']);
  });

  it('honours double, single and smart quotes', () => {
    expect(values('promote m prod --reason "better rmse"')).toEqual(['promote', 'm', 'prod', '--reason', 'better rmse']);
    expect(values("reject PR-1 'not now'")).toEqual(['reject', 'PR-1', 'not now']);
    expect(values('reject PR-1 \u201cnot now\u201d')).toEqual(['reject', 'PR-1', 'not now']);
    expect(values('reject PR-1 \u2018not now\u2019')).toEqual(['reject', 'PR-1', 'not now']);
  });

  it('keeps apostrophes inside words and the other quote kind inside quotes', () => {
    expect(values("approve PR-1 it's fine")).toEqual(['approve', 'PR-1', "it's", 'fine']);
    expect(values('approve PR-1 it\u2019s fine')).toEqual(['approve', 'PR-1', 'it\u2019s', 'fine']);
    expect(values(`x "it's" 'say "hi"'`)).toEqual(['x', "it's", 'say "hi"']);
  });

  it('reads backslash escapes inside quotes only', () => {
    expect(values('x "a \\"quoted\\" word" "back\\\\slash"')).toEqual(['x', 'a "quoted" word', 'back\\slash']);
    expect(values('x C:\\data\\in "C:\\data"')).toEqual(['x', 'C:\\data\\in', 'C:\\data']);
  });

  it('joins --flag= with a quoted value and marks where quoting starts', () => {
    const [t] = tokenize('--reason="a = b"');
    expect(t).toEqual({ value: '--reason=a = b', literal: '--reason=', quoted: true });
  });

  it('keeps empty quoted words', () => {
    expect(values('x "" y')).toEqual(['x', '', 'y']);
  });

  it('reads smart-punctuation dashes as a flag', () => {
    expect(values('promote m prod \u2014dry-run \u2013reason x')).toEqual(['promote', 'm', 'prod', '--dry-run', '--reason', 'x']);
  });

  it('refuses an unterminated quote with a usage error', () => {
    expect(() => tokenize('promote m prod --reason "oops')).toThrow(BotError);
    try {
      tokenize("x 'half");
    } catch (e) {
      expect((e as BotError).code).toBe('usage');
      expect((e as BotError).message).toContain("'half");
    }
  });
});
