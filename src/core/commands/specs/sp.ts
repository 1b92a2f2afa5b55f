import type { CommandSpec } from '../types';

/** Grammar of `sp create` (DESIGN §5); the handler is attached where the capability is built. */
export const spCreateSpec: Omit<CommandSpec, 'handler'> = {
  name: 'sp create',
  summary: 'Service principal, role assignment and Azure DevOps service connection for an environment',
  usage: 'sp create <project> <env> [--role R] [--scope S] [--secret] [--confirm]',
  examples: ['sp create taxi-fare-regression prod', 'sp create taxi-fare-regression prod --confirm', 'sp create taxi-fare-regression preprod --role Reader'],
  args: [
    { name: 'project', required: true, description: 'Project name: the application and the service connection are both Azure-ARM-<Env>-<project>' },
    { name: 'env', required: true, description: 'Target environment' },
  ],
  flags: [
    { name: 'role', kind: 'string', description: 'Role to assign (default Contributor)' },
    { name: 'scope', kind: 'string', description: "Scope of the role (default the environment's resource group)" },
    { name: 'secret', kind: 'boolean', description: 'Use a client secret instead of workload identity federation' },
    { name: 'confirm', kind: 'boolean', description: 'Create it now; without it the card only shows what would be created' },
  ],
  permission: 'admin',
};
