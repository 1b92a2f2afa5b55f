import type { BotSettings } from '../core/settings';
import { IssueList } from './config-error';
import { demoSettings } from './demo-config';
import type { RuntimeConfig } from './runtime-config';
import { parseBotSettings } from './settings-parser';

export interface LoadedConfig {
  runtime: RuntimeConfig;
  settings: BotSettings;
  /** `demo`: no MLOPS_CONFIG, the built-in config for the local emulator; `configured`: the operator's file. */
  mode: 'demo' | 'configured';
}

export type ReadTextFile = (path: string) => string | Promise<string>;

/** Resolves the settings for the runtime: the YAML named by MLOPS_CONFIG, or the built-in demo. */
export async function loadConfig(runtime: RuntimeConfig, readFile: ReadTextFile): Promise<LoadedConfig> {
  if (runtime.configPath === undefined) return { runtime, settings: demoSettings(), mode: 'demo' };
  let text: string;
  try {
    text = await readFile(runtime.configPath);
  } catch (e) {
    const issues = new IssueList();
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${(e as Error).message})`;
    issues.add('MLOPS_CONFIG', `points to ${runtime.configPath} but ${reason}.`, 'set MLOPS_CONFIG to the path of your YAML config (see mlops.config.example.yaml), or unset it to run the demo.');
    issues.throwIfAny('the environment variables');
    throw e;
  }
  return { runtime, settings: parseBotSettings(text, runtime.configPath), mode: 'configured' };
}
