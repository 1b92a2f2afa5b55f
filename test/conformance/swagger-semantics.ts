/**
 * What Swagger 2.0 (as the Azure specs use it) means and JSON Schema does not say, so that Ajv and the
 * field check read the specs the way the services do:
 * - a definition with `discriminator` is one of the definitions that extend it (allOf) with its value in
 *   `x-ms-discriminator-value` (else the definition's name): `{jobType: "Pipeline"}` is a PipelineJob;
 * - `additionalProperties: false` sits on definitions that others extend through allOf, where JSON
 *   Schema would refuse the extension's own fields; closedness is checked field by field instead
 *   (unknownFields in openapi-check.ts), so Ajv does not get it;
 * - `x-nullable: true` allows null (requests; answers have their nulls set aside before checking);
 * - `{"x-trimmed": "#/definitions/Name"}` is a definition left out of the trimmed spec: any value.
 */
type Json = Record<string, any>;

export interface Subtype { name: string; value: string }

const subtypeCache = new WeakMap<Json, Map<string, Subtype[]>>();

/** Each discriminated definition and the definitions that extend it directly. */
export function subtypesOf(doc: Json): Map<string, Subtype[]> {
  const cached = subtypeCache.get(doc);
  if (cached) return cached;
  const defs = (doc.definitions ?? {}) as Json;
  const out = new Map<string, Subtype[]>();
  for (const [name, def] of Object.entries(defs)) {
    for (const part of ((def as Json).allOf ?? []) as Json[]) {
      const base = refName(part);
      if (!base || !defs[base]?.discriminator) continue;
      out.set(base, [...(out.get(base) ?? []), { name, value: String((def as Json)['x-ms-discriminator-value'] ?? name) }]);
    }
  }
  subtypeCache.set(doc, out);
  return out;
}

/** For a discriminated definition, the schema of the subtype the instance names; else the schema itself. */
export function pickSubtype(schema: Json | undefined, instance: unknown, doc: Json): Json | undefined {
  const name = schema ? refName(schema) : undefined;
  const def = name ? doc.definitions?.[name] : undefined;
  if (!name || !def?.discriminator || !instance || typeof instance !== 'object') return schema;
  const value = (instance as Json)[def.discriminator];
  const sub = subtypesOf(doc).get(name)?.find((s) => s.value === value);
  return sub ? { $ref: `#/definitions/${sub.name}` } : schema;
}

/** A copy of the document for Ajv with the meanings above; `nullable` for request bodies. */
export function forAjv(doc: Json, opts: { nullable: boolean }): Json {
  const copy = JSON.parse(JSON.stringify(doc)) as Json;
  const defs = (copy.definitions ?? {}) as Json;
  for (const [base, subs] of subtypesOf(doc)) {
    const disc = defs[base].discriminator as string;
    defs[`${base}__base`] = defs[base];
    for (const { name, value } of subs) {
      const sub = defs[name] as Json;
      sub.allOf = (sub.allOf as Json[]).map((p) => (refName(p) === base ? { $ref: `#/definitions/${base}__base` } : p));
      sub.properties = { ...(sub.properties ?? {}), [disc]: { enum: [value] } };
    }
    defs[base] = { anyOf: subs.map(({ name }) => ({ $ref: `#/definitions/${name}` })) };
  }
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const o = Object.fromEntries(Object.entries(node as Json).filter(([k, v]) => !(k === 'additionalProperties' && v === false)).map(([k, v]) => [k, k === 'enum' ? v : walk(v)]));
    if (opts.nullable && o['x-nullable'] === true) {
      const { 'x-nullable': _n, ...rest } = o;
      return { anyOf: [{ type: 'null' }, rest] };
    }
    return o;
  };
  return walk(copy) as Json;
}

function refName(schema: Json): string | undefined {
  return typeof schema.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(schema.$ref)?.[1] : undefined;
}
