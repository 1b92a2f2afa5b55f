/**
 * Bolt's own receivers. HTTP: HTTPReceiver's request listener (signature check with the 5-minute
 * window, body parsing, url_verification, ssl_check, the 3-second ack timer) is driven from the
 * bot's HTTP server instead of a server of its own. Socket Mode: SocketModeReceiver with the app token.
 */
import { HTTPReceiver, SocketModeReceiver, type BufferedIncomingMessage } from '@slack/bolt';
import type { Logger as SlackLogger } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import { BotError } from '../../core/errors';
import { ROUTES } from '../../http/router';
import { DEFAULT_API_URL, reveal, type SlackSurfaceConfig } from './config';

/** Our server's correlation id travels to the listeners in Bolt's context. */
export const CORRELATION_HEADER = 'x-correlation-id';

export function httpReceiver(config: SlackSurfaceConfig, logger: SlackLogger): HTTPReceiver {
  const signingSecret = config.signingSecret ? reveal(config.signingSecret) : '';
  if (signingSecret === '') {
    throw new BotError('config_invalid', 'SLACK_SIGNING_SECRET is not set, so Slack requests cannot be verified.', {
      remedy: 'Copy the Signing Secret from the Slack app\'s Basic Information page into SLACK_SIGNING_SECRET, or set SLACK_APP_TOKEN for Socket Mode.',
    });
  }
  return new HTTPReceiver({
    signingSecret,
    signatureVerification: true,
    endpoints: ROUTES.slackEvents,
    logger,
    processBeforeResponse: false,
    customPropertiesExtractor: (req: BufferedIncomingMessage) => {
      const id = req.headers[CORRELATION_HEADER];
      return typeof id === 'string' ? { correlationId: id } : {};
    },
  });
}

export function socketReceiver(config: SlackSurfaceConfig, logger: SlackLogger): SocketModeReceiver {
  const appToken = config.appToken ? reveal(config.appToken) : '';
  if (!appToken.startsWith('xapp-')) {
    throw new BotError('config_invalid', 'SLACK_APP_TOKEN must be an app-level token (xapp-…) with the connections:write scope.', {
      remedy: 'Create an app-level token on the Slack app\'s Basic Information page, or unset SLACK_APP_TOKEN to use HTTP.',
    });
  }
  const receiver = new SocketModeReceiver({ appToken, logger });
  const apiUrl = config.apiUrl ?? DEFAULT_API_URL;
  if (apiUrl !== DEFAULT_API_URL) {
    // The receiver does not forward client options, so apps.connections.open would still go to
    // slack.com; point the socket client's own Web API client at the configured base URL.
    const socket = receiver.client as unknown as { webClient: WebClient };
    socket.webClient = new WebClient('', { slackApiUrl: apiUrl, logger, headers: { Authorization: `Bearer ${appToken}` }, retryConfig: { retries: 10, factor: 1.3 } });
  }
  return receiver;
}
