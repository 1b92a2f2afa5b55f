import { join } from 'node:path';
import type { AzureEndpoints } from '../../src/app/azure';
import { keepDeliverableChannels } from '../../src/app/demo';
import { demoSettings, parseRuntimeEnv, type LoadedConfig } from '../../src/config';
import type { Logger } from '../../src/core/ports';
import type { RunningEmulator } from '../../src/emulator';

/** Where the bot finds every Azure service of a running emulator (its managed identity, CA and tenant). */
export function emulatorAzure(emu: RunningEmulator): AzureEndpoints {
  return {
    armEndpoint: emu.armUrl, armAudience: 'https://management.azure.com', devopsOrgUrl: emu.devopsUrl,
    identityEndpoint: emu.identityEndpoint, identityHeader: emu.identityHeader, ca: emu.ca, graphEndpoint: emu.armUrl, tenantId: emu.tenantId,
  };
}

/** The embedded default's settings with SQLite in `dir`, posting only to `cli:` channels. */
export function demoCliConfig(dir: string, log: Logger): LoadedConfig {
  return { runtime: parseRuntimeEnv({ DATABASE_URL: `sqlite:${join(dir, 'bot.db')}` }), settings: keepDeliverableChannels(demoSettings(), ['cli'], log), mode: 'demo' };
}
