/** The whereis card: every deployment of the model per environment, then fallbacks and disagreements in words. */
import type { WhereisView } from '../cards/views';
import { pct } from './lookup';
import { deploymentsOf } from './served';
import { disagreement, sourceNote, type EnvTruth } from './truth';
import type { EnvServing } from './types';

type Row = WhereisView['rows'][number];

export function buildWhereisView(model: string, serving: EnvServing[], truth: EnvTruth[]): WhereisView {
  const rows: Row[] = [];
  const notes: { text: string }[] = [];
  for (const env of serving) {
    const t = truth.find((x) => x.env === env.env);
    const served = env.error ? [] : deploymentsOf(model, env);
    for (const s of served) {
      rows.push(s.kind === 'online'
        ? { env: env.env, endpoint: `${s.endpoint.name} (online)`, deployment: s.deployment.name, version: `v${s.version}`, traffic: pct(s.traffic), mirror: s.mirror > 0 ? pct(s.mirror) : '—', state: s.deployment.rawState ?? s.deployment.state }
        : { env: env.env, endpoint: `${s.endpoint.name} (batch)`, deployment: `${s.deployment.name}${s.isDefault ? ' (default)' : ''}`, version: `v${s.version}`, traffic: '—', mirror: '—', state: s.deployment.rawState ?? s.deployment.state });
    }
    if (served.length === 0 && t?.version) {
      rows.push({ env: env.env, endpoint: '—', deployment: '—', version: `v${t.version}`, traffic: '—', mirror: '—', state: sourceNote(t) });
    }
    if (env.error) notes.push({ text: `${env.env}: could not read its endpoints (${env.error}).` });
    const differs = t && disagreement(t);
    if (differs) notes.push({ text: differs });
  }
  const servingEnvs = truth.filter((t) => t.source === 'azure').map((t) => `${t.env} v${t.version}`);
  return {
    title: `Where ${model} serves`,
    subtitle: servingEnvs.length ? `Read from Azure ML just now: ${servingEnvs.join(' · ')}.` : 'No Azure ML endpoint serves it right now.',
    rows,
    notes,
  };
}
