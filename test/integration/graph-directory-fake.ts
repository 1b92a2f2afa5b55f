/**
 * A per-test fake of the Graph directory calls (not a test file): users by object id or UPN, the
 * mail filter, and transitive checkMemberGroups, over real HTTPS with a private CA; every request
 * is recorded by FakeAzureServer for assertions, and one-shot faults go ahead of the routes.
 */
import { FakeAzureServer, type RecordedRequest, type Reply } from '../support/fake-azure-server';

export interface FakeUser { id: string; mail: string | null; userPrincipalName: string }

export const LEADS = '5a8e0c1d-7b2f-4c3a-9d4e-000000000041';
export const REVIEWERS = '5a8e0c1d-7b2f-4c3a-9d4e-000000000042';

export const PEOPLE = {
  alex: { id: '00000000-0000-4000-8000-000000000020', mail: 'alexw@contoso.com', userPrincipalName: 'alexw@contoso.com' },
  megan: { id: '00000000-0000-4000-8000-000000000021', mail: 'megan.bowen@contoso.com', userPrincipalName: 'meganb@contoso.onmicrosoft.com' },
  adele: { id: '00000000-0000-4000-8000-000000000022', mail: null, userPrincipalName: 'adelev@contoso.com' },
  isaiah: { id: '00000000-0000-4000-8000-000000000023', mail: 'isaiahl@contoso.com', userPrincipalName: 'isaiahl@contoso.com' },
} satisfies Record<string, FakeUser>;

const notFound = (key: string): Reply => ({
  status: 404,
  body: { error: { code: 'Request_ResourceNotFound', message: `Resource '${key}' does not exist or one of its queried reference-property objects are not present.` } },
});

export class FakeGraph {
  /** Group → member object ids (users or groups). */
  readonly groups: Record<string, string[]> = { [LEADS]: [PEOPLE.adele.id, REVIEWERS], [REVIEWERS]: [PEOPLE.megan.id] };
  readonly users: FakeUser[] = Object.values(PEOPLE);

  private constructor(readonly server: FakeAzureServer) {
    server.on('GET', /^\/v1\.0\/users\/[^/]+$/, (req) => {
      const user = this.find(lastSegment(req, 1));
      return user ? { body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users(mail,userPrincipalName)/$entity', mail: user.mail, userPrincipalName: user.userPrincipalName } } : notFound(lastSegment(req, 1));
    });
    server.on('GET', '/v1.0/users', (req) => {
      const m = /^mail eq '(.*)'$/.exec(req.query.get('$filter') ?? '');
      const hits = m ? this.users.filter((u) => u.mail?.toLowerCase() === m[1].toLowerCase()) : this.users;
      return { body: { value: hits.map((u) => ({ id: u.id })) } };
    });
    server.on('POST', /^\/v1\.0\/users\/[^/]+\/checkMemberGroups$/, (req) => {
      const user = this.find(lastSegment(req, 2));
      if (!user) return notFound(lastSegment(req, 2));
      const asked = ((req.json as { groupIds?: string[] }).groupIds ?? []);
      return { body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)', value: asked.filter((g) => this.holds(g, user.id)) } };
    });
  }

  static async start(tls: { cert: string; key: string }): Promise<FakeGraph> {
    return new FakeGraph(await FakeAzureServer.https(tls));
  }

  get url(): string { return this.server.url; }
  get requests(): RecordedRequest[] { return this.server.requests; }
  close(): Promise<void> { return this.server.close(); }

  private find(key: string): FakeUser | undefined {
    const k = key.toLowerCase();
    return this.users.find((u) => u.id === k || u.userPrincipalName.toLowerCase() === k);
  }

  private holds(group: string, member: string, seen = new Set<string>()): boolean {
    if (seen.has(group)) return false;
    seen.add(group);
    return (this.groups[group] ?? []).some((m) => m === member || this.holds(m, member, seen));
  }
}

function lastSegment(req: RecordedRequest, fromEnd: number): string {
  const parts = req.path.split('/');
  return decodeURIComponent(parts[parts.length - fromEnd]);
}
