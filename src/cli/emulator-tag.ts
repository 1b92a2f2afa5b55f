/**
 * `npm run emulator:tag -- <model> <version> key=value …`: tags a model version of the source
 * workspace in the local emulator of the embedded default (the running one, or its state on disk),
 * through the same Azure ML adapter the bot uses. Its use: make a version misbehave in the emulated
 * live metrics (`emulator.errorRate=0.08`, `emulator.latencyMs=400`) to watch a rollout go back.
 */
import { buildAzurePorts } from '../app/azure';
import { demoDataDir, startDemoAzure } from '../app/demo';
import { demoSettings, parseRuntimeEnv } from '../config';
import { createLogger } from '../logging';
import type { CliIo } from './run';

const USAGE = 'usage: npm run emulator:tag -- <model> <version> key=value … (e.g. taxi-model 5 emulator.errorRate=0.08)';

export async function runEmulatorTag(argv: string[], env: Record<string, string | undefined>, io: CliIo): Promise<number> {
  const [model, version, ...pairs] = argv;
  const tags = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  if (!model || !version || pairs.length === 0 || pairs.some((p) => p.indexOf('=') < 1)) {
    io.err(USAGE);
    return 2;
  }
  const runtime = parseRuntimeEnv({ LOG_LEVEL: 'warn', ...env });
  const log = createLogger({ level: runtime.logLevel, destination: { write: (l: string) => io.err(l.trimEnd()) } });
  const demo = await startDemoAzure(demoDataDir(runtime.database), log, { attach: true });
  try {
    const settings = demoSettings();
    const { registry } = buildAzurePorts(settings, runtime, demo.endpoints, log);
    await registry.tagVersion(settings.source, model, version, tags);
    io.out(`${model} v${version} in ${settings.source}: ${Object.entries(tags).map(([k, v]) => `${k}=${v}`).join(', ')}`);
    return 0;
  } catch (e) {
    io.err(e instanceof Error ? e.message : String(e));
    return 1;
  } finally {
    await demo.close();
  }
}
