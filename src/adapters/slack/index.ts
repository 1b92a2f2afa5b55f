export { createSlackSurface, type SlackSurface, type SlackSurfaceOptions } from './surface';
export { DEFAULT_API_URL, DEFAULT_COMMAND, type SecretValue, type SlackSurfaceConfig } from './config';
export { SlackChat } from './slack-chat';
export { SlackDirectory, USERS_NAMESPACE, DEFAULT_USER_TTL_MS, type SlackDirectoryOptions } from './slack-directory';
export { slackError } from './slack-errors';
export { REJECT_CALLBACK_ID } from './reject-modal';
export { WORKING_NOTE } from './slash-command';
export { HANDLED_EVENTS } from './app-events';
