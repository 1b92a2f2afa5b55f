export {
  childForInvocation, createLogger, newCorrelationId, silentLogger,
  type AppLogger, type CreateLoggerOptions, type LogDestination, type LogLevelName,
} from './logger';
export { isSecretKey, redactKeys, REDACTED } from './redact-keys';
export { MIN_SECRET_LENGTH, SecretScrubber, withSecretScrubbing } from './secret-scrubber';
