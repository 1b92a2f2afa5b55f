/**
 * The demo's emulator keeps its ports with its state: after a restart, the "Open release N" link a
 * card carries still answers, and the CLI's lease names the same URLs. Tests still get free ports
 * (the first start picks them); a port another program took is given up with a warning.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startDemoAzure } from '../../src/app/demo';
import { startEmulator } from '../../src/emulator';
import { CapturingLogger } from '../fakes/logger';
import { call, PAT_HEADER as PAT, tempDir } from './emulator-client';

// The same host and port before and after the restart: a kept-alive socket to the old server must not be reused.
const PAT_HEADER = { ...PAT, connection: 'close' };

describe('stable emulator ports', () => {
  it('a restarted demo emulator answers on the same ports, so links posted before the restart still open', async () => {
    const tmp = tempDir();
    try {
      const first = await startDemoAzure(tmp.dir, new CapturingLogger(), { attach: false });
      const made = await call(`${first.endpoints.devopsOrgUrl}/mlops-v2/_apis/Release/releases`, { method: 'POST', headers: PAT_HEADER, body: { definitionId: 1 } });
      const link = made.body._links.web.href as string;
      const api = `${first.endpoints.devopsOrgUrl}/mlops-v2/_apis/Release/releases/${made.body.id}`;
      await first.close();

      const second = await startDemoAzure(tmp.dir, new CapturingLogger(), { attach: false });
      try {
        expect(second.endpoints.armEndpoint).toBe(first.endpoints.armEndpoint);
        expect(second.endpoints.devopsOrgUrl).toBe(first.endpoints.devopsOrgUrl);
        expect(link.startsWith(second.endpoints.devopsOrgUrl!)).toBe(true);
        expect((await call(api, { headers: PAT_HEADER })).body.id).toBe(made.body.id);
        // The link itself opens a page in a browser (no token), naming the release and its stages.
        const page = await fetch(link, { headers: { connection: 'close' } });
        expect(page.status).toBe(200);
        expect(page.headers.get('content-type')).toContain('text/html');
        const html = await page.text();
        expect(html).toContain(`<h1>Release-${made.body.id} (mlops-v2)</h1>`);
        expect(html).toMatch(/<td>prod<\/td><td>(notStarted|queued|waiting for approval)<\/td>/);
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('the release page escapes what it shows and answers 404 for a release that does not exist', async () => {
    const tmp = tempDir();
    try {
      const emu = await startDemoAzure(tmp.dir, new CapturingLogger(), { attach: false });
      try {
        const made = await call(`${emu.endpoints.devopsOrgUrl}/mlops-v2/_apis/Release/releases`, {
          method: 'POST', headers: PAT_HEADER, body: { definitionId: 1, description: '<script>alert(1)</script>', variables: { modelName: { value: '<b>x</b>' } } },
        });
        const html = await (await fetch(made.body._links.web.href as string)).text();
        expect(html).not.toMatch(/<script>|<b>x/);
        expect(html).toContain('&#60;b&#62;x&#60;/b&#62;');
        const missing = await fetch((made.body._links.web.href as string).replace(/releaseId=\d+/, 'releaseId=999'));
        expect(missing.status).toBe(404);
      } finally {
        await emu.close();
      }
    } finally {
      tmp.cleanup();
    }
  });

  it('moves to a free port, with a warning, when the remembered one is taken', async () => {
    const tmp = tempDir();
    const blocker = createServer();
    try {
      const first = await startEmulator({ dataDir: tmp.dir, log: new CapturingLogger(), autoTick: false, jobEveryMs: 0, rememberPorts: true });
      const oldPort = Number(new URL(first.armUrl).port);
      await first.close();
      await new Promise<void>((r) => blocker.listen(oldPort, '127.0.0.1', () => r()));
      const log = new CapturingLogger();
      const second = await startEmulator({ dataDir: tmp.dir, log, autoTick: false, jobEveryMs: 0, rememberPorts: true });
      await second.close();
      expect(Number(new URL(second.armUrl).port)).not.toBe(oldPort);
      expect(log.text()).toContain('the emulator port used before is taken');
    } finally {
      blocker.close();
      tmp.cleanup();
    }
  });

  it('without rememberPorts (tests) every start takes free ports', async () => {
    const tmp = tempDir();
    try {
      const a = await startEmulator({ dataDir: tmp.dir, log: new CapturingLogger(), autoTick: false, jobEveryMs: 0 });
      await a.close();
      const b = await startEmulator({ dataDir: tmp.dir, log: new CapturingLogger(), autoTick: false, jobEveryMs: 0 });
      await b.close();
      expect(existsSync(join(tmp.dir, 'ports.json'))).toBe(false);
    } finally {
      tmp.cleanup();
    }
  });
});
