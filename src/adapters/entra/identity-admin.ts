/**
 * IdentityAdmin over Microsoft Graph, ARM role assignments and Azure DevOps: the application and
 * its service principal, the role assignment, the Azure DevOps environment, and the AzureRM service
 * connection with its credential (a federated credential from the connection's own issuer and
 * subject, or a client secret handed straight to the connection). Every step finds before it
 * creates; a failure is reported in the result (never thrown), and the steps that need it are
 * skipped, so a retry picks up exactly where this run stopped.
 */
import type { ServicePrincipalPlan, ServicePrincipalResult, ServicePrincipalSurvey, SpStepState } from '../../core/models';
import type { IdentityAdmin, Logger } from '../../core/ports';
import { addSecret, ensureApplication, ensureFederatedCredential, ensureServicePrincipal, removeSecret, type AppRef } from './applications';
import { DevOpsClient } from './devops-client';
import { GraphClient } from './graph-client';
import {
  DEFAULT_REPLICATION_DELAYS_MS, DEFAULT_SECRET_LIFETIME_DAYS, DEFAULT_TIMEOUT_MS, type EntraIdentityAdminOptions,
} from './options';
import { RoleAssigner, subscriptionOf } from './role-assignment';
import { describeFailure, type Service } from './step-errors';
import { surveyServicePrincipal } from './survey';

type Step = ServicePrincipalResult['steps'][number];
type StepName = Step['step'];

class Run {
  readonly steps: Step[] = [];
  constructor(private readonly log: Logger) {}

  record(step: StepName, state: SpStepState, detail?: string): void {
    this.steps.push({ step, state, ...(detail ? { detail } : {}) });
    (state === 'failed' ? this.log.warn : this.log.info).call(this.log, { step, state, ...(detail ? { detail } : {}) }, 'service principal step');
  }

  /** Runs one step; a throw becomes a `failed` step with the upstream's words, and `undefined`. */
  async attempt<T>(step: StepName, service: Service, fn: () => Promise<{ value: T; created: boolean; note?: string }>): Promise<T | undefined> {
    try {
      const r = await fn();
      this.record(step, r.created ? 'created' : 'existed', r.note);
      return r.value;
    } catch (e) {
      this.record(step, 'failed', describeFailure(service, e));
      return undefined;
    }
  }

  skip(step: StepName, because: string): void {
    this.record(step, 'skipped', `not attempted: ${because}`);
  }
}

export class EntraIdentityAdmin implements IdentityAdmin {
  private readonly graph: GraphClient;
  private readonly roles: RoleAssigner;
  private readonly devops: DevOpsClient;
  private readonly delays: number[];

  constructor(private readonly opts: EntraIdentityAdminOptions) {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.delays = opts.replicationDelaysMs ?? DEFAULT_REPLICATION_DELAYS_MS;
    this.graph = new GraphClient({ endpoint: opts.graphEndpoint, getToken: opts.getToken, ca: opts.ca, timeoutMs });
    this.roles = new RoleAssigner({
      credential: opts.credential, endpoint: opts.armEndpoint, audience: opts.armAudience, ca: opts.ca, timeoutMs, delays: this.delays,
    });
    this.devops = new DevOpsClient(opts.devops, timeoutMs);
  }

  survey(plan: ServicePrincipalPlan): Promise<ServicePrincipalSurvey> {
    return surveyServicePrincipal({ graph: this.graph, roles: this.roles, devops: this.devops }, plan);
  }

  async ensureServicePrincipal(plan: ServicePrincipalPlan): Promise<ServicePrincipalResult> {
    const log = this.opts.log.child({ component: 'entra', application: plan.applicationName, env: plan.env });
    // The role first: one that does not exist at the scope must stop the run before anything is made.
    const roleId = plan.roleDefinitionId ?? (await this.roles.roleDefinitionId(plan.scope, plan.role));
    const run = new Run(log);
    const app = await run.attempt('application', 'graph', () => ensureApplication(this.graph, plan.applicationName));
    const sp = app
      ? await run.attempt('service_principal', 'graph', () => ensureServicePrincipal(this.graph, app.appId, this.delays))
      : (run.skip('service_principal', 'the application does not exist'), undefined);

    if (sp) {
      await run.attempt('role_assignment', 'arm', async () => ({ value: roleId, created: await this.roles.ensure(plan.scope, sp.id, roleId) }));
    } else {
      run.skip('role_assignment', 'the service principal does not exist');
    }

    await run.attempt('devops_environment', 'devops', async () => ({
      value: plan.env, created: await this.devops.ensureEnvironment(plan.env, `Deployments of ${plan.project} (created by MLOps Bot)`),
    }));

    if (!app) {
      run.skip(plan.auth === 'federated' ? 'service_connection' : 'credential', 'the application does not exist');
      run.skip(plan.auth === 'federated' ? 'credential' : 'service_connection', 'the application does not exist');
    } else if (plan.auth === 'federated') {
      await this.federated(run, plan, app);
    } else {
      await this.withSecret(run, plan, app);
    }
    const complete = run.steps.every((s) => s.state === 'created' || s.state === 'existed');
    log.info({ complete }, complete ? 'service principal in place' : 'service principal incomplete');
    return { plan, steps: run.steps, ...(app ? { appId: app.appId } : {}), complete };
  }

  private async federated(run: Run, plan: ServicePrincipalPlan, app: AppRef): Promise<void> {
    const endpoint = await run.attempt('service_connection', 'devops', async () => {
      const found = await this.devops.findEndpoint(plan.serviceConnectionName);
      if (found) return { value: this.ours(found, app), created: false, note: this.otherScheme(found, 'WorkloadIdentityFederation') };
      return { value: await this.devops.createAzureRmEndpoint(await this.endpointInput(plan, app)), created: true };
    });
    if (!endpoint) return run.skip('credential', 'the service connection does not exist');
    const params = endpoint.authorization?.parameters ?? {};
    if (endpoint.authorization?.scheme !== 'WorkloadIdentityFederation') {
      return run.record('credential', 'existed', `the connection authenticates with ${endpoint.authorization?.scheme ?? 'an unknown scheme'}; left unchanged`);
    }
    const issuer = params.workloadIdentityFederationIssuer;
    const subject = params.workloadIdentityFederationSubject;
    if (!issuer || !subject) return run.record('credential', 'failed', 'Azure DevOps returned no workload identity issuer/subject for the connection');
    await run.attempt('credential', 'graph', () =>
      ensureFederatedCredential(this.graph, app, plan.serviceConnectionName, issuer, subject, this.delays));
  }

  /** The secret lives only in this function: from Graph straight into the connection, then dropped. */
  private async withSecret(run: Run, plan: ServicePrincipalPlan, app: AppRef): Promise<void> {
    let found;
    try {
      found = await this.devops.findEndpoint(plan.serviceConnectionName);
    } catch (e) {
      run.skip('credential', 'the service connection could not be looked up');
      return run.record('service_connection', 'failed', describeFailure('devops', e));
    }
    if (found) {
      try {
        this.ours(found, app);
      } catch (e) {
        run.skip('credential', 'the service connection belongs to another application');
        return run.record('service_connection', 'failed', describeFailure('devops', e));
      }
      run.record('credential', 'existed', 'the connection already holds its credential; no new secret was made');
      return run.record('service_connection', 'existed', this.otherScheme(found, 'ServicePrincipal'));
    }
    const days = this.opts.secretLifetimeDays ?? DEFAULT_SECRET_LIFETIME_DAYS;
    const now = this.opts.now?.() ?? new Date();
    let secret;
    try {
      secret = await addSecret(this.graph, app, `Azure DevOps ${plan.serviceConnectionName}`, new Date(now.getTime() + days * 86_400_000));
    } catch (e) {
      run.record('credential', 'failed', describeFailure('graph', e));
      return run.skip('service_connection', 'no client secret was made for it');
    }
    try {
      await this.devops.createAzureRmEndpoint({ ...(await this.endpointInput(plan, app)), secret: secret.secretText });
      run.record('credential', 'created', `client secret expiring ${secret.endDateTime.slice(0, 10)}, stored only in the connection`);
      run.record('service_connection', 'created');
    } catch (e) {
      const detail = describeFailure('devops', e, [secret.secretText]);
      // A secret nobody holds is only a liability: take it back so a retry starts clean.
      const removed = await removeSecret(this.graph, app, secret.keyId).then(() => true, () => false);
      run.record('credential', 'failed', removed ? 'the new secret was removed again because the connection could not be created' : `secret ${secret.keyId} could not be removed; remove it in Entra`);
      run.record('service_connection', 'failed', detail);
    }
  }

  private async endpointInput(plan: ServicePrincipalPlan, app: AppRef) {
    const subscriptionId = subscriptionOf(plan.scope);
    const subscriptionName = (await this.opts.subscriptionNameOf?.(subscriptionId)) ?? subscriptionId;
    return {
      name: plan.serviceConnectionName, armUrl: this.opts.armEndpoint, subscriptionId, subscriptionName,
      tenantId: this.opts.tenantId, appId: app.appId,
      description: `${plan.applicationName}: created by MLOps Bot for ${plan.project} (${plan.env})`,
    };
  }

  /** A connection of that name made for another application is reported, never taken over. */
  private ours<T extends { authorization?: { parameters?: Record<string, string> } }>(found: T, app: AppRef): T {
    const id = found.authorization?.parameters?.serviceprincipalid;
    if (id && id.toLowerCase() !== app.appId.toLowerCase()) {
      throw new Error(`a connection with this name already exists for application ${id}, not ${app.appId}; it was left unchanged (rename or delete it, then retry)`);
    }
    return found;
  }

  private otherScheme(found: { authorization?: { scheme?: string } }, scheme: string): string | undefined {
    const actual = found.authorization?.scheme;
    return actual && actual !== scheme ? `it uses ${actual} authentication; left unchanged` : undefined;
  }
}
