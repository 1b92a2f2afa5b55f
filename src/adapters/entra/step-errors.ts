/** What a failed step says on the card: the service, the status and code, the message, and what to check. */
import { GraphError } from './graph-client';

export type Service = 'graph' | 'arm' | 'devops';

interface HttpishError { statusCode?: number; code?: string; message?: string }

const HINTS: Record<Service, string> = {
  graph: 'the bot identity needs the Graph permission Application.ReadWrite.OwnedBy',
  arm: 'the bot identity needs roleAssignments/write at the scope (e.g. Role Based Access Control Administrator)',
  devops: 'the bot identity needs to administer service connections and environments in the project',
};
const NAMES: Record<Service, string> = { graph: 'Microsoft Graph', arm: 'Azure Resource Manager', devops: 'Azure DevOps' };

/** One line for the card and the audit; any secret passed in is blanked should an upstream echo it. */
export function describeFailure(service: Service, e: unknown, secrets: readonly string[] = []): string {
  let status: number | undefined;
  let code: string | undefined;
  let message: string;
  if (e instanceof GraphError) {
    status = e.status || undefined;
    code = e.code;
    message = e.message;
  } else {
    const err = e as HttpishError;
    status = typeof err?.statusCode === 'number' ? err.statusCode : undefined;
    code = typeof err?.code === 'string' ? err.code : undefined;
    message = err?.message ?? String(e);
  }
  const head = [NAMES[service], status ? `HTTP ${status}` : undefined, code].filter(Boolean).join(' ');
  let line = `${head}: ${message.replace(/\s+/g, ' ').slice(0, 240)}`;
  if (status === 401 || status === 403) line += ` (${HINTS[service]})`;
  for (const s of secrets) if (s) line = line.split(s).join('[redacted]');
  return line;
}
