/**
 * `sp create <project> <env>`: the Entra application and service principal, the role assignment and
 * the Azure DevOps service connection an environment's pipelines deploy with (mlops-v2 naming:
 * `Azure-ARM-<Env>-<project>` and `Azure-ARM-<Env>`). The identity adapter does the work and reports
 * each step; this handler plans, audits and renders the outcome.
 */
import { isAdmin } from '../access';
import { recordAudit } from '../audit/record';
import { card, type CardMessage } from '../cards/views';
import { BotError } from '../errors';
import type { ServicePrincipalPlan, ServicePrincipalResult, SpStepState } from '../models';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { environment, flag } from './lookup';
import { withHandler } from './registry';
import { spCreateSpec } from './specs/sp';
import type { CommandContext, CommandSpec, Outcome, ParsedArgs } from './types';

const PROJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ROLE = /^[A-Za-z0-9][A-Za-z0-9 ._()/-]{0,127}$/;

const capitalised = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function scopeOf(env: EnvironmentSettings, wanted: string | undefined): string {
  const { subscriptionId, resourceGroup } = env.workspace;
  const rg = `subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}`;
  if (wanted === undefined || /^(rg|resource-?group)$/i.test(wanted)) return rg;
  if (/^subscription$/i.test(wanted)) return `subscriptions/${subscriptionId}`;
  // Role assignment scopes go to the SDK without a leading slash (it would double the slash).
  const path = wanted.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  if (!/^subscriptions\/[0-9a-f-]{36}(\/[^\s/]+)*$/i.test(path)) {
    throw new BotError('usage', `--scope must be an Azure resource path under a subscription (got '${wanted.slice(0, 80)}').`, {
      remedy: `For example --scope /${rg}, --scope subscription or --scope resource-group.`,
    });
  }
  return path;
}

export function servicePrincipalPlan(settings: BotSettings, args: ParsedArgs): ServicePrincipalPlan {
  const project = args.positional.project ?? '';
  if (!PROJECT.test(project)) {
    throw new BotError('usage', `'${project.slice(0, 40)}' is not a usable project name.`, { remedy: 'Use letters, digits, . _ and - (up to 64), e.g. taxi-fare-regression.' });
  }
  const env = environment(settings, args.positional.env);
  const role = flag(args, 'role') ?? 'Contributor';
  if (!ROLE.test(role)) throw new BotError('usage', `'${role.slice(0, 40)}' is not a role name or id.`, { remedy: 'For example --role Contributor or --role Reader.' });
  const Env = capitalised(env.name);
  return {
    project, env: env.name,
    applicationName: `Azure-ARM-${Env}-${project}`,
    serviceConnectionName: `Azure-ARM-${Env}`,
    role, scope: scopeOf(env, flag(args, 'scope')),
    auth: args.flags.secret === true ? 'secret' : 'federated',
  };
}

const STATE_TEXT: Record<SpStepState, string> = { created: 'created', existed: 'already existed', failed: 'FAILED', skipped: 'not attempted' };

function stepLabel(step: ServicePrincipalResult['steps'][number]['step'], plan: ServicePrincipalPlan, project: string): string {
  switch (step) {
    case 'application': return `Entra application ${plan.applicationName}`;
    case 'service_principal': return 'Service principal';
    case 'role_assignment': return `${plan.role} on /${plan.scope}`;
    case 'service_connection': return `Service connection ${plan.serviceConnectionName} (${project})`;
    case 'credential': return plan.auth === 'federated' ? 'Federated credential' : 'Client secret';
    case 'devops_environment': return `Azure DevOps environment ${plan.env}`;
  }
}

function outcomeLine(result: ServicePrincipalResult, label: (s: ServicePrincipalResult['steps'][number]) => string): string {
  const made = result.steps.filter((s) => s.state === 'created');
  if (result.complete) {
    return made.length === 0 ? 'Everything already existed; nothing was changed.' : 'Everything is in place.';
  }
  const exists = result.steps.filter((s) => s.state === 'created' || s.state === 'existed').map(label);
  const missing = result.steps.filter((s) => s.state === 'failed' || s.state === 'skipped').map(label);
  return `Partly done. Exists now: ${exists.join('; ') || 'nothing'}. Did not happen: ${missing.join('; ')}. ` +
    'Run the same command again to complete it: what exists is found, not created twice.';
}

export function servicePrincipalCard(result: ServicePrincipalResult, devopsProject: string): CardMessage {
  const { plan } = result;
  const label = (s: ServicePrincipalResult['steps'][number]): string => stepLabel(s.step, plan, devopsProject);
  const auth = plan.auth === 'federated'
    ? 'Workload identity federation (no secret exists)'
    : 'Client secret with an expiry, stored only in the service connection (never shown)';
  return card('service-principal', {
    title: result.complete ? `Service principal for ${plan.project} in ${plan.env}` : `Service principal for ${plan.project} in ${plan.env}: incomplete`,
    subtitle: `Azure DevOps project ${devopsProject}`,
    facts: [
      { title: 'Application', value: plan.applicationName },
      ...(result.appId ? [{ title: 'Application (client) id', value: result.appId }] : []),
      { title: 'Service connection', value: plan.serviceConnectionName },
      { title: 'Role', value: plan.role },
      { title: 'Scope', value: `/${plan.scope}` },
      { title: 'Authentication', value: auth },
    ],
    steps: result.steps.map((s) => ({ step: label(s), state: STATE_TEXT[s.state], detail: s.detail ?? '' })),
    outcome: outcomeLine(result, label),
  });
}

async function createServicePrincipal(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
  const { caller, correlationId } = ctx.invocation;
  if (!(await isAdmin(caller, ctx.settings, ctx.ports.directory))) {
    throw new BotError('forbidden', '`sp create` is for admins only.', { remedy: 'Ask an admin to run it.' });
  }
  const plan = servicePrincipalPlan(ctx.settings, args);
  const audit = (action: string, detail: Record<string, unknown>) =>
    recordAudit(ctx.ports.store, ctx.settings, [{ action, actor: caller.id, env: plan.env, detail: { plan, ...detail }, correlationId }]);
  let result: ServicePrincipalResult;
  try {
    result = await ctx.ports.identityAdmin.ensureServicePrincipal(plan);
  } catch (error) {
    await audit('sp.failed', { error: error instanceof Error ? error.message.slice(0, 300) : String(error).slice(0, 300) });
    throw error;
  }
  await audit(result.complete ? 'sp.created' : 'sp.partial', {
    appId: result.appId ?? null,
    steps: result.steps.map((s) => ({ step: s.step, state: s.state, ...(s.detail ? { detail: s.detail } : {}) })),
  });
  return {
    status: result.complete ? 'ok' : 'failed',
    visibility: 'public',
    reply: servicePrincipalCard(result, ctx.settings.devops.project),
  };
}

export const spCreateCommand: CommandSpec = withHandler({
  ...spCreateSpec,
  usage: 'sp create <project> <env> [--role R] [--scope S|subscription|resource-group] [--secret]',
}, createServicePrincipal);
