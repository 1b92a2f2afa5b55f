/**
 * `link` in a configured installation (MLOPS_CONFIG), started the way production starts it: the
 * server from its environment (MLOPS_PUBLIC_URL, MLOPS_OAUTH_CLIENT_ID, MLOPS_TOKEN_KEY, Entra at
 * AZURE_AUTHORITY_HOST / AZURE_TENANT_ID, here the emulator's), `link` typed in the CLI beside it,
 * the sign-in coming back to the server's `/auth/callback`, and the server telling the person.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runServer, type RunningBot } from '../../src/app/server';
import { runCli } from '../../src/cli/run';
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { quietLog, tempDir } from '../integration/emulator-client';
import { signInOnEmulator } from '../support/entra-sign-in';

jest.setTimeout(90_000);
const MEGAN = '00000000-0000-4000-8000-000000000021';

const CONFIG = `devops: { project: mlops-v2 }
source: dev
environments:
  - name: dev
    workspace: { subscriptionId: "00000000-0000-0000-0000-000000000001", resourceGroup: rg-mlopsv2-0001dev, name: mlw-mlopsv2-0001dev }
    channels: { audit: ["cli:audit"] }
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

let dir: ReturnType<typeof tempDir>;
let emu: RunningEmulator;
let bot: RunningBot;
let env: Record<string, string>;
const printed: string[] = [];

beforeAll(async () => {
  dir = tempDir();
  emu = await startEmulator({ dataDir: join(dir.dir, 'emulator'), log: quietLog, autoTick: false, jobEveryMs: 0 });
  const port = await freePort();
  writeFileSync(join(dir.dir, 'mlops.yaml'), CONFIG);
  env = {
    PORT: String(port), HOST: '127.0.0.1', MLOPS_CONFIG: join(dir.dir, 'mlops.yaml'), DATABASE_URL: `sqlite:${join(dir.dir, 'bot.db')}`, LOG_LEVEL: 'silent',
    AZURE_TENANT_ID: emu.tenantId, AZURE_AUTHORITY_HOST: emu.authorityHost, IDENTITY_ENDPOINT: emu.identityEndpoint, IDENTITY_HEADER: emu.identityHeader,
    AZURE_DEVOPS_ORG_URL: emu.devopsUrl, MLOPS_PUBLIC_URL: `http://127.0.0.1:${port}`, MLOPS_OAUTH_CLIENT_ID: emu.signInClientId,
    MLOPS_TOKEN_KEY: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
  };
  bot = await runServer(env, (line) => printed.push(line));
});
afterAll(async () => {
  await bot?.close();
  await emu.close();
  dir.cleanup();
});

async function cli(text: string): Promise<string> {
  const lines: string[] = [];
  await runCli([text, '--as', 'cli:megan', '--name', 'Megan', '--wait', '1'], env, 'tester', { out: (t) => lines.push(t), err: () => undefined });
  return lines.join('\n');
}

it('links through the server started from its environment, and the server tells the person', async () => {
  const answer = await cli('link');
  const url = /\[Sign in with Microsoft\] (\S+)/.exec(answer)?.[1];
  expect(url).toBeDefined();
  expect(url?.startsWith(`${emu.authorityHost}/${emu.tenantId}/oauth2/v2.0/authorize?`)).toBe(true);
  const { location } = await signInOnEmulator(url as string, MEGAN);
  expect(location.startsWith(`${env.MLOPS_PUBLIC_URL}/auth/callback?`)).toBe(true);
  const page = await fetch(location);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('meganb@example.com');
  const deadline = Date.now() + 15_000;
  while (!printed.some((l) => l.startsWith('[cli:megan]')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  expect(printed.find((l) => l.startsWith('[cli:megan]'))).toContain('Account linked');
  expect(await cli('whoami')).toContain('Megan Bowen (meganb@example.com)');
  expect(await cli('unlink')).toContain('no longer linked');
});
