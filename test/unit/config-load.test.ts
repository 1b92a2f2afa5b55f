import { ConfigError, formatDuration, loadConfig, parseDuration, parseRuntimeEnv } from '../../src/config';

const VALID = `
devops: { project: p }
source: dev
environments:
  - name: dev
    workspace: { subscriptionId: "11111111-2222-3333-4444-555555555555", resourceGroup: rg, name: ws }
`;

describe('loadConfig', () => {
  it('uses the built-in demo when MLOPS_CONFIG is absent, without reading any file', async () => {
    const read = jest.fn();
    const loaded = await loadConfig(parseRuntimeEnv({}), read);
    expect(loaded.mode).toBe('demo');
    expect(loaded.settings.environments.map((e) => e.name)).toEqual(['dev', 'preprod', 'prod']);
    expect(read).not.toHaveBeenCalled();
  });

  it('parses the file named by MLOPS_CONFIG', async () => {
    const read = jest.fn(async () => VALID);
    const loaded = await loadConfig(parseRuntimeEnv({ MLOPS_CONFIG: '/cfg/bot.yaml' }), read);
    expect(read).toHaveBeenCalledWith('/cfg/bot.yaml');
    expect(loaded).toMatchObject({ mode: 'configured', settings: { source: 'dev', devops: { project: 'p' } } });
  });

  it('explains a missing file and names the file in validation errors', async () => {
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    await expect(loadConfig(parseRuntimeEnv({ MLOPS_CONFIG: '/nope.yaml' }), () => { throw missing; }))
      .rejects.toThrow('MLOPS_CONFIG: points to /nope.yaml but the file does not exist.');
    const bad = loadConfig(parseRuntimeEnv({ MLOPS_CONFIG: '/cfg/bad.yaml' }), () => VALID.replace('source: dev', 'source: prod'));
    await expect(bad).rejects.toBeInstanceOf(ConfigError);
    await expect(bad).rejects.toThrow(/^Invalid configuration in \/cfg\/bad\.yaml \(1 problem\):\n {2}- source: "prod"/);
  });
});

describe('durations', () => {
  it.each([
    ['72h', 72 * 3600_000], ['30m', 30 * 60_000], ['7d', 7 * 86_400_000], ['1h30m', 90 * 60_000],
    ['2w', 14 * 86_400_000], ['45s', 45_000], ['0', 0], [' 1H ', 3600_000],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '24', 'h', '1.5h', '-1h', '1 h', '3x', '1h-30m'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });

  it('formats back', () => {
    expect(formatDuration(90 * 60_000)).toBe('1h30m');
    expect(formatDuration(3 * 86_400_000)).toBe('3d');
    expect(formatDuration(0)).toBe('0');
  });
});
