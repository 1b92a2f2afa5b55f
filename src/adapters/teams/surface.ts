/**
 * The Teams surface: `/api/messages` (the Agents SDK's CloudAdapter behind our transport), a Chat for
 * `teams:` channels, and the start-up report of configured channels the bot cannot reach yet.
 */
import { renderForTeams, type TeamsAttachment } from '../../cards/render';
import type { CardMessage } from '../../core/cards/views';
import type { ChartSpec } from '../../core/charts/types';
import type { Chat, Logger } from '../../core/ports';
import type { HttpServer } from '../../http';
import type { BotCore } from '../../core/surface';
import { decideAccess, tenantIdProblem, type AppMode } from './access';
import { approverUserIds, livePromotion, withRefresh } from './card-views';
import { ConversationBook, type KnownConversation, type MissingReference } from './conversations';
import { TeamsChat } from './teams-chat';
import { mountTeamsEndpoint } from './http-mount';
import { offSurface } from './off-surface';
import { serviceUrlAllowed } from './service-url';
import { createTransport } from './transport';
import { createTokenCheck, type KeyUrls } from './token-check';
import { createTurnHandler } from './turn-handler';
import type { TeamsAuthConfig, Transport } from './types';

export interface TeamsSurfaceConfig extends TeamsAuthConfig {
  /** True without an app id: no JWT validation, loopback clients only. */
  anonymous: boolean;
  /**
   * How the app runs, passed in by the composition. Without an app id the endpoint runs (anonymous,
   * loopback only) in the demo or with `local`; otherwise Teams is off. Absent counts as configured.
   */
  appMode?: AppMode;
  /** The explicit local flag (MLOPS_TEAMS_LOCAL): anonymous Teams for a client on this machine. */
  local?: boolean;
  /** Configured `teams:` names to link to the first conversation that talks to the bot (demo mode only). */
  autoLink?: string[];
  /** Where token signing keys are published (the public Bot Framework and Entra ones by default). */
  keyUrls?: Partial<KeyUrls>;
  /** A signed link Teams loads a card's chart from (served by the bot); absent: cards say the chart is missing. */
  chartUrl?: (chart: ChartSpec) => string;
}

export interface TeamsSurface {
  /** False when Teams is off: nothing is mounted and `teams:` channels report what to set. */
  enabled: boolean;
  chat: Chat;
  mount(server: Pick<HttpServer, 'route'>): void;
  ready(): boolean;
  missingReferences(channels: readonly string[]): Promise<MissingReference[]>;
  /** Points a configured name (`teams:demo-approvals`) at a conversation the bot knows. */
  link(channel: string, conversationId: string): Promise<void>;
  /** Records a conversation whose connector is known before it talks to the bot (the Playground's chats). */
  addConversation(conversation: KnownConversation): Promise<void>;
}

export function createTeamsSurface(opts: { core: BotCore; config: TeamsSurfaceConfig; log: Logger; transport?: Transport }): TeamsSurface {
  const { core, config } = opts;
  const log = opts.log.child({ surface: 'teams' });
  const access = decideAccess(config);
  if (access.mode === 'off') {
    log.warn({ endpoint: '/api/messages', fix: access.fix }, access.reason);
    return offSurface(access);
  }
  const { mode } = access;
  if (mode === 'anonymous') {
    log.warn({ endpoint: '/api/messages' }, 'Teams runs without authentication (no MicrosoftAppId): the endpoint answers only clients on this machine, and posts only to connectors on this machine. Set MicrosoftAppId and MicrosoftAppPassword to connect real Teams.');
  }
  const tenantProblem = tenantIdProblem(config.tenantId);
  if (tenantProblem) log.error({ endpoint: '/api/messages' }, tenantProblem);
  const transport = opts.transport ?? createTransport(mode === 'anonymous' ? { appType: config.appType } : config);
  const tokenCheck = mode === 'authenticated' && config.appId
    ? createTokenCheck({ appId: config.appId, ...(config.appType !== 'MultiTenant' && config.tenantId ? { tenantId: config.tenantId } : {}), ...(config.keyUrls ? { keyUrls: config.keyUrls } : {}) })
    : null;
  const book = new ConversationBook(core.store, undefined, (url) => serviceUrlAllowed(url, mode));
  const render = async (message: CardMessage): Promise<TeamsAttachment> => {
    const chartUrl = config.chartUrl;
    const attachment = renderForTeams(message, { imageUrl: (image) => (image.chart && chartUrl ? chartUrl(image.chart) : undefined) });
    const requestId = livePromotion(message);
    const request = requestId ? await core.store.getRequest(requestId) : null;
    if (!request) return attachment;
    return withRefresh(attachment, request.id, await approverUserIds(core.settings, request.targetEnv, (aad) => book.userIdOf(aad)));
  };
  const onTurn = createTurnHandler({ core, book, log, render, transport, autoLink: config.autoLink ?? [] });
  let mounted = false;
  return {
    enabled: true,
    chat: new TeamsChat({ transport, book, render }),
    mount(server) {
      mountTeamsEndpoint(server, transport, { mode, ...(config.tenantId ? { tenantId: config.tenantId } : {}) }, tokenCheck, onTurn);
      mounted = true;
    },
    ready: () => mounted,
    missingReferences: (channels) => book.missing(channels),
    link: (channel, conversationId) => book.link(channel, conversationId),
    addConversation: (conversation) => book.adopt(conversation),
  };
}
