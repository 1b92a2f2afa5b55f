/** Dates for cards: UTC, minute precision, the same on every surface and in every test. */
const pad = (n: number): string => String(n).padStart(2, '0');

export function formatDate(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatDateTime(d: Date | string | undefined): string {
  if (d === undefined) return '—';
  const date = typeof d === 'string' ? new Date(d) : d;
  if (Number.isNaN(date.getTime())) return '—';
  return `${formatDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** `5m ago`, `3h ago`, `2d ago`; `in 3h` for the future. */
export function formatAgo(d: Date | undefined, now: Date): string {
  if (d === undefined) return '—';
  const ms = now.getTime() - d.getTime();
  const abs = Math.abs(ms);
  let text: string;
  if (abs < 60_000) return 'just now';
  if (abs < 3_600_000) text = `${Math.floor(abs / 60_000)}m`;
  else if (abs < 86_400_000) text = `${Math.floor(abs / 3_600_000)}h`;
  else text = `${Math.floor(abs / 86_400_000)}d`;
  return ms >= 0 ? `${text} ago` : `in ${text}`;
}

/** Absolute time with the relative one after it: `2026-11-02 09:00 UTC (3h ago)`. */
export function formatWhen(d: Date | undefined, now: Date): string {
  return d === undefined ? '—' : `${formatDateTime(d)} (${formatAgo(d, now)})`;
}
