import { card } from '../cards/views';
import { requiredArg, stringFlag } from '../promotion/command-support';
import { rolloutServiceFor } from '../rollout/command-support';
import { intervalText } from '../rollout/figures-text';
import type { ControlVerb } from '../rollout/service';
import { buildRolloutView } from '../rollout/view';
import type { CommandSpec } from './types';

const usage = 'rollout <model> <env> [--steps 10,50,100] [--every 15m]';

/** Progressive rollout (DESIGN 9.4): traffic moves to the canary step by step while its live figures stay within the thresholds. */
export const rolloutCommand: CommandSpec = {
  name: 'rollout',
  summary: 'Move traffic step by step to the new version waiting at 0%, checking its live errors and latency before each step; rolls back by itself on a breach.',
  usage,
  examples: ['rollout taxi-model prod', 'rollout taxi-model prod --steps 10,50,100 --every 30s'],
  args: [
    { name: 'model', required: true, description: 'Model name' },
    { name: 'env', required: true, description: 'Environment whose online endpoint serves the model' },
  ],
  flags: [
    { name: 'steps', kind: 'string', description: 'Canary traffic per step, rising to 100 (default: the model rule, else 10,50,100)' },
    { name: 'every', kind: 'string', description: 'Time between steps: 30s, 15m, 1h (default: the model rule, else 15m)' },
  ],
  // Who may start one in an environment is decided by the service (approvers there, else requesters).
  permission: 'anyone',
  async handler(ctx, args) {
    const { rollout, created } = await rolloutServiceFor(ctx).start({
      caller: ctx.invocation.caller,
      model: requiredArg(args, 'model', usage),
      env: requiredArg(args, 'env', usage),
      steps: stringFlag(args, 'steps', usage),
      every: stringFlag(args, 'every', usage),
      channel: ctx.invocation.channel,
      correlationId: ctx.invocation.correlationId,
      idempotencyKey: ctx.invocation.idempotencyKey,
    });
    const where = rollout.channel ? 'Its card follows it in this channel' : 'Its card follows it in the notifications channel';
    const text = `${rollout.id}: ${rollout.canary} (v${rollout.version}) takes ${rollout.steps[0]}% of ${rollout.endpoint} in ${rollout.env} now, then ${rollout.steps.slice(1).join('%, ')}%`
      + ` after a check every ${intervalText(rollout.everyMs)}; it rolls back by itself on a breach. ${where}; stop it with: rollout abort ${rollout.id}`;
    return {
      status: 'ok', visibility: 'public',
      reply: card('notice', { title: created ? `Rollout ${rollout.id} started` : `Rollout ${rollout.id} is already under way`, text, tone: 'info' }),
    };
  },
};

function controlCommand(verb: ControlVerb, summary: string): CommandSpec {
  const u = `rollout ${verb} <id>`;
  return {
    name: `rollout ${verb}`,
    summary,
    usage: u,
    examples: [`rollout ${verb} RO-7K3QX`],
    args: [{ name: 'id', required: true, description: 'Rollout id (RO-…)' }],
    flags: [],
    permission: 'anyone',
    async handler(ctx, args) {
      const { rollout, changed } = await rolloutServiceFor(ctx).control(verb, requiredArg(args, 'id', u), ctx.invocation.caller);
      const view = buildRolloutView(rollout);
      const text = changed ? `${view.stateLabel}. ${view.notice || view.outcome}`.trim() : `Already ${rollout.status.replace('_', ' ')}: nothing changed.`;
      return { status: 'ok', visibility: 'public', reply: card('notice', { title: `Rollout ${rollout.id}: ${rollout.model} v${rollout.version} in ${rollout.env}`, text, tone: verb === 'abort' ? 'warning' : 'info' }) };
    },
  };
}

export const rolloutControlCommands: CommandSpec[] = [
  controlCommand('pause', 'Hold a rollout where it is (no further step until resumed).'),
  controlCommand('resume', 'Go on with a paused rollout: check now, or ask again for a step that failed.'),
  controlCommand('abort', 'Stop a rollout and set its canary back to 0% (the baseline takes 100%).'),
];
