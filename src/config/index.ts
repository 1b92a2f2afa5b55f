export { ConfigError, formatIssue, type ConfigIssue } from './config-error';
export { DEMO_CONFIG_INPUT, DEMO_ORIGIN, DEMO_SUBSCRIPTION_ID, demoSettings } from './demo-config';
export { formatDuration, parseDuration } from './duration';
export { loadConfig, type LoadedConfig, type ReadTextFile } from './load-config';
export * from './runtime-config';
export {
  DEFAULT_ARM_ENDPOINT, DEFAULT_DATABASE_URL, DEFAULT_GRAPH_ENDPOINT, DEFAULT_PORT, DEFAULT_SLACK_API_URL,
  parseRuntimeEnv, runtimeSecrets,
} from './runtime-env';
export { isSecret, Secret } from './secret';
export { parseBotSettings, validateBotSettings } from './settings-parser';
export { parseTokenKeys, type AccountLinkRuntime, type TokenKeyConfig } from './account-link-env';
