/**
 * What `sp create` would find, read-only and before anything is created: the role resolved at the
 * scope (a BotError when the role or the scope does not exist), each piece already in place, and
 * the conflicts that would stop a run half-way (a service connection of that name bound to another
 * application). Independent lookups run side by side.
 */
import type { ServicePrincipalPlan, ServicePrincipalSurvey, SpStep } from '../../core/models';
import { findApplications, findServicePrincipal, hasFederatedCredential } from './applications';
import type { DevOpsClient } from './devops-client';
import type { GraphClient } from './graph-client';
import type { RoleAssigner } from './role-assignment';

export interface SurveyDeps { graph: GraphClient; roles: RoleAssigner; devops: DevOpsClient }

export async function surveyServicePrincipal(deps: SurveyDeps, plan: ServicePrincipalPlan): Promise<ServicePrincipalSurvey> {
  const [roleDefinitionId, apps, hasEnvironment, connection] = await Promise.all([
    plan.roleDefinitionId ? Promise.resolve(plan.roleDefinitionId) : deps.roles.roleDefinitionId(plan.scope, plan.role),
    findApplications(deps.graph, plan.applicationName),
    deps.devops.hasEnvironment(plan.env),
    deps.devops.findEndpoint(plan.serviceConnectionName),
  ]);
  const existing: SpStep[] = [];
  const blockers: string[] = [];
  const app = apps[0];
  if (app) existing.push('application');
  if (hasEnvironment) existing.push('devops_environment');
  const sp = app ? await findServicePrincipal(deps.graph, app.appId) : undefined;
  if (sp) existing.push('service_principal');
  if (sp && (await deps.roles.exists(plan.scope, sp.id, roleDefinitionId))) existing.push('role_assignment');
  if (connection) {
    const boundTo = connection.authorization?.parameters?.serviceprincipalid;
    if (boundTo && boundTo.toLowerCase() !== app?.appId.toLowerCase()) {
      blockers.push(`Service connection ${plan.serviceConnectionName} already exists for application ${boundTo}, not for ${plan.applicationName}; rename or delete it in Azure DevOps.`);
    } else {
      existing.push('service_connection');
      const params = connection.authorization?.parameters ?? {};
      const issuer = params.workloadIdentityFederationIssuer;
      const subject = params.workloadIdentityFederationSubject;
      const federated = connection.authorization?.scheme === 'WorkloadIdentityFederation';
      // A secret connection holds its credential; a federated one needs its issuer and subject on the app.
      if (!federated || (app && issuer && subject && (await hasFederatedCredential(deps.graph, app, issuer, subject)))) existing.push('credential');
    }
  }
  return { roleDefinitionId, existing, blockers };
}
