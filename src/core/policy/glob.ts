/**
 * Model-name globs of `models:` rules: `*` any run of characters, `?` one character, everything
 * else literal; case-insensitive, like environment names, so `Taxi-*` and `taxi-*` mean the same.
 */
const cache = new Map<string, RegExp>();

export function isGlob(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

export function globMatches(pattern: string, name: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    re = new RegExp(`^${body}$`, 'i');
    cache.set(pattern, re);
  }
  return re.test(name);
}
