/**
 * Key-based redaction: values under secret-looking keys are replaced at any depth, so a header map,
 * an SDK error's request or a config fragment logged whole does not carry credentials out.
 * Keys like `idempotencyKey` or `dedupeKey` stay readable on purpose: they are needed to debug the outbox.
 */
const EXACT = /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|pwd|secret|token|key|pat|sig|signature|x-slack-signature|credentials?|connection-?string)$/i;
const CONTAINS = /(password|passwd|secret|token|authorization|cookie|credential|connectionstring|privatekey|private_key)/i;
const KEY_SUFFIX = /(api|access|primary|secondary|shared|private|subscription|eventgrid|master|signing|account|storage|hook)[-_]?key$/i;
/** Environment-variable style names (`AZURE_DEVOPS_PAT`, `EVENTGRID_KEY`). */
const ENV_STYLE = /^[A-Z0-9_]*_(PAT|KEY)$/;

export const REDACTED = '[redacted]';
const MAX_DEPTH = 10;

export function isSecretKey(key: string): boolean {
  return EXACT.test(key) || CONTAINS.test(key) || KEY_SUFFIX.test(key) || ENV_STYLE.test(key);
}

/** Errors become plain objects (type, message, stack, own fields, cause) so their fields are walked too. */
function errorToObject(e: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.name, message: e.message, stack: e.stack };
  for (const [k, v] of Object.entries(e)) out[k] = v;
  if (e.cause !== undefined) out.cause = e.cause;
  return out;
}

/** A redacted deep copy; the caller's object is never modified. */
export function redactKeys(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Error)) {
    // Dates, Secrets, URLs and the like already know how to become JSON (a Secret becomes [redacted]).
    return redactKeys((value as { toJSON(): unknown }).toJSON(), depth, seen);
  }
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => redactKeys(v, depth + 1, seen));
    const source = value instanceof Error ? errorToObject(value) : (value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(source)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactKeys(v, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}
