/** The emulator's world survives a restart: same data dir, possibly another port. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator } from '../../src/emulator';
import { call, ManualClock, PAT_HEADER, quietLog, tempDir, token, wsUrl } from './emulator-client';

describe('emulator persistence', () => {
  it('keeps tags, releases, approvals and tokens across a restart and follows the new port', async () => {
    const tmp = tempDir();
    const clock = new ManualClock();
    try {
      const first = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock, autoTick: false, jobEveryMs: 0 });
      const armToken = await token(first);
      const auth = { authorization: `Bearer ${armToken}` };
      const versionUrl = `${wsUrl(first, 'dev')}/models/taxi-model/versions/5?api-version=2022-10-01`;
      const v5 = (await call(versionUrl, { headers: auth, ca: first.ca })).body;
      await call(versionUrl, { method: 'PUT', headers: auth, ca: first.ca, body: { properties: { ...v5.properties, tags: { ...v5.properties.tags, 'mlops-env-prod': '2026-03-02T09:00:00Z' } } } });
      const rel = (await call(`${first.devopsUrl}/mlops-v2/_apis/Release/releases`, {
        method: 'POST', headers: PAT_HEADER, body: { definitionId: 1, variables: { promotionRequestId: { value: 'r-keep' } } },
      })).body;
      clock.advance(60_000);
      first.tick();
      const ca = first.ca;
      await first.close();
      expect(readFileSync(join(tmp.dir, 'emulator-state.json'), 'utf8')).not.toContain(armToken);

      const second = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock, autoTick: false, jobEveryMs: 0 });
      try {
        expect(second.ca).toBe(ca);
        const again = await call(`${wsUrl(second, 'dev')}/models/taxi-model/versions/5?api-version=2022-10-01`, { headers: auth, ca: second.ca });
        expect(again.status).toBe(200);
        expect(again.body.properties.tags['mlops-env-prod']).toBe('2026-03-02T09:00:00Z');
        const ws = await call(`${wsUrl(second, 'dev')}?api-version=2022-10-01`, { headers: auth, ca: second.ca });
        expect(ws.body.properties.mlFlowTrackingUri).toContain(second.armUrl.replace('https://', 'azureml://'));
        const approvals = await call(`${second.devopsUrl}/mlops-v2/_apis/Release/approvals?releaseIdsFilter=${rel.id}`, { headers: PAT_HEADER });
        expect(approvals.body.value).toHaveLength(1);
        const listed = await call(`${second.devopsUrl}/mlops-v2/_apis/Release/releases?definitionId=1&$expand=variables`, { headers: PAT_HEADER });
        expect(listed.body.value.find((r: { id: number }) => r.id === rel.id).variables.promotionRequestId.value).toBe('r-keep');
      } finally {
        await second.close();
      }
    } finally {
      tmp.cleanup();
    }
  });
});
