/**
 * `sp create <project> <env>`: the Entra application and service principal, the role assignment and
 * the Azure DevOps service connection an environment's pipelines deploy with. Both are named
 * `Azure-ARM-<Env>-<project>` (the mlops-v2 application name): one connection per project, so
 * several projects deploy to one environment, each with its own identity and role. The identity
 * adapter surveys first (role and scope resolved, what exists found, conflicts found) and only then
 * creates, reporting each step; this handler plans, audits and renders the outcome. Without
 * `--confirm` it only shows the plan with Confirm/Cancel buttons and changes nothing.
 */
import { isAdmin } from '../access';
import { recordAudit } from '../audit/record';
import { BotError } from '../errors';
import type { ServicePrincipalPlan, ServicePrincipalResult } from '../models';
import type { BotSettings, EnvironmentSettings } from '../settings';
import { environment, flag } from './lookup';
import { withHandler } from './registry';
import { spCreateSpec } from './specs/sp';
import { servicePrincipalCard, servicePrincipalPlanCard } from './sp-view';
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
    // Per project, like the application: a per-environment name can hold only one project's identity.
    serviceConnectionName: `Azure-ARM-${Env}-${project}`,
    role, scope: scopeOf(env, flag(args, 'scope')),
    auth: args.flags.secret === true ? 'secret' : 'federated',
  };
}

async function createServicePrincipal(ctx: CommandContext, args: ParsedArgs): Promise<Outcome> {
  const { caller, correlationId } = ctx.invocation;
  if (!(await isAdmin(caller, ctx.settings, ctx.ports.directory))) {
    throw new BotError('forbidden', '`sp create` is for admins only.', { remedy: 'Ask an admin to run it.' });
  }
  const planned = servicePrincipalPlan(ctx.settings, args);
  // Read-only, and before anything exists: a bad role or scope, or a name taken by another
  // application, is found here rather than after half of the pieces were made.
  const survey = await ctx.ports.identityAdmin.survey(planned);
  const plan = { ...planned, roleDefinitionId: survey.roleDefinitionId };
  // Nothing happened yet, so nothing is audited: the Confirm click is audited when it runs.
  if (args.flags.confirm !== true) {
    return { status: 'ok', visibility: 'public', reply: servicePrincipalPlanCard(plan, ctx.settings.devops.project, survey) };
  }
  if (survey.blockers.length > 0) {
    throw new BotError('conflict', `Nothing was created: ${survey.blockers.join(' ')}`, {
      remedy: 'Resolve that first (or pick another project name), then run the same command again.',
      details: { plan: planned },
    });
  }
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
  usage: 'sp create <project> <env> [--role R] [--scope S|subscription|resource-group] [--secret] [--confirm]',
}, createServicePrincipal);

export { servicePrincipalCard } from './sp-view';
