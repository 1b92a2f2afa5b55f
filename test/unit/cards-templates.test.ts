import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateName } from '../../src/core/cards/views';
import { TEMPLATE_DIR, templateNames } from '../../src/cards/templates';
import { TEXT_KEYS } from '../../src/cards/view-data';
import { sampleNames } from '../fixtures/cards/samples';

/** Compile-time: a new CardViews key without an entry here fails `tsc`. */
const ALL_TEMPLATES: Record<TemplateName, true> = {
  help: true, notice: true, error: true, models: true, model: true, compare: true, promotion: true, requests: true,
  release: true, releases: true, runs: true, 'run-failed': true, schedule: true, schedules: true,
  'service-principal': true, 'audit-entry': true, 'audit-list': true, whoami: true, subscriptions: true, digest: true, freezes: true,
  whereis: true, endpoints: true, rollback: true, rollout: true, rollouts: true, 'account-link': true,
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

/**
 * Whole-field bindings ("${x}") keep the type of x. Allowed: the templating keys, the action `data`
 * object, expressions that produce a string (string(), if()) or an object on purpose (setProperty),
 * and a bare field under a text key, which the expander turns into text whatever the data holds.
 */
function unsafeWholeFieldBindings(template: unknown): { key: string; value: string }[] {
  const whole = strings(template).filter((s) => /^\$\{[^}]*\}$/.test(s.value));
  return whole
    .filter((s) => {
      if (['$data', '$when', 'data'].includes(s.key) || /^\$\{(string|if|setProperty)\(/.test(s.value)) return false;
      return !(TEXT_KEYS.has(s.key) && /^\$\{[A-Za-z_$][\w$]*(\.[A-Za-z_]\w*)*\}$/.test(s.value));
    })
    .map(({ key, value }) => ({ key, value }));
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

  it.each(templateNames())('%s binds whole fields only where a non-string is intended or made text', (name) => {
    expect(unsafeWholeFieldBindings(rawTemplate(name))).toEqual([]);
  });

  it('flags a bare whole-field binding outside the text keys, or of an expression', () => {
    const unsafe = {
      type: 'AdaptiveCard',
      body: [
        { type: 'TextBlock', text: '${title}', size: '${size}' },
        { type: 'Image', url: '${url}', altText: '${facts}' },
        { type: 'TextRun', text: '${first(facts)}' },
      ],
    };
    expect(unsafeWholeFieldBindings(unsafe)).toEqual([
      { key: 'size', value: '${size}' },
      { key: 'altText', value: '${facts}' },
      { key: 'text', value: '${first(facts)}' },
    ]);
  });

  it.each(templateNames())('%s puts data only where Teams does not parse markdown (TextRun)', (name) => {
    const bound = strings(rawTemplate(name)).filter((s) => s.key === 'text' && s.value.includes('${'));
    expect(bound.length).toBeGreaterThan(0);
    for (const s of bound) expect({ value: s.value, in: s.parentType }).toEqual({ value: s.value, in: 'TextRun' });
    const facts = strings(rawTemplate(name)).filter((s) => s.parentType === 'FactSet');
    expect(facts).toEqual([]);
  });
});
