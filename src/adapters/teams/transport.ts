/**
 * The only file that imports botbuilder: CloudAdapter hosting (JWT validation when an app id is set),
 * replies, invoke answers, proactive sends and updates through stored conversation references.
 */
import {
  ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext,
  type Activity, type ChannelAccount, type ConversationParameters, type ConversationReference, type Request, type Response,
} from 'botbuilder';
import type { InboundActivity, OutboundMessage, StoredReference, TeamsAccount, TeamsAuthConfig, Transport, Turn } from './types';

export function createTransport(config: TeamsAuthConfig): Transport {
  const appId = config.appId ?? '';
  // Anonymous mode is an empty app id and nothing else: the app type would demand credentials.
  const auth = new ConfigurationBotFrameworkAuthentication(appId === '' ? { MicrosoftAppId: '' } : {
    MicrosoftAppId: appId,
    MicrosoftAppPassword: config.appPassword?.reveal() ?? '',
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId ?? '',
  });
  // No onTurnError: the surface catches and logs its own failures, so nothing reaches the default.
  const adapter = new CloudAdapter(auth);

  const continueWith = (reference: StoredReference, logic: (context: TurnContext) => Promise<void>) =>
    adapter.continueConversationAsync(appId, reference as Partial<ConversationReference>, logic);

  return {
    async process(req, res, onTurn) {
      await adapter.process(req as Request, res as Response, async (context) => {
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
        await context.updateActivity({ ...messageActivity(message), id: activityId });
      });
    },
    async openPersonal(target, message) {
      let reference: StoredReference | undefined;
      let id: string | undefined;
      const tenant = target.tenantId ? { tenantId: target.tenantId, channelData: { tenant: { id: target.tenantId } } } : { channelData: {} };
      const parameters = { isGroup: false, bot: plainAccount(target.bot), members: [plainAccount(target.user)], ...tenant } as ConversationParameters;
      // No audience: the SDK then asks for the channel's default scope, as it does for replies.
      await adapter.createConversationAsync(appId, target.channelId, target.serviceUrl, undefined as unknown as string, parameters, async (context) => {
        reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as StoredReference;
        id = (await context.sendActivity(messageActivity(message)))?.id;
      });
      if (!reference || !id) throw new Error('The Teams connector opened the chat but returned no message id.');
      return { reference, messageId: id };
    },
  };
}

function turnOf(context: TurnContext): Turn {
  const activity = context.activity;
  const plain = JSON.parse(JSON.stringify(activity)) as InboundActivity;
  return {
    activity: plain,
    // Without a recipient there is no mention of the bot to strip (and botbuilder would throw).
    text: activity.type !== ActivityTypes.Message ? '' : (activity.recipient ? TurnContext.removeRecipientMention(activity) : activity.text) ?? '',
    reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as StoredReference,
    async reply(message) {
      return (await context.sendActivity(messageActivity(message)))?.id;
    },
    async answer(status, body) {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status, body } });
    },
  };
}

function messageActivity(message: OutboundMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.attachments ? { attachments: message.attachments } : {}),
  };
}

function plainAccount(account: TeamsAccount): ChannelAccount {
  return { id: account.id, name: account.name ?? '', ...(account.aadObjectId ? { aadObjectId: account.aadObjectId } : {}) };
}
