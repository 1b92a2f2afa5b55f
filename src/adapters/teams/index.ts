export { createTeamsSurface, type TeamsSurface, type TeamsSurfaceConfig } from './surface';
export { anonymousGuard } from './http-mount';
export { decideAccess, LOCAL_FLAG, TEAMS_SETUP_FIX, type AppMode, type TeamsAccess } from './access';
export { gateActivity, TEAMS_CHANNEL_ID, type GatePolicy, type GateRefusal } from './activity-gate';
export { serviceUrlAllowed, type TeamsAccessMode } from './service-url';
export { callerOf, principalOf } from './identity';
export { CONVERSATIONS, ALIASES, USERS, PERSONAL_CHATS, type KnownConversation, type MissingReference } from './conversations';
