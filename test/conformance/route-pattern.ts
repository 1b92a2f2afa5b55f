/** Route patterns of spec path templates (test/conformance/openapi-check.ts). Not a test file. */

/**
 * One path segment: `{name}` values anywhere in it (`servicePrincipals(appId='{appId}')`); a Graph
 * action bound by its qualified name (`microsoft.graph.addPassword`) may be called unqualified, as
 * the Graph documentation writes it (OData's default namespace).
 */
export function segmentPattern(segment: string): string {
  const pattern = segment.split(/\{[^}]+\}/).map(escape).join('[^/]+?');
  return segment.startsWith('microsoft.graph.') ? `(microsoft\\.graph\\.)?${escape(segment.slice('microsoft.graph.'.length))}` : pattern;
}

export function routeRegex(segments: string[], optionalLast: boolean, multiSegment: Set<string>): RegExp {
  const parts = segments.map((s) => (multiSegment.has(s) ? '.+' : segmentPattern(s)));
  const last = parts.pop() ?? '';
  return new RegExp(`^/${parts.join('/')}${optionalLast ? `(/${last})?` : `/${last}`}/?$`, 'i');
}

export function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
