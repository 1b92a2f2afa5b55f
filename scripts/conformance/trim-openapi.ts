/**
 * Trims an official OpenAPI 2.0 (Swagger) document to the operations the bot calls and the
 * definitions they reach, so the conformance suite can keep the subset in `test/conformance/specs/`.
 * Usage (from a local clone of the upstream repository):
 *   tsx scripts/conformance/trim-openapi.ts <owner/name> <git dir> <commit> <spec path> <operationId>... > out.json
 * The output names the repository, the path and the commit it was cut from.
 */
import { execFileSync } from 'node:child_process';
import { posix } from 'node:path';

type Json = Record<string, any>;

function main(): void {
  const [repository, repoDir, commit, specPath, ...operationIds] = process.argv.slice(2);
  if (!repository || !repoDir || !commit || !specPath || operationIds.length === 0) {
    throw new Error('usage: trim-openapi.ts <owner/name> <git dir> <commit> <spec path> <operationId>...');
  }
  const text = execFileSync('git', ['-C', repoDir, 'show', `${commit}:${specPath}`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const spec = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
  exampleAnswers = (ref) => {
    const file = posix.normalize(posix.join(posix.dirname(specPath), ref));
    try {
      const example = JSON.parse(execFileSync('git', ['-C', repoDir, 'show', `${commit}:${file}`], { encoding: 'utf8' }).replace(/^\uFEFF/, '')) as Json;
      return Object.values((example.responses ?? {}) as Json).map((r) => (r as Json).body).filter((b) => b !== undefined);
    } catch {
      return [];
    }
  };
  process.stdout.write(`${JSON.stringify(trim(spec, new Set(operationIds), { repository: `https://github.com/${repository}`, path: specPath, commit }), null, 1)}\n`);
}

let exampleAnswers: (ref: string) => unknown[] = () => [];

export function trim(spec: Json, wanted: Set<string>, source: Json): Json {
  const paths: Json = {};
  const found = new Set<string>();
  // `x-ms-paths` holds operations whose path differs only by query (`releases/{releaseId}?`).
  for (const [path, item] of [...Object.entries(spec.paths as Json), ...Object.entries((spec['x-ms-paths'] ?? {}) as Json)]) {
    for (const [method, op] of Object.entries(item as Json)) {
      if (method === 'parameters' || !wanted.has((op as Json).operationId)) continue;
      found.add((op as Json).operationId);
      paths[path] = { ...(paths[path] ?? {}), ...((item as Json).parameters ? { parameters: (item as Json).parameters } : {}), [method]: op };
    }
  }
  const missing = [...wanted].filter((id) => !found.has(id));
  if (missing.length) throw new Error(`operations not in the spec: ${missing.join(', ')}`);
  const definitions: Json = {};
  const parameters: Json = {};
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string') {
      const def = /^#\/definitions\/(.+)$/.exec(ref)?.[1];
      const par = /^#\/parameters\/(.+)$/.exec(ref)?.[1];
      if (def && !definitions[def]) { definitions[def] = spec.definitions[def]; visit(definitions[def]); }
      if (par && !parameters[par]) { parameters[par] = spec.parameters[par]; visit(parameters[par]); }
    }
    for (const [k, v] of Object.entries(node as Json)) if (k !== 'x-ms-examples') visit(v);
  };
  visit(paths);
  // The official examples stay as answers (recorded from the service, they name fields some schemas omit).
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item as Json)) {
      if (!op || typeof op !== 'object' || Array.isArray(op)) continue;
      const refs = Object.values(((op as Json)['x-ms-examples'] ?? {}) as Json).map((e) => (e as Json).$ref).filter((r): r is string => typeof r === 'string');
      delete (op as Json)['x-ms-examples'];
      const answers = refs.flatMap((ref) => exampleAnswers(ref));
      if (answers.length) (op as Json)['x-example-answers'] = answers;
    }
  }
  return {
    'x-trimmed-from': source,
    swagger: spec.swagger, info: { title: spec.info?.title, version: spec.info?.version }, host: spec.host, basePath: spec.basePath,
    paths, ...(Object.keys(parameters).length ? { parameters } : {}), definitions,
  };
}

if (require.main === module) main();
