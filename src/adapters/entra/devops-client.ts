/**
 * The Azure DevOps side through azure-devops-node-api: the AzureRM service connection (found by name
 * first) and the environment pipelines deploy to. A bearer token is fixed per WebApi, so the client is
 * rebuilt when the token provider hands out a new one.
 */
import type { WebApi } from 'azure-devops-node-api';
import type { EndpointAuthorization, ServiceEndpoint } from 'azure-devops-node-api/interfaces/ServiceEndpointInterfaces';
import type { IServiceEndpointApi } from 'azure-devops-node-api/ServiceEndpointApi';
import type { ITaskAgentApi } from 'azure-devops-node-api/TaskAgentApi';
import type { DevOpsAuth } from '../azure-devops/options';

export interface DevOpsTarget { orgUrl: string; project: string; auth: DevOpsAuth; projectId?: string }

export interface AzureRmEndpointInput {
  name: string;
  armUrl: string;
  subscriptionId: string;
  subscriptionName: string;
  tenantId: string;
  appId: string;
  description: string;
  /** Absent: workload identity federation. */
  secret?: string;
}

export class DevOpsClient {
  private current?: { key: string; web: WebApi; endpoints?: Promise<IServiceEndpointApi>; agent?: Promise<ITaskAgentApi> };
  private projectId?: string;

  constructor(private readonly target: DevOpsTarget, private readonly timeoutMs: number) {
    this.projectId = target.projectId;
  }

  get project(): string { return this.target.project; }

  async findEndpoint(name: string): Promise<ServiceEndpoint | null> {
    const api = await this.endpoints();
    const found = (await api.getServiceEndpointsByNames(this.target.project, [name])) ?? [];
    const hit = found.find((e) => (e.name ?? '').toLowerCase() === name.toLowerCase());
    if (!hit?.id) return null;
    const params = hit.authorization?.parameters ?? {};
    // Listings may leave out authorization parameters; the details call carries the issuer and subject.
    if (hit.authorization?.scheme === 'WorkloadIdentityFederation' && !params.workloadIdentityFederationSubject) {
      return (await api.getServiceEndpointDetails(this.target.project, hit.id)) ?? hit;
    }
    return hit;
  }

  async createAzureRmEndpoint(input: AzureRmEndpointInput): Promise<ServiceEndpoint> {
    const projectId = await this.resolveProjectId();
    const authorization: EndpointAuthorization = input.secret === undefined
      ? { scheme: 'WorkloadIdentityFederation', parameters: { tenantid: input.tenantId, serviceprincipalid: input.appId } }
      : { scheme: 'ServicePrincipal', parameters: { tenantid: input.tenantId, serviceprincipalid: input.appId, authenticationType: 'spnKey', serviceprincipalkey: input.secret } };
    const api = await this.endpoints();
    return api.createServiceEndpoint({
      name: input.name,
      type: 'AzureRM',
      url: `${input.armUrl.replace(/\/+$/, '')}/`,
      owner: 'library',
      description: input.description,
      data: { subscriptionId: input.subscriptionId, subscriptionName: input.subscriptionName, environment: 'AzureCloud', scopeLevel: 'Subscription', creationMode: 'Manual' },
      authorization,
      isShared: false,
      isReady: true,
      serviceEndpointProjectReferences: [{ projectReference: { id: projectId, name: this.target.project }, name: input.name, description: input.description }],
    });
  }

  async hasEnvironment(name: string): Promise<boolean> {
    const api = await this.agent();
    const found = (await api.getEnvironments(this.target.project, name)) ?? [];
    const hit = found.find((e) => (e.name ?? '').toLowerCase() === name.toLowerCase());
    if (hit) this.projectId ??= hit.project?.id;
    return hit !== undefined;
  }

  /** true when created, false when it already existed. */
  async ensureEnvironment(name: string, description: string): Promise<boolean> {
    if (await this.hasEnvironment(name)) return false;
    const api = await this.agent();
    const made = await api.addEnvironment({ name, description }, this.target.project);
    this.projectId ??= made?.project?.id;
    return true;
  }

  /** The project's id: configured, learnt from an environment, or asked of the Core area. */
  private async resolveProjectId(): Promise<string> {
    if (this.projectId) return this.projectId;
    const core = await (await this.web()).getCoreApi();
    const project = await core.getProject(this.target.project);
    if (!project?.id) throw Object.assign(new Error(`Azure DevOps project '${this.target.project}' was not found`), { statusCode: 404 });
    this.projectId = project.id;
    return project.id;
  }

  private async endpoints(): Promise<IServiceEndpointApi> {
    const c = await this.connection();
    c.endpoints ??= c.web.getServiceEndpointApi();
    c.endpoints.catch(() => { c.endpoints = undefined; });
    return c.endpoints;
  }

  private async agent(): Promise<ITaskAgentApi> {
    const c = await this.connection();
    c.agent ??= c.web.getTaskAgentApi();
    c.agent.catch(() => { c.agent = undefined; });
    return c.agent;
  }

  private async web(): Promise<WebApi> {
    return (await this.connection()).web;
  }

  private async connection(): Promise<NonNullable<DevOpsClient['current']>> {
    const auth = this.target.auth;
    const token = 'pat' in auth ? undefined : await auth.tokenProvider();
    const key = token ?? 'pat';
    if (this.current?.key !== key) {
      // Loaded on first use: only `sp create` comes here, and the WebApi loads every area client.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { getBearerHandler, getPersonalAccessTokenHandler, WebApi } = require('azure-devops-node-api') as typeof import('azure-devops-node-api');
      const handler = 'pat' in auth ? getPersonalAccessTokenHandler(auth.pat) : getBearerHandler(token!);
      const web = new WebApi(this.target.orgUrl.replace(/\/+$/, ''), handler, { socketTimeout: this.timeoutMs, allowRetries: false });
      this.current = { key, web };
    }
    return this.current;
  }
}
