/**
 * The Directory the core consults for approvers named by email or group. Surfaces that know how to
 * look people up (Slack users.info, Teams/Graph) register a resolver for their platform; anything
 * unresolved is denied (deny by default).
 */
import { splitQualified, type Platform } from '../core/identity';
import type { Directory } from '../core/ports';

export class DirectoryRouter implements Directory {
  private readonly byPlatform = new Map<Platform, Directory>();

  register(platform: Platform, directory: Directory): this {
    this.byPlatform.set(platform, directory);
    return this;
  }

  async emailOf(principalId: string): Promise<string | undefined> {
    const platform = splitQualified(principalId)?.platform;
    return platform ? this.byPlatform.get(platform)?.emailOf(principalId) : undefined;
  }

  async isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean> {
    const platform = splitQualified(principal.id)?.platform;
    const directory = platform ? this.byPlatform.get(platform) : undefined;
    return directory ? directory.isMemberOf(principal, groupObjectId) : false;
  }
}
