import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateName } from '../../src/core/cards/views';
import { TEMPLATE_DIR, templateNames } from '../../src/cards/templates';
import { sampleNames } from '../fixtures/cards/samples';

/** Compile-time: a new CardViews key without an entry here fails `tsc`. */
const ALL_TEMPLATES: Record<TemplateName, true> = {
  help: true, notice: true, error: true, models: true, model: true, compare: true, promotion: true, requests: true,
  release: true, releases: true, runs: true, 'run-failed': true, schedule: true, schedules: true,
  'service-principal': true, 'audit-entry': true, 'audit-list': true, whoami: true, subscriptions: true, digest: true,
};

/** Run-time: the keys of CardViews as written in views.ts (jest does not type-check). */
function cardViewKeys(): string[] {
  const src = readFileSync(join(__dirname, '../../src/core/cards/views.ts'), 'utf8');
  const body = /export interface CardViews \{([\s\S]*?)\n\}/.exec(src);
  if (!body) throw new Error('CardViews not found in views.ts');
  return [...body[1].matchAll(/^\s*'?([a-z][a-z0-9-]*)'?\s*:/gm)].map((m) => m[1]).sort();
}

function rawTemplate(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(TEMPLATE_DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Every string value in a JSON tree with the key it sits under. */
function strings(node: unknown, key = '', out: { key: string; value: string; parentType?: string }[] = [], parentType?: string) {
  if (typeof node === 'string') out.push({ key, value: node, parentType });
  else if (Array.isArray(node)) node.forEach((n) => strings(n, key, out, parentType));
  else if (node && typeof node === 'object') {
    const type = (node as { type?: unknown }).type;
    for (const [k, v] of Object.entries(node)) strings(v, k, out, typeof type === 'string' ? type : parentType);
  }
  return out;
}

describe('card templates', () => {
  it('has a template for every CardViews key and nothing else', () => {
    expect(cardViewKeys()).toEqual(Object.keys(ALL_TEMPLATES).sort());
    expect(templateNames()).toEqual(cardViewKeys());
  });

  it('has sample view data for every template', () => {
    expect(sampleNames()).toEqual(templateNames());
  });

  it.each(templateNames())('%s is an Adaptive Card 1.5 template', (name) => {
    const t = rawTemplate(name);
    expect(t.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
    expect(t.type).toBe('AdaptiveCard');
    expect(t.version).toBe('1.5');
    expect(Array.isArray(t.body)).toBe(true);
  });

  it.each(templateNames())('%s binds whole fields only where a non-string is intended', (name) => {
    const whole = strings(rawTemplate(name)).filter((s) => /^\$\{[^}]*\}$/.test(s.value));
    for (const s of whole) {
      const allowed = ['$data', '$when', 'data'].includes(s.key) || /^\$\{(string|if|setProperty)\(/.test(s.value);
      expect({ key: s.key, value: s.value, allowed }).toEqual({ key: s.key, value: s.value, allowed: true });
    }
  });

  it.each(templateNames())('%s puts data only where Teams does not parse markdown (TextRun)', (name) => {
    const bound = strings(rawTemplate(name)).filter((s) => s.key === 'text' && s.value.includes('${'));
    expect(bound.length).toBeGreaterThan(0);
    for (const s of bound) expect({ value: s.value, in: s.parentType }).toEqual({ value: s.value, in: 'TextRun' });
    const facts = strings(rawTemplate(name)).filter((s) => s.parentType === 'FactSet');
    expect(facts).toEqual([]);
  });
});
