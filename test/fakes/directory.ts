import type { Directory } from '../../src/core/ports';

/** Emails by principal id and members by group object id. */
export class FakeDirectory implements Directory {
  lookups = 0;
  constructor(private readonly emails: Record<string, string> = {}, private readonly groups: Record<string, string[]> = {}) {}
  async emailOf(principalId: string): Promise<string | undefined> {
    this.lookups++;
    return this.emails[principalId];
  }
  async isMemberOf(principal: { id: string; aadObjectId?: string; email?: string }, groupObjectId: string): Promise<boolean> {
    const members = this.groups[groupObjectId] ?? [];
    return members.includes(principal.id) || (principal.aadObjectId !== undefined && members.includes(principal.aadObjectId));
  }
}
