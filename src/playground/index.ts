export { startPlayground, type Playground, type PlaygroundOptions } from './launcher';
export { PLAYGROUND_BOT, PLAYGROUND_CONVERSATIONS, PLAYGROUND_TENANT, PLAYGROUND_USERS, playgroundConfigYaml, playgroundConversations, type PlaygroundUser, type PlaygroundUsers } from './playground-config';
