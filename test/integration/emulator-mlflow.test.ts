/** The workspace MLflow REST API, reached through the workspace's tracking URI as the bot does. */
import { startEmulator, type RunningEmulator } from '../../src/emulator';
import { call, fixture, keysOf, ManualClock, quietLog, tempDir, token, wsUrl } from './emulator-client';

describe('emulator MLflow routes', () => {
  const tmp = tempDir();
  let emu: RunningEmulator;
  let auth: Record<string, string>;
  let api: string;

  beforeAll(async () => {
    emu = await startEmulator({ dataDir: tmp.dir, log: quietLog, clock: new ManualClock(), autoTick: false, jobEveryMs: 0 });
    auth = { authorization: `Bearer ${await token(emu)}` };
    const ws = await call(`${wsUrl(emu, 'dev')}?api-version=2022-10-01`, { headers: auth, ca: emu.ca });
    api = `${(ws.body.properties.mlFlowTrackingUri as string).replace(/^azureml:\/\//, 'https://')}/api/2.0/mlflow`;
  });
  afterAll(async () => {
    await emu.close();
    tmp.cleanup();
  });

  const search = (filter: string): ReturnType<typeof call> => call(`${api}/runs/search`, { method: 'POST', headers: auth, ca: emu.ca, body: { filter, max_results: 100 } });

  it('gets a run with its latest metrics in the MLflow shape', async () => {
    const reply = await call(`${api}/runs/get?run_id=sunny_maple_9w4t6c`, { headers: auth, ca: emu.ca });
    const official = fixture('mlflow/runs-get.response.CONSTRUCTED.json').run;
    expect(keysOf(reply.body.run)).toEqual(keysOf(official));
    expect(keysOf(reply.body.run.info)).toEqual(keysOf(official.info));
    const metrics = Object.fromEntries((reply.body.run.data.metrics as { key: string; value: number }[]).map((m) => [m.key, m.value]));
    expect(metrics).toEqual({ rmse: 3.45, mae: 2.42, r2: 0.79 });
    expect(reply.body.run.info.status).toBe('FINISHED');
  });

  it('tells the model versions apart: v4 regresses against v3, v5 is best', async () => {
    const reply = await search("attributes.run_id IN ('clever_kettle_2q9k4v','brave_pear_7m3x1z','quiet_river_5d8h2n','sunny_maple_9w4t6c','bold_otter_3k7p5r')");
    const rmse = Object.fromEntries((reply.body.runs as { info: { run_id: string }; data: { metrics: { key: string; value: number }[] } }[])
      .map((r) => [r.info.run_id, r.data.metrics.find((m) => m.key === 'rmse')?.value]));
    expect(rmse['sunny_maple_9w4t6c']).toBeGreaterThan(rmse['quiet_river_5d8h2n'] ?? 0);
    expect(rmse['bold_otter_3k7p5r']).toBeLessThan(rmse['quiet_river_5d8h2n'] ?? 0);
    expect(Object.keys(rmse)).toHaveLength(5);
    expect(keysOf(reply.body)).toEqual(expect.arrayContaining(['runs']));
  });

  it('parses run_id =, IN without prefix, AND with metrics and status, and refuses OR', async () => {
    expect((await search("run_id = 'quiet_river_5d8h2n'")).body.runs).toHaveLength(1);
    expect((await search("run_id IN ('quiet_river_5d8h2n', 'gentle_fig_4x8s2m')")).body.runs).toHaveLength(2);
    const good = await search("metrics.rmse < 3.4 and attributes.status = 'Finished'");
    expect(good.body.runs.map((r: { info: { run_id: string } }) => r.info.run_id).sort()).toEqual(['bold_otter_3k7p5r', 'quiet_river_5d8h2n']);
    expect((await search("attributes.status = 'FAILED'")).body.runs.length).toBe(2);
    const bad = await search("run_id = 'a' OR run_id = 'b'");
    expect(bad.status).toBe(400);
    expect(bad.body.error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('serves metric history, experiments by name, and 404s', async () => {
    const history = await call(`${api}/metrics/get-history?run_id=bold_otter_3k7p5r&metric_key=rmse`, { headers: auth, ca: emu.ca });
    expect(history.body.metrics.map((m: { step: number }) => m.step)).toEqual([0, 1]);
    const exp = await call(`${api}/experiments/get-by-name?experiment_name=taxi-fare-training`, { headers: auth, ca: emu.ca });
    expect(exp.body.experiment.name).toBe('taxi-fare-training');
    expect((await call(`${api}/runs/get?run_id=nope`, { headers: auth, ca: emu.ca })).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((await call(`${api}/runs/get?run_id=bold_otter_3k7p5r`, { ca: emu.ca })).status).toBe(401);
  });
});
