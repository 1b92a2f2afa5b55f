/**
 * The `service-principal` card in its two states: the plan (what `sp create` would do, with Confirm
 * and Cancel) and the result (what each step found or did). Both name the same steps the same way,
 * so an admin can compare what was promised with what happened.
 */
import { card, type ActionButton, type CardMessage, type Fact } from '../cards/views';
import type { ServicePrincipalPlan, ServicePrincipalResult, ServicePrincipalSurvey, SpStep, SpStepState } from '../models';

/**
 * What a Confirm button may carry. The click becomes command text, so each value must be a single
 * token that cannot open a flag or a quote; a plan outside these is confirmed by typing instead.
 */
export const CONFIRM_PATTERNS = {
  project: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  env: /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
  // No leading '-' anywhere: a value must never read as a flag, quoted or not.
  role: /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/,
  scope: /^[A-Za-z0-9/][A-Za-z0-9/._-]{0,299}$/,
} as const;

const STATE_TEXT: Record<SpStepState, string> = { created: 'created', existed: 'already existed', failed: 'FAILED', skipped: 'not attempted' };

export function stepLabel(step: SpStep, plan: ServicePrincipalPlan, project: string): string {
  switch (step) {
    case 'application': return `Entra application ${plan.applicationName}`;
    case 'service_principal': return 'Service principal';
    case 'role_assignment': return `${plan.role} on /${plan.scope}`;
    case 'service_connection': return `Service connection ${plan.serviceConnectionName} (${project})`;
    case 'credential': return plan.auth === 'federated' ? 'Federated credential' : 'Client secret';
    case 'devops_environment': return `Azure DevOps environment ${plan.env}`;
  }
}

function facts(plan: ServicePrincipalPlan, appId?: string): Fact[] {
  const auth = plan.auth === 'federated'
    ? 'Workload identity federation (no secret exists)'
    : 'Client secret with an expiry, stored only in the service connection (never shown)';
  return [
    { title: 'Application', value: plan.applicationName },
    ...(appId ? [{ title: 'Application (client) id', value: appId }] : []),
    { title: 'Service connection', value: plan.serviceConnectionName },
    { title: 'Role', value: plan.role },
    { title: 'Scope', value: `/${plan.scope}` },
    { title: 'Authentication', value: auth },
  ];
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
  return card('service-principal', {
    title: result.complete ? `Service principal for ${plan.project} in ${plan.env}` : `Service principal for ${plan.project} in ${plan.env}: incomplete`,
    subtitle: `Azure DevOps project ${devopsProject}`,
    facts: facts(plan, result.appId),
    steps: result.steps.map((s) => ({ step: label(s), state: STATE_TEXT[s.state], detail: s.detail ?? '' })),
    outcome: outcomeLine(result, label),
    actions: [],
  });
}

/** Steps in the order the identity adapter runs them, each saying whether it exists already. */
function plannedSteps(plan: ServicePrincipalPlan, survey: ServicePrincipalSurvey): { step: SpStep; state: string; detail: string }[] {
  const row = (step: SpStep, detail: string) => (survey.existing.includes(step)
    ? { step, state: 'already exists', detail: 'found; left as it is' }
    : { step, state: 'will create', detail });
  const connection = row('service_connection', 'workload identity federation, for this project only');
  const credential = plan.auth === 'federated'
    ? row('credential', "from the service connection's issuer and subject")
    : row('credential', 'with an expiry; goes only into the service connection');
  return [
    row('application', ''),
    row('service_principal', ''),
    row('role_assignment', ''),
    row('devops_environment', ''),
    ...(plan.auth === 'federated' ? [connection, credential] : [credential, connection]),
  ];
}

/** The exact data the Confirm button carries: the resolved role and scope, so it runs what was shown. */
export function confirmData(plan: ServicePrincipalPlan): Record<string, string> {
  return {
    project: plan.project, env: plan.env, role: plan.role, scope: `/${plan.scope}`,
    ...(plan.auth === 'secret' ? { secret: 'true' } : {}),
  };
}

function clickable(data: Record<string, string>): boolean {
  return (Object.keys(CONFIRM_PATTERNS) as (keyof typeof CONFIRM_PATTERNS)[]).every((k) => CONFIRM_PATTERNS[k].test(data[k] ?? ''));
}

export function servicePrincipalPlanCard(plan: ServicePrincipalPlan, devopsProject: string, survey: ServicePrincipalSurvey): CardMessage {
  const wide = /^subscriptions\/[^/]+$/i.test(plan.scope);
  const data = confirmData(plan);
  const blocked = survey.blockers.length > 0;
  const canClick = clickable(data) && !blocked;
  const actions: ActionButton[] = [
    ...(canClick ? [{ verb: 'confirm-sp', title: 'Confirm', data, style: 'positive' as const }] : []),
    { verb: 'cancel-sp', title: 'Cancel', data: { project: plan.project, env: plan.env } },
  ];
  return card('service-principal', {
    title: `Create service principal for ${plan.project} in ${plan.env}?`,
    subtitle: `Azure DevOps project ${devopsProject}. Nothing has been created yet.`,
    facts: facts(plan),
    steps: plannedSteps(plan, survey).map((s) => ({ step: stepLabel(s.step, plan, devopsProject), state: s.state, detail: s.detail })),
    outcome: blocked
      ? `Cannot go ahead: ${survey.blockers.join(' ')}`
      : (wide ? `${plan.role} applies to the whole subscription. ` : '') + (canClick
        ? 'Confirm to go ahead (admins only), or type the same command with --confirm.'
        : 'This role or scope cannot be confirmed with a button: type the same command with --confirm.'),
    actions,
  });
}
