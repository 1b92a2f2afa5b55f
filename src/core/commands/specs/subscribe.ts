import type { CommandSpec } from '../types';

/**
 * Grammar of channel subscriptions (DESIGN §4); handlers are attached where the capability is built.
 * Routing alerts is deny by default: subscribe and unsubscribe are for admins.
 */
type Declaration = Omit<CommandSpec, 'handler'>;

export const SUBSCRIPTION_KINDS = ['failed-runs', 'releases', 'approvals'] as const;

const kindArg = { name: 'kind', required: true, description: 'What to be notified about', values: SUBSCRIPTION_KINDS };
const envFlag = { name: 'env', kind: 'string' as const, description: 'Only this environment' };
const filterFlag = { name: 'filter', kind: 'string' as const, description: 'key=value pairs (model, experiment, job, pipeline, release, kind) or words the names contain' };

export const subscribeSpec: Declaration = {
  name: 'subscribe',
  summary: 'Send notifications of a kind to this channel',
  usage: 'subscribe <failed-runs|releases|approvals> [--env E] [--filter F]',
  examples: ['subscribe failed-runs --env prod', 'subscribe failed-runs --filter model=taxi-model'],
  args: [kindArg],
  flags: [envFlag, filterFlag],
  permission: 'admin',
};

export const unsubscribeSpec: Declaration = {
  name: 'unsubscribe',
  summary: 'Stop notifications of a kind in this channel',
  usage: 'unsubscribe <failed-runs|releases|approvals> [--env E] [--filter F]',
  examples: ['unsubscribe failed-runs --env prod', 'unsubscribe failed-runs --filter model=taxi-model'],
  args: [kindArg],
  flags: [envFlag, filterFlag],
  permission: 'admin',
};

export const subscriptionsSpec: Declaration = {
  name: 'subscriptions',
  summary: "This channel's notification subscriptions",
  usage: 'subscriptions',
  examples: ['subscriptions'],
  args: [],
  flags: [],
  permission: 'anyone',
};

export const subscriptionSpecs: readonly Declaration[] = [subscribeSpec, unsubscribeSpec, subscriptionsSpec];
