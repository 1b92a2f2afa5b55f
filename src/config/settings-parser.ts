import type { parseDocument as ParseDocument } from 'yaml';
import type { BotSettings, EnvironmentSettings } from '../core/settings';
import { IssueList } from './config-error';
import { parseEnvironment } from './environment-parser';
import { parseFreezes } from './freeze-parser';
import { parseModelRules } from './model-rules-parser';
import { principals } from './principal-ids';
import { nearest } from '../core/commands/suggest';
import { Fields } from './yaml-fields';

const TOP_KEYS = ['devops', 'source', 'environments', 'promotionOrder', 'admins', 'models', 'freezes'];

/** Parses the YAML config (DESIGN §6) and validates it; throws one ConfigError listing every problem. */
export function parseBotSettings(yamlText: string, origin: string): BotSettings {
  const issues = new IssueList();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseDocument } = require('yaml') as { parseDocument: typeof ParseDocument };
  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: true });
  for (const e of doc.errors) {
    const at = e.linePos?.[0];
    const where = at ? `line ${at.line}, column ${at.col}` : 'YAML';
    const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').replace(/([^.])$/, '$1.');
    issues.add(where, message, 'correct the YAML syntax (indentation, quotes, colons).');
  }
  issues.throwIfAny(origin);
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) {
    issues.add('(top level)', 'the file is empty.', 'start from mlops.config.example.yaml.');
    issues.throwIfAny(origin);
  }
  return validateBotSettings(raw, origin);
}

/** Validates an already-parsed config object (the YAML's data model); used for the built-in demo too. */
export function validateBotSettings(raw: unknown, origin: string): BotSettings {
  const issues = new IssueList();
  const settings = check(raw, issues);
  issues.throwIfAny(origin);
  return settings as BotSettings;
}

function check(raw: unknown, issues: IssueList): BotSettings | undefined {
  const f = Fields.of(raw, '', issues, TOP_KEYS);
  if (!f) return undefined;

  let project: string | undefined;
  if (!f.has('devops')) issues.add('devops', 'is required but missing.', 'add devops: { project: <Azure DevOps project name> }.');
  else project = Fields.of(f.map.devops, 'devops', issues, ['project'])?.str('project', 'mlops-v2');

  const environments: EnvironmentSettings[] = [];
  const envItems = f.list('environments', true) ?? [];
  if (f.has('environments') && envItems.length === 0) issues.add('environments', 'is empty.', 'list at least the source environment.');
  const seen = new Map<string, string>();
  envItems.forEach(({ value, path }) => {
    const env = parseEnvironment(value, path, issues);
    if (!env) return;
    const first = seen.get(env.name.toLowerCase());
    if (first) issues.add(`${path}.name`, `"${env.name}" is already used by ${first}.`, 'give every environment its own name.');
    else seen.set(env.name.toLowerCase(), path);
    environments.push(env);
  });
  const names = environments.map((e) => e.name);
  const known = (name: string, path: string, what: string): string | undefined => {
    const hit = names.find((n) => n.toLowerCase() === name.toLowerCase());
    if (hit) return hit;
    if (environments.length === envItems.length) {
      const guess = nearest(name, names);
      issues.add(path, `"${name}" is not one of the environments (${names.join(', ') || 'none'}).`, guess ? `did you mean "${guess}"?` : `${what} must name an environment listed under environments.`);
    }
    return undefined;
  };

  const sourceName = f.str('source', 'dev');
  const source = sourceName === undefined ? undefined : known(sourceName, 'source', 'source');

  const promotionOrder: string[] = [];
  for (const { value, path } of f.list('promotionOrder', false) ?? []) {
    if (typeof value !== 'string') {
      issues.add(path, `expected an environment name but found ${JSON.stringify(value)}.`, 'list environment names, e.g. [dev, preprod, prod].');
      continue;
    }
    const name = known(value.trim(), path, 'each promotionOrder entry');
    if (name && promotionOrder.includes(name)) issues.add(path, `"${name}" appears twice.`, 'list each environment once.');
    else if (name) promotionOrder.push(name);
  }

  const adminItems = f.list('admins', false);
  const admins = adminItems ? principals(adminItems, issues) : [];
  const models = parseModelRules(f.list('models', false) ?? [], issues, known);
  const freezes = parseFreezes(f.list('freezes', false) ?? [], issues, known);
  if (project === undefined || source === undefined) return undefined;
  return {
    devops: { project }, source, environments, promotionOrder, admins,
    ...(models.length ? { models } : {}), ...(freezes.length ? { freezes } : {}),
  };
}
