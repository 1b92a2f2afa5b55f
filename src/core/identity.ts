/**
 * Identities and channels are platform-qualified strings so one config serves Slack and Teams:
 * `slack:U0AAA`, `teams:<aad-object-id>`, `cli:alice`; channels `slack:C0APPROVE`, `teams:<conversation id>`.
 */
export type Platform = 'slack' | 'teams' | 'cli';

export interface Caller {
  /** Platform-qualified principal id, e.g. `slack:U0AAA`. */
  id: string;
  platform: Platform;
  displayName: string;
  /** Known email (resolved by the chat adapter or the Directory port); lower-case. */
  email?: string;
  /** Entra object id, when the platform knows it (Teams always does) or the caller linked their account. */
  aadObjectId?: string;
  /**
   * The Entra account this chat account is linked to (`link`, DESIGN 9.6), filled in by the
   * dispatcher: Azure DevOps can record this person as the approver.
   */
  linked?: { objectId: string; userPrincipalName: string; displayName: string };
}

export const PLATFORMS: readonly Platform[] = ['slack', 'teams', 'cli'];

export function qualify(platform: Platform, id: string): string {
  return `${platform}:${id}`;
}

export function splitQualified(qualified: string): { platform: Platform; id: string } | null {
  const i = qualified.indexOf(':');
  if (i <= 0) return null;
  const platform = qualified.slice(0, i) as Platform;
  if (!PLATFORMS.includes(platform)) return null;
  return { platform, id: qualified.slice(i + 1) };
}
