/**
 * Links on cards come from view data; only http(s) may become a button or image, so a
 * `javascript:` or `file:` URL in data fails the render instead of reaching a client.
 */
export function assertSafeUrls(node: unknown, template: string): void {
  if (Array.isArray(node)) {
    for (const child of node) assertSafeUrls(child, template);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const el = node as Record<string, unknown>;
  if ((el.type === 'Action.OpenUrl' || el.type === 'Image') && !/^https?:\/\/[^\s]+$/i.test(String(el.url ?? ''))) {
    throw new Error(`card "${template}" has a ${String(el.type)} with a non-http(s) url`);
  }
  for (const value of Object.values(el)) assertSafeUrls(value, template);
}
