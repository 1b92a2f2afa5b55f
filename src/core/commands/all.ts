import { approveCommand } from './approve';
import { declaredOnly, readCommands } from './base';
import { cancelCommand } from './cancel';
import { freezeCommand, unfreezeCommand } from './freeze';
import { freezesCommand } from './freezes';
import { helpCommand } from './help';
import { linkCommand, unlinkCommand } from './link';
import { promoteCommand } from './promote';
import type { CommandDeclaration } from './registry';
import { rejectCommand } from './reject';
import { requestsCommand } from './requests';
import { retryCommand } from './retry';
import { rollbackCommand } from './rollback';
import { rolloutCommand, rolloutControlCommands } from './rollout';
import { rolloutsCommand } from './rollouts';
import { scheduleCreateCommand } from './schedule-create';
import { scheduleCommands } from './schedule-manage';
import { spCreateCommand } from './sp-create';
import { subscribeCommand } from './subscribe';
import { subscriptionsCommand } from './subscriptions';
import { trafficCommand } from './traffic';
import { unsubscribeCommand } from './unsubscribe';

/**
 * Every command of the grammar (DESIGN §1), in the order help lists them. Handlers for declared-only
 * commands are attached by appending `withHandler(spec, handler)` entries after these.
 */
export const allCommands: readonly CommandDeclaration[] = [
  helpCommand,
  promoteCommand,
  rollbackCommand,
  rolloutCommand,
  ...rolloutControlCommands,
  rolloutsCommand,
  trafficCommand,
  approveCommand,
  rejectCommand,
  cancelCommand,
  retryCommand,
  requestsCommand,
  freezesCommand,
  freezeCommand,
  unfreezeCommand,
  ...readCommands,
  ...declaredOnly,
  scheduleCreateCommand,
  ...scheduleCommands,
  spCreateCommand,
  subscribeCommand,
  unsubscribeCommand,
  subscriptionsCommand,
  linkCommand,
  unlinkCommand,
];
