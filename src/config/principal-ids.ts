import { splitQualified } from '../core/identity';
import type { IssueList } from './config-error';
import { GUID } from './env-reader';

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;
const SLACK_USER = /^[UW][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const CLI_NAME = /^[A-Za-z0-9._-]+$/;

type Kind = 'person' | 'channel';

/** Checks one platform-qualified id; returns the problem and its fix, or null when fine. */
function qualifiedProblem(text: string, kind: Kind): [string, string] | null {
  const q = splitQualified(text);
  if (!q) {
    const what = kind === 'person' ? 'a platform-qualified user id (slack:U…, teams:<id>, cli:<name>), an email, or group:<Entra object id>' : 'a platform-qualified channel id (slack:C…, teams:<conversation id>, cli:<name>)';
    return [`"${text}" is not ${what}.`, `prefix the id with its platform, e.g. ${kind === 'person' ? 'slack:U0123ABCD' : 'slack:C0123ABCD'}.`];
  }
  const { platform, id } = q;
  if (id.trim() === '') return [`"${text}" has no id after "${platform}:".`, 'write the id after the prefix.'];
  if (platform === 'slack') {
    const pattern = kind === 'person' ? SLACK_USER : SLACK_CHANNEL;
    if (!pattern.test(id)) {
      const looks = kind === 'person' ? 'U0123ABCD (a member id, from the profile menu "Copy member ID")' : 'C0123ABCD (from the channel details; names like #general do not work)';
      return [`"${text}" is not a Slack ${kind === 'person' ? 'user' : 'channel'} id.`, `Slack ids look like ${looks}.`];
    }
  }
  if (platform === 'cli' && !CLI_NAME.test(id)) return [`"${text}" is not a valid local name.`, 'use letters, digits, dot, dash or underscore, e.g. cli:alice.'];
  return null;
}

/**
 * Validates and normalises a list of principals (users, emails, `group:<guid>`): emails and group
 * ids are lower-cased because they compare case-insensitively; platform ids are kept verbatim.
 */
export function principals(items: { value: unknown; path: string }[], issues: IssueList): string[] {
  return unique(items, issues, (text) => {
    if (text.toLowerCase().startsWith('group:')) {
      const guid = text.slice('group:'.length);
      return GUID.test(guid) ? `group:${guid.toLowerCase()}` : [`"${text}" is not group:<Entra object id>.`, 'use the group\'s Object ID (a GUID) from the Entra admin center.'];
    }
    if (EMAIL.test(text)) return text.toLowerCase();
    return qualifiedProblem(text, 'person') ?? text;
  });
}

export function channels(items: { value: unknown; path: string }[], issues: IssueList): string[] {
  return unique(items, issues, (text) => qualifiedProblem(text, 'channel') ?? text);
}

function unique(
  items: { value: unknown; path: string }[],
  issues: IssueList,
  check: (text: string) => string | [string, string],
): string[] {
  const out: string[] = [];
  for (const { value, path } of items) {
    if (typeof value !== 'string' || value.trim() === '') {
      issues.add(path, `expected an id in quotes but found ${JSON.stringify(value)}.`, 'write each entry as a string, e.g. "slack:U0123ABCD".');
      continue;
    }
    const result = check(value.trim());
    if (Array.isArray(result)) {
      issues.add(path, result[0], result[1]);
    } else if (out.includes(result)) {
      issues.add(path, `"${value.trim()}" is listed twice.`, 'remove the duplicate.');
    } else {
      out.push(result);
    }
  }
  return out;
}
