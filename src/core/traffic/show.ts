/** `traffic <endpoint> <env>` without a change: the split as Azure ML has it, per deployment (the endpoints card). */
import type { EndpointsView } from '../cards/views';
import { pct } from '../serving/lookup';
import type { EndpointRead } from './read';
import { modelLabel } from './read';
import { splitText } from './split';

export function buildTrafficShowView(env: string, read: EndpointRead): EndpointsView {
  const e = read.endpoint;
  const label = `${e.name} (online, ${e.rawState ?? e.state})`;
  const rows: EndpointsView['rows'] = read.deployments.map((d) => ({
    env, endpoint: label, deployment: d.name,
    model: `${modelLabel(d)}${d.instanceType ? ` · ${d.instanceCount ?? 1}× ${d.instanceType}` : ''}`,
    traffic: pct(e.traffic[d.name] ?? 0), mirror: e.mirrorTraffic[d.name] ? pct(e.mirrorTraffic[d.name]) : '—', state: d.rawState ?? d.state,
  }));
  if (rows.length === 0) rows.push({ env, endpoint: label, deployment: '—', model: '—', traffic: '—', mirror: '—', state: '' });
  const names = read.deployments.map((d) => d.name);
  const example = names.length >= 2 ? `traffic ${e.name} ${env} ${names[0]}=90 ${names[1]}=10` : `traffic ${e.name} ${env} ${names[0] ?? 'blue'}=100`;
  const mirrorExample = names.length >= 2 ? ` or --mirror ${names[1]}=10` : '';
  return {
    title: `Traffic of ${e.name} in ${env}`,
    subtitle: `Live: ${splitText({ traffic: e.traffic, mirror: e.mirrorTraffic })}.`,
    rows,
    notes: [{ text: `Change it with: ${example}${mirrorExample} (the environment's approval policy applies).` }],
  };
}
