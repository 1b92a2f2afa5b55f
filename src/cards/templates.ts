import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Template } from 'adaptivecards-templating';

/** Resolved from this file, not the working directory, so tsx, jest and a packaged build agree. */
export const TEMPLATE_DIR = resolve(__dirname, '..', '..', 'cards');

interface Loaded { name: string; template: Template; raw: unknown }
const cache = new Map<string, Loaded>();

export function templateNames(): string[] {
  return readdirSync(TEMPLATE_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Parsed and prepared once per process; Template.expand resets its own state, so reuse is safe. */
export function loadTemplate(name: string): Loaded {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`invalid card template name "${name}"`);
  const raw: unknown = JSON.parse(readFileSync(join(TEMPLATE_DIR, `${name}.json`), 'utf8'));
  const card = raw as { type?: unknown; version?: unknown };
  if (card.type !== 'AdaptiveCard' || card.version !== '1.5') {
    throw new Error(`card template ${name} must be an AdaptiveCard version 1.5`);
  }
  // The templating engine (with its expression language) loads with the first card, not at start-up.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Template: Engine } = require('adaptivecards-templating') as typeof import('adaptivecards-templating');
  const loaded = { name, template: new Engine(raw), raw };
  cache.set(name, loaded);
  return loaded;
}
