/**
 * Checks recorded emulator exchanges against trimmed official OpenAPI 2.0 documents: the request's
 * method and path must be an operation of the spec, its api-version the spec's version, every
 * query parameter one the operation declares (and the required ones present), the body valid for
 * the body schema; the emulator's answer valid for the response schema of its status.
 * Documented facts of the Azure DevOps specs and wire are allowed for: requests may send an enum's
 * numeric value (what azure-devops-node-api sends and the service accepts); list answers come
 * wrapped as `{count, value}` where the spec describes the array; a bare `{type: object}` is the
 * generator's rendering of C# `object` (any JSON value); a trailing route value the service treats
 * as optional (`timeline/{timelineId}`) may be left out; `ReferenceLinks` (`_links`, rendered as
 * `{links}`) and `JObject` (Newtonsoft's arbitrary JSON) hold any fields; a field the schema omits
 * is known when the operation's official example (same spec folder, recorded from the service) has it; a property whose value is null in an
 * answer counts as absent (the service writes nulls for unset values; Swagger 2.0 cannot say nullable).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import type { EmulatorExchange } from '../../src/emulator/exchange';
import { CHECKED } from './spec-table';
import { escape, routeRegex } from './route-pattern';
import { forAjv, pickSubtype } from './swagger-semantics';

type Json = Record<string, any>;

export const SPEC_DIR = join(__dirname, 'specs');

interface Operation {
  spec: string;
  operationId: string;
  method: string;
  template: string;
  regex: RegExp;
  literalCount: number;
  version: string;
  /** The version is a path segment (Microsoft Graph `/v1.0`), not an api-version. */
  versionInPath: boolean;
  queryParams: { name: string; required: boolean; type?: string; enum?: unknown[]; numericEnum: boolean }[];
  validateBody?: ValidateFunction;
  bodySchema?: Json;
  responses: Map<string, ValidateFunction | null>;
  responseSchemas: Map<string, Json>;
  /** `parent/field` places the spec's official examples answer with (see placeOf). */
  exampleFields: Set<string>;
  doc: Json;
  responseIsArray: Map<string, boolean>;
}

export interface Violation { operation: string; where: 'request' | 'response'; problem: string }

/** Definitions the generator wrote for C# types that hold arbitrary JSON. */
const FREE_FORM = new Set(['ReferenceLinks', 'JObject']);

/** Operations whose last route value is optional on the service although the spec writes it as required. */
const OPTIONAL_LAST_SEGMENT = new Set(['Timeline_Get']);

/** An Azure ML workspace and what lies under it (ARM); the api-version picks the spec. */
const ML_WORKSPACE = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.MachineLearningServices\/workspaces\/[^/]+(\/|$)/i;

/**
 * The API areas each spec owns: an exchange in one of them must be an operation of that spec (of
 * the one for its api-version where several versions share an area).
 */
const AREAS: { spec: string; area: RegExp }[] = [
  // First: a metrics path sits under the resource it measures (an online endpoint of a workspace).
  { spec: 'monitor-metrics-2023-10-01.json', area: /\/providers\/Microsoft\.Insights\/metrics\/?$/i },
  { spec: 'ado-release-7.1.json', area: /^\/[^/]+\/[^/]+\/_apis\/release\//i },
  { spec: 'ado-pipelines-7.1.json', area: /^\/[^/]+\/[^/]+\/_apis\/pipelines(\/(?!approvals)|$)/i },
  { spec: 'ado-pipelines-approvals-7.2.json', area: /^\/[^/]+\/[^/]+\/_apis\/pipelines\/approvals/i },
  { spec: 'ado-build-7.1.json', area: /^\/[^/]+\/[^/]+\/_apis\/build\//i },
  { spec: 'ado-serviceendpoint-7.1.json', area: /^\/[^/]+(\/[^/]+)?\/_apis\/serviceendpoint\//i },
  { spec: 'ado-distributedtask-7.1.json', area: /^\/[^/]+\/[^/]+\/_apis\/distributedtask\//i },
  { spec: 'arm-ml-2022-10-01.json', area: ML_WORKSPACE },
  { spec: 'arm-ml-2024-04-01.json', area: ML_WORKSPACE },
  { spec: 'arm-authorization-roleassignments-2022-04-01.json', area: /\/providers\/Microsoft\.Authorization\/roleAssignments(\/|$)/i },
  { spec: 'arm-authorization-roledefinitions-2022-04-01.json', area: /\/providers\/Microsoft\.Authorization\/roleDefinitions(\/|$)/i },
  { spec: 'graph-v1.0.json', area: /^\/v1\.0\/(applications|servicePrincipals|users)(\/|\(|$)/i },
];

export function loadSpec(file: string): Json {
  return JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as Json;
}

export class SpecChecker {
  private readonly operations: Operation[] = [];

  constructor(specs: Record<string, Json> = Object.fromEntries([...new Set(CHECKED.map((c) => c.spec))].map((f) => [f, loadSpec(f)]))) {
    const requestAjv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
    const responseAjv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
    for (const [file, doc] of Object.entries(specs)) {
      requestAjv.addSchema(numericEnumsAllowed(forAjv(anyForBareObject(doc), { nullable: true })), file);
      responseAjv.addSchema(forAjv(anyForBareObject(doc), { nullable: false }), file);
      const wanted = new Set(CHECKED.filter((c) => c.spec === file).map((c) => c.operationId));
      for (const [template, item] of Object.entries(doc.paths as Json)) {
        for (const [method, op] of Object.entries(item as Json)) {
          if (method === 'parameters' || !wanted.has((op as Json).operationId)) continue;
          this.operations.push(this.operation(file, doc, template, method, op as Json, requestAjv, responseAjv));
        }
      }
    }
    // Literal segments win over parameters: `pipelines/approvals` before `pipelines/{pipelineId}`.
    this.operations.sort((a, b) => b.literalCount - a.literalCount);
  }

  private operation(file: string, doc: Json, template: string, method: string, op: Json, requestAjv: Ajv, responseAjv: Ajv): Operation {
    const params = [...((doc.paths[template] as Json).parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => resolveParam(doc, p));
    const bodyIndex = (op.parameters ?? []).findIndex((p: Json) => resolveParam(doc, p).in === 'body');
    const pointer = (...parts: (string | number)[]) => `${file}#/${['paths', template, method, ...parts].map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
    const responses = new Map<string, ValidateFunction | null>();
    const responseSchemas = new Map<string, Json>();
    const responseIsArray = new Map<string, boolean>();
    for (const [code, r] of Object.entries((op.responses ?? {}) as Json)) {
      responses.set(code, r.schema ? responseAjv.compile({ $ref: pointer('responses', code, 'schema') }) : null);
      if (r.schema) responseSchemas.set(code, r.schema);
      responseIsArray.set(code, r.schema?.type === 'array');
    }
    const base = String(doc.basePath ?? '').replace(/^\/+|\/+$/g, '');
    const segments = [...(base ? base.split('/') : []), ...template.replace(/\?.*$/, '').split('/').filter(Boolean)];
    // A path value sent unencoded (`x-ms-skip-url-encoding`, e.g. ARM's {scope}) spans several segments.
    const multiSegment = new Set(params.filter((p: Json) => p.in === 'path' && p['x-ms-skip-url-encoding']).map((p: Json) => `{${p.name}}`));
    return {
      spec: file, operationId: op.operationId, method: method.toUpperCase(), template,
      regex: routeRegex(segments, OPTIONAL_LAST_SEGMENT.has(op.operationId), multiSegment),
      literalCount: segments.filter((s) => !s.startsWith('{')).length,
      version: String(doc.info?.version ?? '').replace(/-preview$/, ''),
      versionInPath: base !== '' && base === String(doc.info?.version ?? ''),
      queryParams: params.filter((p: Json) => p.in === 'query').map((p: Json) => ({ name: p.name, required: Boolean(p.required), type: p.type, enum: p.enum, numericEnum: Boolean(p['x-ms-enum']) })),
      ...(bodyIndex >= 0 ? { validateBody: requestAjv.compile({ $ref: bodyPointer(file, op.parameters[bodyIndex]) ?? pointer('parameters', bodyIndex, 'schema') }), bodySchema: resolveParam(doc, op.parameters[bodyIndex]).schema } : {}),
      responses, responseSchemas, responseIsArray, doc, exampleFields: examplePlaces(doc),
    };
  }

  /** The spec operation an exchange is, null when no spec owns its area, or a violation. */
  match(ex: Pick<EmulatorExchange, 'method' | 'path'> & Partial<Pick<EmulatorExchange, 'query' | 'headers'>>): Operation | null | Violation {
    const specs = [...new Set(AREAS.filter(({ area }) => area.test(ex.path)).map(({ spec }) => spec))];
    if (specs.length === 0) return null;
    const onPath = this.operations.filter((o) => specs.includes(o.spec) && o.regex.test(ex.path));
    const asked = onPath.filter((o) => o.method === ex.method.toUpperCase());
    const version = apiVersionOf({ query: ex.query ?? {}, headers: ex.headers ?? {} });
    const op = asked.find((o) => o.version === version) ?? asked[0];
    if (op) return op;
    return { operation: `${ex.method} ${ex.path}`, where: 'request', problem: onPath.length ? `${ex.method} is not an operation of ${onPath[0].template} in ${onPath[0].spec}` : `no operation of ${specs.join(' or ')} has this path` };
  }

  /**
   * Exchanges the emulator refused (4xx/5xx) are the emulator doing its job with a bad request (tests
   * send some on purpose); what it accepted must be an operation of the spec, asked and answered as specified.
   */
  check(ex: EmulatorExchange): Violation[] {
    if (ex.status < 200 || ex.status >= 300) return [];
    const op = this.match(ex);
    if (op === null) return [];
    if (!('regex' in op)) return [op];
    const name = `${op.operationId} (${ex.method} ${ex.path})`;
    const out: Violation[] = [];
    const bad = (where: Violation['where'], problem: string) => out.push({ operation: name, where, problem });
    const version = apiVersionOf(ex);
    if (op.versionInPath) { if (version) bad('request', `api-version ${version} on an API versioned by its path`); } else if (!version) bad('request', 'no api-version');
    else if (!new RegExp(`^${escape(op.version)}(-preview(\\.\\d+)?)?$`).test(version)) {
      // Neither spec of the path has this version: what else would the request and answer be checked against?
      const versions = [...new Set(this.operations.filter((o) => o.operationId === op.operationId && o.template === op.template).map((o) => o.version))];
      bad('request', `api-version ${version} is not ${versions.join(' or ')} of the spec`);
      return out;
    }
    for (const key of Object.keys(ex.query)) {
      if (key === 'api-version') continue;
      const declared = op.queryParams.find((p) => p.name === key);
      if (!declared) bad('request', `query parameter ${key} is not declared (declared: ${op.queryParams.map((p) => p.name).join(', ') || 'none'})`);
      else if (!queryValueFits(ex.query[key], declared)) bad('request', `query parameter ${key}=${ex.query[key]} is not ${declared.enum ? `one of ${declared.enum.join('|')}` : `of type ${declared.type}`}`);
    }
    for (const p of op.queryParams) if (p.required && p.name !== 'api-version' && !(p.name in ex.query)) bad('request', `required query parameter ${p.name} is missing`);
    if (op.validateBody && ex.requestBody !== undefined && !op.validateBody(ex.requestBody)) bad('request', `body: ${errors(op.validateBody)}`);
    if (op.bodySchema && ex.requestBody !== undefined) for (const f of unknownFields(ex.requestBody, op.bodySchema, op.doc)) bad('request', `body field ${f} is not in the spec`);
    if (ex.status >= 200 && ex.status < 300) {
      const code = String(ex.status);
      const key = [code, `${code[0]}XX`, '200'].find((k) => op.responses.has(k)) ?? code;
      const validate = op.responses.get(key);
      if (!op.responses.has(key) && !op.responses.has('default')) bad('response', `status ${code} is not a response of the operation`);
      if (validate && ex.responseBody !== undefined) {
        const isArray = op.responseIsArray.get(key);
        const raw = isArray && isWrappedList(ex.responseBody) ? (ex.responseBody as { value: unknown }).value : ex.responseBody;
        const body = withoutODataControl(withoutNulls(raw), op.responseSchemas.get(key), op.doc);
        if (!validate(body)) bad('response', `body: ${errors(validate)}`);
        const schema = op.responseSchemas.get(key);
        if (schema) for (const f of unknownFields(body, schema, op.doc)) if (!op.exampleFields.has(placeOf(f)) && !op.exampleFields.has(placeOf(f).split('/').pop()!)) bad('response', `body field ${f} is not in the spec`);
      }
    }
    return out;
  }
}

function apiVersionOf(ex: Pick<EmulatorExchange, 'query' | 'headers'>): string | undefined {
  const fromAccept = /api-version=([0-9][^;,\s]*)/i.exec(ex.headers.accept ?? '')?.[1];
  return fromAccept ?? ex.query['api-version'];
}

/** A query value as its parameter declares it: an enum value (flags comma-separated; a number for an x-ms-enum, as azure-devops-node-api sends), an integer, a boolean. */
function queryValueFits(value: string, p: { type?: string; enum?: unknown[]; numericEnum: boolean }): boolean {
  if (p.enum) return value.split(',').every((v) => p.enum!.includes(v.trim()) || (p.numericEnum && /^\d+$/.test(v.trim())));
  if (p.type === 'integer') return /^-?\d+$/.test(value);
  if (p.type === 'boolean') return value === 'true' || value === 'false';
  return true;
}

function isWrappedList(body: unknown): boolean {
  return !!body && typeof body === 'object' && !Array.isArray(body) && Array.isArray((body as { value?: unknown }).value);
}

/**
 * Fields of an instance that its schema does not name (Swagger 2.0 schemas leave
 * additionalProperties open, so a renamed field would otherwise pass). Follows $ref and allOf;
 * stops where the schema allows any property (additionalProperties) or says nothing.
 */
export function unknownFields(instance: unknown, schema: Json | undefined, doc: Json, at = ''): string[] {
  const s = flatten(pickSubtype(schema, instance, doc), doc);
  if (!s || instance === null || typeof instance !== 'object') return [];
  if (Array.isArray(instance)) return s.items ? instance.slice(0, 50).flatMap((v, i) => unknownFields(v, s.items, doc, `${at}/${i}`)) : [];
  const props = s.properties as Json | undefined;
  const out: string[] = [];
  for (const [k, v] of Object.entries(instance as Json)) {
    if (props && k in props) out.push(...unknownFields(v, props[k], doc, `${at}/${k}`));
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') {
      if (holdsOnlyObjects(s.additionalProperties, doc) && (v === null || typeof v !== 'object' || Array.isArray(v))) out.push(`${at}/${k}`);
      else out.push(...unknownFields(v, s.additionalProperties, doc, `${at}/${k}`));
    }
    else if (props && !s.additionalProperties) out.push(`${at}/${k}`);
  }
  return out;
}

/**
 * Microsoft Graph's OpenAPI writes OData open types as `additionalProperties: {type: object}`: a
 * property the type does not declare may come, but only as an object (a renamed string or list
 * property is not one). Elsewhere (Azure DevOps) the same shape is C# `object`, any value.
 */
function holdsOnlyObjects(additional: Json, doc: Json): boolean {
  return doc.host === 'graph.microsoft.com' && additional.type === 'object' && Object.keys(additional).every((k) => k === 'type' || k === 'description');
}

/** The schema with $ref resolved and allOf members merged (properties and additionalProperties). */
function flatten(schema: Json | undefined, doc: Json, depth = 0): Json | undefined {
  if (!schema || depth > 20) return schema;
  if (typeof schema.$ref === 'string') {
    const name = /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1];
    return name && !FREE_FORM.has(name) ? flatten(doc.definitions?.[name], doc, depth + 1) : undefined;
  }
  if (!Array.isArray(schema.allOf)) return schema;
  const parts = [schema, ...schema.allOf.map((p: Json) => flatten(p, doc, depth + 1))].filter(Boolean) as Json[];
  const properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
  const additional = parts.find((p) => p.additionalProperties)?.additionalProperties;
  return { ...schema, allOf: undefined, properties, ...(additional ? { additionalProperties: additional } : {}) };
}

/** A field's place: the nearest named parent and the field (`/0/environments/1/demands` → `environments/demands`). */
function placeOf(path: string): string {
  const names = path.split('/').filter((p) => p !== '' && !/^\d+$/.test(p));
  return names.slice(-2).join('/');
}

const placesBySpec = new WeakMap<Json, Set<string>>();

/** Every place a field appears in any official example answer of the spec. */
function examplePlaces(doc: Json): Set<string> {
  const cached = placesBySpec.get(doc);
  if (cached) return cached;
  const out = new Set<string>();
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${at}/${i}`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Json)) {
      out.add(placeOf(`${at}/${k}`));
      walk(v, `${at}/${k}`);
    }
  };
  for (const item of Object.values(doc.paths as Json)) {
    for (const op of Object.values(item as Json)) {
      for (const a of ((op as Json)?.['x-example-answers'] ?? []) as unknown[]) walk(isWrappedList(a) ? (a as { value: unknown }).value : a, '');
    }
  }
  placesBySpec.set(doc, out);
  return out;
}

function withoutNulls(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNulls);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node as Json).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}

/** Where the schema of a body parameter declared once under `parameters` (and referenced) lives. */
function bodyPointer(file: string, p: Json): string | undefined {
  const ref = typeof p.$ref === 'string' ? /^#\/parameters\/(.+)$/.exec(p.$ref)?.[1] : undefined;
  return ref ? `${file}#/parameters/${ref.replace(/~/g, '~0').replace(/\//g, '~1')}/schema` : undefined;
}

function resolveParam(doc: Json, p: Json): Json {
  const ref = typeof p.$ref === 'string' ? /^#\/parameters\/(.+)$/.exec(p.$ref)?.[1] : undefined;
  return ref ? doc.parameters[ref] : p;
}

/**
 * OData JSON control information (`@odata.context`, `@odata.type`...) that the schema does not
 * declare: protocol annotations, not properties (OData JSON Format 4.01, section 4.5).
 */
function withoutODataControl(node: unknown, schema: Json | undefined, doc: Json): unknown {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node;
  const declared = new Set(Object.keys((flatten(schema, doc)?.properties ?? {}) as Json));
  return Object.fromEntries(Object.entries(node as Json).filter(([k]) => !k.startsWith('@odata.') || declared.has(k)));
}

/** A copy of the document where `{type: object}` with nothing else (C# `object`) accepts any value. */
function anyForBareObject(doc: Json): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const keys = Object.keys(node as Json).filter((k) => k !== 'description');
    if (keys.length === 1 && (node as Json).type === 'object') return {};
    return Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, walk(v)]));
  };
  return walk(doc) as Json;
}

/** A copy of the document where x-ms-enum string enums also accept an integer (request side only). */
function numericEnumsAllowed(doc: Json): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const o = Object.fromEntries(Object.entries(node as Json).map(([k, v]) => [k, k === 'enum' ? v : walk(v)]));
    if (Array.isArray(o.enum) && o['x-ms-enum']) {
      const { enum: values, type: _type, ...rest } = o;
      return { ...rest, anyOf: [{ type: 'string', enum: values }, { type: 'integer' }] };
    }
    return o;
  };
  return walk(doc) as Json;
}

function errors(validate: ValidateFunction): string {
  return (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

