/**
 * The only file that imports the Microsoft 365 Agents SDK (`@microsoft/agents-hosting`, the
 * supported successor of botbuilder): CloudAdapter hosting, replies, invoke answers, proactive sends
 * and updates through stored conversation references. Inbound tokens are checked before this runs
 * (token-check.ts); the verified claims arrive as `req.user`, which the SDK uses to pick the
 * outbound credential.
 */
import { Activity, ActivityTypes, type ChannelAccount, type ConversationParameters, type ConversationReference } from '@microsoft/agents-activity';
import { CloudAdapter, type TurnContext } from '@microsoft/agents-hosting';
import { sdkAuthConfig, sdkReference } from './sdk-settings';
import { BadActivityError, type InboundActivity, type OutboundMessage, type StoredReference, type TeamsAccount, type TeamsAuthConfig, type Transport, type Turn } from './types';

/** The audience of Bot Connector tokens, for chats the bot opens itself. */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';

export function createTransport(config: TeamsAuthConfig): Transport {
  const appId = config.appId ?? '';
  const adapter = new CloudAdapter(sdkAuthConfig(config));
  // Failures are caught and logged by the surface; the SDK's default would post "the agent
  // encountered an error" into the conversation.
  adapter.onTurnError = async (_context, error) => { throw error; };
  // Anonymous: an identity without an audience makes the SDK send without a token.
  const identity = appId === '' ? {} : appId;

  const continueWith = (reference: StoredReference, logic: (context: TurnContext) => Promise<void>) =>
    adapter.continueConversation(identity, sdkReference(reference), logic);

  return {
    async process(req, res, onTurn) {
      readable(req.body);
      await adapter.process(req as never, res as never, async (context) => {
        await onTurn(turnOf(context));
      });
    },
    async send(reference, message) {
      let id: string | undefined;
      await continueWith(reference, async (context) => {
        id = (await context.sendActivity(messageActivity(message)))?.id;
      });
      if (!id) throw new Error('The Teams connector accepted the message but returned no id.');
      return id;
    },
    async update(reference, activityId, message) {
      await continueWith(reference, async (context) => {
        await context.updateActivity(Activity.fromObject({ ...messageActivity(message), id: activityId }));
      });
    },
    async openPersonal(target, message) {
      let reference: StoredReference | undefined;
      let id: string | undefined;
      const tenant = target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : { channelData: {} };
      // The Bot Connector's createConversation names the bot `bot` (the SDK's type says `agent`).
      const parameters = { isGroup: false, bot: plainAccount(target.bot), members: [plainAccount(target.user)], ...tenant } as unknown as ConversationParameters;
      await adapter.createConversationAsync(appId, target.channelId, target.serviceUrl, CONNECTOR_AUDIENCE, parameters, async (context) => {
        // The SDK's creation activity has no recipient; the bot is who the chat was opened for.
        context.activity.recipient = plainAccount(target.bot);
        reference = storedReference(context.activity);
        id = (await context.sendActivity(messageActivity(message)))?.id;
      });
      if (!reference || !id) throw new Error('The Teams connector opened the chat but returned no message id.');
      return { reference, messageId: id };
    },
  };
}

/** Parses the body the way the SDK will, so an unreadable one is told apart from a failing turn. */
function readable(body: unknown): void {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadActivityError();
  try {
    Activity.fromObject(structuredClone(body));
  } catch {
    throw new BadActivityError();
  }
}

function turnOf(context: TurnContext): Turn {
  const activity = context.activity;
  const plain = JSON.parse(JSON.stringify(activity)) as InboundActivity;
  return {
    activity: plain,
    // Without a recipient there is no mention of the bot to strip.
    text: activity.type !== ActivityTypes.Message ? '' : (activity.recipient?.id ? activity.removeRecipientMention() : activity.text) ?? '',
    reference: storedReference(activity),
    async reply(message) {
      return (await context.sendActivity(messageActivity(message)))?.id;
    },
    async answer(status, body) {
      await context.sendActivity(Activity.fromObject({ type: ActivityTypes.InvokeResponse, value: { status, body } }));
    },
  };
}

/** The SDK's reference as stored JSON (`agent` is the bot; older stored ones say `bot`). */
function storedReference(activity: Activity): StoredReference {
  const recipient = activity.recipient;
  const reference: Partial<ConversationReference> = {
    activityId: activity.id, user: activity.from, agent: recipient, conversation: activity.conversation,
    channelId: activity.channelId, locale: activity.locale, serviceUrl: activity.serviceUrl,
  };
  return JSON.parse(JSON.stringify(reference)) as StoredReference;
}

function messageActivity(message: OutboundMessage): Activity {
  return Activity.fromObject({
    type: ActivityTypes.Message,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
  });
}

function plainAccount(account: TeamsAccount): ChannelAccount {
  return { id: account.id, name: account.name ?? '', ...(account.aadObjectId ? { aadObjectId: account.aadObjectId } : {}) };
}
