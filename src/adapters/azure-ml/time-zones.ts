/**
 * Azure ML schedule triggers take Windows time-zone names; users type IANA names. This table
 * covers the common zones (the first IANA name of each Windows zone is the one shown back).
 */
import { BotError } from '../../core/errors';

const WINDOWS_BY_IANA: Record<string, string> = {
  'UTC': 'UTC', 'Etc/UTC': 'UTC', 'Etc/GMT': 'UTC', 'GMT': 'UTC',
  'Europe/London': 'GMT Standard Time', 'Europe/Dublin': 'GMT Standard Time', 'Europe/Lisbon': 'GMT Standard Time',
  'Europe/Paris': 'Romance Standard Time', 'Europe/Brussels': 'Romance Standard Time', 'Europe/Madrid': 'Romance Standard Time',
  'Europe/Copenhagen': 'Romance Standard Time',
  'Europe/Berlin': 'W. Europe Standard Time', 'Europe/Amsterdam': 'W. Europe Standard Time', 'Europe/Rome': 'W. Europe Standard Time',
  'Europe/Vienna': 'W. Europe Standard Time', 'Europe/Stockholm': 'W. Europe Standard Time', 'Europe/Oslo': 'W. Europe Standard Time',
  'Europe/Zurich': 'W. Europe Standard Time',
  'Europe/Warsaw': 'Central European Standard Time', 'Europe/Zagreb': 'Central European Standard Time',
  'Europe/Prague': 'Central Europe Standard Time', 'Europe/Budapest': 'Central Europe Standard Time',
  'Europe/Athens': 'GTB Standard Time', 'Europe/Bucharest': 'GTB Standard Time',
  'Europe/Helsinki': 'FLE Standard Time', 'Europe/Kyiv': 'FLE Standard Time', 'Europe/Kiev': 'FLE Standard Time',
  'Europe/Istanbul': 'Turkey Standard Time', 'Europe/Moscow': 'Russian Standard Time',
  'America/New_York': 'Eastern Standard Time', 'America/Toronto': 'Eastern Standard Time', 'America/Detroit': 'Eastern Standard Time',
  'America/Chicago': 'Central Standard Time', 'America/Winnipeg': 'Central Standard Time',
  'America/Mexico_City': 'Central Standard Time (Mexico)',
  'America/Denver': 'Mountain Standard Time', 'America/Edmonton': 'Mountain Standard Time',
  'America/Phoenix': 'US Mountain Standard Time',
  'America/Los_Angeles': 'Pacific Standard Time', 'America/Vancouver': 'Pacific Standard Time',
  'America/Anchorage': 'Alaskan Standard Time', 'Pacific/Honolulu': 'Hawaiian Standard Time',
  'America/Halifax': 'Atlantic Standard Time', 'America/Sao_Paulo': 'E. South America Standard Time',
  'America/Argentina/Buenos_Aires': 'Argentina Standard Time', 'America/Bogota': 'SA Pacific Standard Time',
  'America/Lima': 'SA Pacific Standard Time', 'America/Santiago': 'Pacific SA Standard Time',
  'Asia/Tokyo': 'Tokyo Standard Time', 'Asia/Seoul': 'Korea Standard Time',
  'Asia/Shanghai': 'China Standard Time', 'Asia/Hong_Kong': 'China Standard Time',
  'Asia/Singapore': 'Singapore Standard Time', 'Asia/Kuala_Lumpur': 'Singapore Standard Time', 'Asia/Manila': 'Singapore Standard Time',
  'Asia/Taipei': 'Taipei Standard Time',
  'Asia/Kolkata': 'India Standard Time', 'Asia/Calcutta': 'India Standard Time',
  'Asia/Dubai': 'Arabian Standard Time', 'Asia/Riyadh': 'Arab Standard Time', 'Asia/Jerusalem': 'Israel Standard Time',
  'Asia/Karachi': 'Pakistan Standard Time', 'Asia/Dhaka': 'Bangladesh Standard Time',
  'Asia/Bangkok': 'SE Asia Standard Time', 'Asia/Jakarta': 'SE Asia Standard Time', 'Asia/Ho_Chi_Minh': 'SE Asia Standard Time',
  'Australia/Sydney': 'AUS Eastern Standard Time', 'Australia/Melbourne': 'AUS Eastern Standard Time',
  'Australia/Brisbane': 'E. Australia Standard Time', 'Australia/Perth': 'W. Australia Standard Time',
  'Australia/Adelaide': 'Cen. Australia Standard Time', 'Pacific/Auckland': 'New Zealand Standard Time',
  'Africa/Johannesburg': 'South Africa Standard Time', 'Africa/Cairo': 'Egypt Standard Time',
  'Africa/Lagos': 'W. Central Africa Standard Time', 'Africa/Nairobi': 'E. Africa Standard Time',
  'Africa/Casablanca': 'Morocco Standard Time',
};

const IANA_BY_LOWER = new Map(Object.keys(WINDOWS_BY_IANA).map((k) => [k.toLowerCase(), k]));
const IANA_BY_WINDOWS = new Map<string, string>();
for (const [iana, win] of Object.entries(WINDOWS_BY_IANA)) if (!IANA_BY_WINDOWS.has(win.toLowerCase())) IANA_BY_WINDOWS.set(win.toLowerCase(), iana);
const WINDOWS_BY_LOWER = new Map([...new Set(Object.values(WINDOWS_BY_IANA))].map((w) => [w.toLowerCase(), w]));

export const SUPPORTED_TIME_ZONES = Object.keys(WINDOWS_BY_IANA);

/** IANA (or an already-Windows) name → Windows name; empty → UTC; unknown → a usage error. */
export function toWindowsTimeZone(zone: string | undefined): string {
  const z = (zone ?? '').trim();
  if (!z) return 'UTC';
  const iana = IANA_BY_LOWER.get(z.toLowerCase());
  if (iana) return WINDOWS_BY_IANA[iana];
  const windows = WINDOWS_BY_LOWER.get(z.toLowerCase());
  if (windows) return windows;
  throw new BotError('usage', `Unknown time zone "${zone}".`, {
    remedy: 'Use an IANA name such as Europe/Paris, America/New_York or UTC.',
  });
}

/** Windows name → the IANA name users know; a zone outside the table is shown as Azure has it. */
export function toIanaTimeZone(windows: string | undefined): string {
  const w = (windows ?? '').trim();
  if (!w) return 'UTC';
  return IANA_BY_WINDOWS.get(w.toLowerCase()) ?? w;
}
