import { BotError } from '../core/errors';

/** One problem in the configuration: where it is, what is wrong, how to fix it. */
export interface ConfigIssue {
  /** Field path (`environments[1].approval.minApprovals`) or variable name (`SLACK_SIGNING_SECRET`). */
  path: string;
  problem: string;
  fix?: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const fix = issue.fix ? ` Fix: ${issue.fix}` : '';
  return `${issue.path}: ${issue.problem}${fix}`;
}

/** Every problem found in one configuration source, reported together so one edit can fix them all. */
export class ConfigError extends BotError {
  readonly origin: string;
  readonly issues: readonly ConfigIssue[];

  constructor(origin: string, issues: ConfigIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    const lines = issues.map((i) => `  - ${formatIssue(i)}`).join('\n');
    super('config_invalid', `Invalid configuration in ${origin} (${count}):\n${lines}`, {
      remedy: `Correct ${origin} as described and start the bot again.`,
      details: { origin, issues: issues.map(formatIssue) },
    });
    this.name = 'ConfigError';
    this.origin = origin;
    this.issues = issues;
  }
}

/** Collects issues while a whole source is checked, then throws them all at once. */
export class IssueList {
  readonly items: ConfigIssue[] = [];

  add(path: string, problem: string, fix?: string): void {
    this.items.push({ path, problem, fix });
  }

  throwIfAny(origin: string): void {
    if (this.items.length > 0) throw new ConfigError(origin, this.items);
  }
}
