/**
 * Structural checks of the Bicep in infra/ without a Bicep compiler (none offline): names used but
 * never declared, module paths and parameters, and the app settings against what the bot reads.
 */
import { posix } from 'node:path';

export type Files = Map<string, string>;

const KEYWORDS = ['param', 'var', 'resource', 'module', 'output', 'existing', 'for', 'in', 'if', 'true', 'false',
  'null', 'string', 'int', 'bool', 'object', 'array', 'targetScope', 'type', 'func', 'import'];
/** Bicep functions this deployment may call; a misspelt one is reported like any unknown name. */
const FUNCTIONS = ['resourceGroup', 'subscription', 'tenant', 'uniqueString', 'take', 'toLower', 'toUpper', 'replace',
  'concat', 'empty', 'filter', 'map', 'items', 'uriComponent', 'guid', 'subscriptionResourceId', 'resourceId',
  'union', 'format', 'contains', 'length', 'split', 'environment', 'first', 'last', 'join', 'trim', 'startsWith',
  'endsWith', 'any', 'newGuid'];
const BUILTINS = new Set([...KEYWORDS, ...FUNCTIONS]);

/** Removes comments; string literals become `''` with their interpolations kept as code. */
export function codeOf(text: string): string {
  let out = '';
  let i = 0;
  const code = (stopAtBrace: boolean): void => {
    let depth = 0;
    while (i < text.length) {
      const c = text[i];
      if (text.startsWith('//', i)) { while (i < text.length && text[i] !== '\n') i++; continue; }
      if (text.startsWith('/*', i)) { const end = text.indexOf('*/', i + 2); i = end < 0 ? text.length : end + 2; continue; }
      if (text.startsWith("'''", i)) { const end = text.indexOf("'''", i + 3); i = end < 0 ? text.length : end + 3; out += "''"; continue; }
      if (c === "'") { i++; literal(); continue; }
      if (c === '{') depth++;
      if (c === '}') {
        if (stopAtBrace && depth === 0) { i++; return; }
        depth--;
      }
      out += c;
      i++;
    }
  };
  const literal = (): void => {
    out += "'";
    while (i < text.length && text[i] !== "'") {
      if (text[i] === '\\') i += 2;
      else if (text.startsWith('${', i)) { i += 2; out += ' '; code(true); out += ' '; }
      else i++;
    }
    i++;
    out += "'";
  };
  code(false);
  return out;
}

/** Removes line and block comments, leaving string literals (which may hold `//` in URLs) intact. */
export function withoutComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    if (!inString && text.startsWith('//', i)) { while (i < text.length && text[i] !== '\n') i++; out += '\n'; continue; }
    if (!inString && text.startsWith('/*', i)) { const end = text.indexOf('*/', i + 2); i = end < 0 ? text.length : end + 1; continue; }
    if (text[i] === '\\' && inString) { out += text.slice(i, i + 2); i++; continue; }
    if (text[i] === "'") inString = !inString;
    out += text[i];
  }
  return out;
}

function declarations(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/^\s*(?:param|var|resource|module|output|type|func)\s+([A-Za-z_]\w*)/gm)) names.add(m[1]);
  for (const m of code.matchAll(/\bfor\s+\(?\s*([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s*\)?\s+in\b/g)) {
    names.add(m[1]);
    if (m[2]) names.add(m[2]);
  }
  for (const m of code.matchAll(/\(?\s*([A-Za-z_]\w*)(?:\s*,\s*([A-Za-z_]\w*))?\s*\)?\s*=>/g)) {
    names.add(m[1]);
    if (m[2]) names.add(m[2]);
  }
  return names;
}

/** Identifiers used as values: not object keys (line-leading `key:`), not `.member`, not `@decorator`. */
function references(code: string): string[] {
  const body = code.replace(/^(\s*)[A-Za-z_]\w*(\s*:)/gm, (_, a: string, b: string) => `${a}${b}`);
  return [...body.matchAll(/(?<![.\w@])[A-Za-z_]\w*/g)].map((m) => m[0]);
}

/** Top-level keys of the `{…}` that opens at `start` (nested objects and arrays dropped). */
function blockAt(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '{' || text[i] === '[') depth++;
    if (text[i] === '}' || text[i] === ']') depth--;
    if (depth === 0) return text.slice(start + 1, i);
  }
  return text.slice(start + 1);
}

function topLevelKeys(block: string): string[] {
  let flat = block;
  for (let prev = ''; prev !== flat;) { prev = flat; flat = flat.replace(/\{[^{}[\]]*\}|\[[^{}[\]]*\]/g, '0'); }
  return [...flat.matchAll(/^\s*([A-Za-z_]\w*)\s*:/gm)].map((m) => m[1]);
}

export interface ModuleParam { name: string; hasDefault: boolean }

export function paramsOf(text: string): ModuleParam[] {
  return [...codeOf(text).matchAll(/^\s*param\s+([A-Za-z_]\w*)\s+\w+(\s*=)?/gm)].map((m) => ({ name: m[1], hasDefault: !!m[2] }));
}

/** Every structural problem of the Bicep files (paths relative to the repo). */
export function bicepProblems(files: Files): string[] {
  const problems: string[] = [];
  for (const [path, raw] of files) {
    if (!path.endsWith('.bicep')) continue;
    const text = withoutComments(raw);
    const code = codeOf(text);
    const declared = declarations(code);
    const refs = references(code);
    for (const name of new Set(refs)) {
      if (!declared.has(name) && !BUILTINS.has(name)) problems.push(`${path}: "${name}" is used but not declared`);
    }
    for (const p of paramsOf(text)) {
      if (refs.filter((r) => r === p.name).length < 2) problems.push(`${path}: param ${p.name} is never used`);
    }
    for (const m of text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=\s*\{/gm)) {
      const target = posix.normalize(posix.join(posix.dirname(path), m[2]));
      const moduleText = files.get(target);
      if (moduleText === undefined) { problems.push(`${path}: module ${m[1]} points at missing ${target}`); continue; }
      const body = blockAt(text, m.index + m[0].length - 1);
      const at = body.search(/^\s*params\s*:\s*\{/m);
      const passed = at < 0 ? [] : topLevelKeys(blockAt(body, body.indexOf('{', at)));
      const declaredParams = paramsOf(moduleText);
      for (const key of passed) {
        if (!declaredParams.some((p) => p.name === key)) problems.push(`${path}: module ${m[1]} passes ${key}, which ${target} does not declare`);
      }
      for (const p of declaredParams) {
        if (!p.hasDefault && !passed.includes(p.name)) problems.push(`${path}: module ${m[1]} does not pass required ${p.name}`);
      }
    }
  }
  return problems;
}

/** App setting names written as `{ name: 'X' value: … }` (optionally only inside `var <only> = [ … ]`). */
export function settingNames(raw: string, only?: string): string[] {
  const text = withoutComments(raw);
  let scope = text;
  if (only) {
    const m = new RegExp(`^var\\s+${only}\\s*=\\s*\\[`, 'm').exec(text);
    scope = m ? blockAt(text, m.index + m[0].length - 1) : '';
  }
  return [...scope.matchAll(/\{\s*name:\s*'([^']+)'\s*value:/g)].map((m) => m[1]);
}

/** Environment variables src/config/runtime-env.ts reads. */
export function variablesRead(runtimeEnv: string): string[] {
  return [...runtimeEnv.matchAll(/\b(?:r\.(?:text|secret|url|int|oneOf|duration)\(|flag\(r,\s*)'([A-Za-z_]\w*)'/g)].map((m) => m[1]);
}

/** Variable names of the README's configuration table (first cell of each row, in backticks). */
export function readmeVariables(readme: string): string[] {
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  const table = section.split(/\n\n/).find((p) => p.includes('| variable |')) ?? '';
  return table.split('\n').filter((l) => l.startsWith('| `'))
    .flatMap((l) => [...l.split('|')[1].matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]));
}
