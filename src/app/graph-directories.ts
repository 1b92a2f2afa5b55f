/**
 * Microsoft Graph behind the chat surfaces' Directory: Teams principals are Entra users, so their
 * email and groups come from Graph by object id; Slack users are matched to Entra by their email.
 */
import { GRAPH_DIRECTORY_PERMISSIONS, type GraphDirectory } from '../adapters/entra';
import { USERS, type UserDoc } from '../adapters/teams/conversations';
import type { Directory, Logger, Store } from '../core/ports';
import type { BotSettings } from '../core/settings';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX = 'teams:';

type Graph = Pick<GraphDirectory, 'emailOfObject' | 'isMemberOf'>;

/**
 * `teams:<object id>` carries the Entra object id; a principal the config names by Teams user id
 * (`teams:29:…`, the Playground's `teams:user-id-1`) is mapped through the users the Teams surface
 * has seen (each activity records its sender's object id).
 */
export class TeamsGraphDirectory implements Directory {
  constructor(private readonly graph: Graph, private readonly store: Store) {}

  async emailOf(principalId: string): Promise<string | undefined> {
    const aad = await this.objectIdOf(principalId);
    return aad ? this.graph.emailOfObject(aad) : undefined;
  }

  async isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean> {
    if (!principal.id.toLowerCase().startsWith(PREFIX)) return false;
    const aad = principal.aadObjectId && GUID.test(principal.aadObjectId) ? principal.aadObjectId : await this.objectIdOf(principal.id);
    if (!aad && !principal.email) return false;
    return this.graph.isMemberOf({ id: principal.id, ...(aad ? { aadObjectId: aad } : {}), ...(principal.email ? { email: principal.email } : {}) }, groupObjectId);
  }

  async objectIdOf(principalId: string): Promise<string | undefined> {
    if (!principalId.toLowerCase().startsWith(PREFIX)) return undefined;
    const id = principalId.slice(PREFIX.length);
    if (GUID.test(id)) return id.toLowerCase();
    const seen = await this.store.listDocs<UserDoc>(USERS);
    return seen.find((u) => u.value.id.toLowerCase() === id.toLowerCase())?.key;
  }
}

/**
 * Group membership for Slack users, by the email Slack has for them. Only the email is passed on:
 * whatever else a principal carries is not Slack's to vouch for.
 */
export function slackGroupResolver(graph: Pick<GraphDirectory, 'isMemberOf'>): Pick<Directory, 'isMemberOf'> {
  return {
    isMemberOf: async (principal, groupObjectId) =>
      principal.email ? graph.isMemberOf({ id: principal.id, email: principal.email }, groupObjectId) : false,
  };
}

/** Config entries that only a directory can match: emails and `group:` ids. */
export function directoryEntries(settings: BotSettings): { emails: string[]; groups: string[] } {
  const all = [
    ...settings.admins,
    ...settings.environments.flatMap((e) => [...(e.approval?.approvers ?? []), ...(e.requesters ?? []), ...(e.schedulers ?? [])]),
  ];
  const unique = [...new Set(all)];
  return {
    emails: unique.filter((p) => p.includes('@') && !p.includes(':')),
    groups: unique.filter((p) => p.toLowerCase().startsWith('group:')),
  };
}

/** Says at start-up which configured entries cannot match anyone on a surface without Graph. */
export function warnWithoutGraph(surface: 'teams' | 'slack', settings: BotSettings, log: Logger): void {
  const { emails, groups } = directoryEntries(settings);
  const unmatched = surface === 'teams' ? [...emails, ...groups] : groups;
  if (unmatched.length === 0) return;
  const what = surface === 'teams' ? 'Approvers, admins, requesters and schedulers named by email or group:' : 'Entries named by group:';
  log.warn({ surface, entries: unmatched.length }, `${what} cannot match anyone on ${surface === 'teams' ? 'Teams' : 'Slack'} without Microsoft Graph, so they are denied there. Set AZURE_TENANT_ID (and give the bot identity the Graph application permissions ${GRAPH_DIRECTORY_PERMISSIONS}) to look them up.`);
}
