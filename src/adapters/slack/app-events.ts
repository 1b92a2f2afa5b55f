/**
 * The Events API deliveries the manifest subscribes to: the app being uninstalled or its tokens
 * revoked. Nothing can be posted afterwards, so readiness turns false (the `/healthz` answer says
 * why) until a new token is deployed. Bolt acknowledges events itself; retries are dropped by event_id.
 */
import type { App } from '@slack/bolt';
import { invocationLog } from './lazy-log';
import { correlationOf, firstDelivery, type HandlerDeps } from './handler-deps';
import { dedupeKeys } from './ids';

/** The events the manifest subscribes to (settings.event_subscriptions.bot_events). */
export const HANDLED_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

/** One listener for both: Bolt runs every registered listener chain for every request, acks included. */
const HANDLED = new RegExp(`^(${HANDLED_EVENTS.join('|')})$`);

export function registerAppEvents(app: App, deps: HandlerDeps, onRevoked: (why: string) => void): void {
  app.event(HANDLED, async ({ body, event, context }) => {
    const type = event.type;
    // tokens_revoked also reports user tokens, which this app never holds.
    if (type === 'tokens_revoked' && (event.tokens.bot ?? []).length === 0) return;
    const log = invocationLog(deps.log, correlationOf(context), { surface: 'slack', event: type });
    if (!(await firstDelivery(deps, dedupeKeys.event(body.event_id), log))) return;
    log.error({ team: body.team_id }, `slack ${type}: the bot can no longer post; reinstall the app and update SLACK_BOT_TOKEN`);
    onRevoked(type);
  });
}
