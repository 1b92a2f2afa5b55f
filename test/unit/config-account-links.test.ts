/** The variables of account linking: parsed once, every problem named by its variable, no key echoed. */
import { ConfigError, parseRuntimeEnv } from '../../src/config';

const KEY = Buffer.alloc(32, 5).toString('base64');
const OLD = Buffer.alloc(32, 6).toString('hex');

function issuesOf(env: Record<string, string>): string[] {
  try {
    parseRuntimeEnv(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).not.toContain(KEY);
    return (e as ConfigError).issues.map((i) => `${i.path}: ${i.problem}`);
  }
  throw new Error('expected a ConfigError');
}

describe('account linking variables', () => {
  it('needs nothing in the demo and is off with a config file that sets none', () => {
    expect(parseRuntimeEnv({}).accountLinks).toEqual({ publicUrl: undefined, clientId: undefined, clientSecret: undefined, tokenKeys: undefined });
    expect(parseRuntimeEnv({ MLOPS_CONFIG: 'x.yaml' }).accountLinks.tokenKeys).toBeUndefined();
  });

  it('reads a key ring: ids given or derived, the first one seals', () => {
    const links = parseRuntimeEnv({
      MLOPS_CONFIG: 'x.yaml', MLOPS_PUBLIC_URL: 'https://bot.contoso.com/', MLOPS_OAUTH_CLIENT_ID: '66666666-7777-4888-8999-000000000000',
      MLOPS_OAUTH_CLIENT_SECRET: 's3cret', MLOPS_TOKEN_KEY: `k2027:${KEY}, ${OLD}`,
    }).accountLinks;
    expect(links.publicUrl).toBe('https://bot.contoso.com');
    expect(links.tokenKeys?.map((k) => k.id)).toEqual(['k2027', expect.stringMatching(/^k[0-9a-f]{8}$/)]);
    expect(Buffer.from(links.tokenKeys?.[1].key.reveal() ?? '', 'base64').toString('hex')).toBe(OLD);
    expect(String(links.clientSecret)).toBe('[redacted]');
  });

  it('names each problem by its variable', () => {
    expect(issuesOf({ MLOPS_TOKEN_KEY: 'too-short' })).toEqual([expect.stringMatching(/^MLOPS_TOKEN_KEY: the key is not 32 bytes/)]);
    expect(issuesOf({ MLOPS_TOKEN_KEY: `a:${KEY},a:${OLD}` })).toEqual(['MLOPS_TOKEN_KEY: names one key id twice.']);
    expect(issuesOf({ MLOPS_OAUTH_CLIENT_ID: 'bot' })).toEqual(['MLOPS_OAUTH_CLIENT_ID: "bot" is not a GUID.']);
    expect(issuesOf({ MLOPS_OAUTH_CLIENT_SECRET: 's' })).toEqual([expect.stringMatching(/^MLOPS_OAUTH_CLIENT_ID: is missing while MLOPS_OAUTH_CLIENT_SECRET is set/)]);
    expect(issuesOf({ MLOPS_PUBLIC_URL: 'http://bot.contoso.com' })).toEqual([expect.stringMatching(/^MLOPS_PUBLIC_URL: .* is not https/)]);
    expect(issuesOf({ MLOPS_CONFIG: 'x.yaml', MLOPS_TOKEN_KEY: KEY })).toEqual([
      expect.stringMatching(/^MLOPS_PUBLIC_URL: is missing while MLOPS_TOKEN_KEY is set/),
      expect.stringMatching(/^MLOPS_OAUTH_CLIENT_ID: is missing while MLOPS_TOKEN_KEY is set/),
    ]);
  });

  it('takes MLOPS_PUBLIC_URL alone with a config (chart links use it), linking then off', () => {
    const c = parseRuntimeEnv({ MLOPS_CONFIG: 'x.yaml', MLOPS_PUBLIC_URL: 'https://bot.contoso.com' });
    expect(c.accountLinks).toMatchObject({ publicUrl: 'https://bot.contoso.com', clientId: undefined, tokenKeys: undefined });
  });

  it('lets http through for a loopback public URL (local testing)', () => {
    expect(parseRuntimeEnv({ MLOPS_PUBLIC_URL: 'http://127.0.0.1:3978' }).accountLinks.publicUrl).toBe('http://127.0.0.1:3978');
  });
});
