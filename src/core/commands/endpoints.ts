import { card } from '../cards/views';
import type { EndpointsView } from '../cards/views';
import { plural } from '../format/numbers';
import { readServing } from '../serving/read';
import { pct, requireServing } from '../serving/lookup';
import type { EnvServing } from '../serving/types';
import { envFlag } from './lookup';
import { orderedEnvs } from './placements';
import type { CommandSpec } from './types';

/** Endpoints, deployments, versions, traffic and state per environment, read from Azure ML. */
export const endpointsCommand: CommandSpec = {
  name: 'endpoints',
  summary: 'Online and batch endpoints with their deployments, versions, traffic and state',
  usage: 'endpoints [--env E]',
  examples: ['endpoints', 'endpoints --env prod'],
  args: [],
  flags: [{ name: 'env', kind: 'string', description: 'Only this environment' }],
  permission: 'anyone',
  async handler(ctx, args) {
    const only = envFlag(ctx.settings, args);
    const envs = only ? [only.name] : orderedEnvs(ctx.settings);
    const read = await readServing(requireServing(ctx.ports.serving), envs, { memory: ctx.ports.store });
    return { status: 'ok', visibility: 'public', reply: card('endpoints', buildEndpointsView(read)) };
  },
};

type Row = EndpointsView['rows'][number];

function modelLabel(d: { model?: { name: string; version: string; source: string; container?: string }; modelAssetId?: string }): string {
  if (!d.model) return d.modelAssetId ? `(${d.modelAssetId})` : '—';
  return `${d.model.name} v${d.model.version}${d.model.source === 'registry' ? ` (registry ${d.model.container ?? ''})`.replace(' )', ')') : ''}`;
}

export function buildEndpointsView(read: EnvServing[]): EndpointsView {
  const rows: Row[] = [];
  const notes: { text: string }[] = [];
  let online = 0;
  let batch = 0;
  for (const env of read) {
    if (env.error) notes.push({ text: `${env.env}: could not read its endpoints (${env.error}).` });
    for (const e of env.online) {
      online++;
      const label = `${e.name} (online, ${e.rawState ?? e.state})`;
      if (e.deployments.length === 0) rows.push({ env: env.env, endpoint: label, deployment: '—', model: '—', traffic: '—', mirror: '—', state: '' });
      for (const d of e.deployments) {
        const mirror = e.mirrorTraffic[d.name];
        const size = d.instanceType ? ` · ${d.instanceCount ?? 1}× ${d.instanceType}` : '';
        rows.push({ env: env.env, endpoint: label, deployment: d.name, model: `${modelLabel(d)}${size}`, traffic: pct(e.traffic[d.name] ?? 0), mirror: mirror ? pct(mirror) : '—', state: d.rawState ?? d.state });
      }
    }
    for (const e of env.batch) {
      batch++;
      const label = `${e.name} (batch, ${e.rawState ?? e.state})`;
      if (e.deployments.length === 0) rows.push({ env: env.env, endpoint: label, deployment: '—', model: '—', traffic: '—', mirror: '—', state: '' });
      for (const d of e.deployments) {
        rows.push({ env: env.env, endpoint: label, deployment: `${d.name}${e.defaultDeployment === d.name ? ' (default)' : ''}`, model: modelLabel(d), traffic: '—', mirror: '—', state: d.rawState ?? d.state });
      }
    }
  }
  const names = read.map((e) => e.env);
  return {
    title: names.length === 1 ? `Endpoints in ${names[0]}` : 'Endpoints',
    subtitle: `${plural(online, 'online endpoint')} and ${plural(batch, 'batch endpoint')} in ${names.join(', ')}.`,
    rows,
    notes,
  };
}
