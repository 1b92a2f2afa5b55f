export { createTeamsSurface, type TeamsSurface, type TeamsSurfaceConfig } from './surface';
export { anonymousGuard } from './http-mount';
export { callerOf, principalOf } from './identity';
export { CONVERSATIONS, ALIASES, USERS, type KnownConversation, type MissingReference } from './conversations';
