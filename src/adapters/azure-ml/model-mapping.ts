/** ARM model containers and versions → the neutral shapes of the core. */
import type { ModelContainer, ModelVersion } from '@azure/arm-machinelearning';
import type { ModelSummary, ModelVersionInfo } from '../../core/models';

function stringTags(tags: Record<string, string | null> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags ?? {})) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

const asDate = (d: Date | string | undefined): Date | undefined => {
  if (d === undefined) return undefined;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

export function toModelSummary(c: ModelContainer): ModelSummary {
  const p = c.properties ?? {};
  return {
    name: c.name ?? '',
    latestVersion: p.latestVersion ?? null,
    ...(p.description ? { description: p.description } : {}),
    tags: stringTags(p.tags as Record<string, string | null> | undefined),
    ...(asDate(c.systemData?.lastModifiedAt) ? { updatedAt: asDate(c.systemData?.lastModifiedAt) } : {}),
  };
}

export function toModelVersionInfo(model: string, v: ModelVersion): ModelVersionInfo {
  const p = v.properties ?? {};
  const createdAt = asDate(v.systemData?.createdAt);
  return {
    name: model,
    version: v.name ?? '',
    ...(p.description ? { description: p.description } : {}),
    tags: stringTags(p.tags as Record<string, string | null> | undefined),
    ...(p.jobName ? { jobName: p.jobName } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(v.systemData?.createdBy ? { createdBy: v.systemData.createdBy } : {}),
    ...(p.modelType ? { modelType: p.modelType } : {}),
  };
}

/** Newest first: by creation time, then by numeric version (the service's ordering is not promised). */
export function newestFirst(a: ModelVersionInfo, b: ModelVersionInfo): number {
  const ta = a.createdAt?.getTime() ?? 0;
  const tb = b.createdAt?.getTime() ?? 0;
  if (ta !== tb) return tb - ta;
  const na = Number(a.version);
  const nb = Number(b.version);
  if (Number.isFinite(na) && Number.isFinite(nb)) return nb - na;
  return b.version.localeCompare(a.version);
}
