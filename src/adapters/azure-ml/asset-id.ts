/**
 * Model asset ids as deployments carry them, in every form Azure ML accepts:
 *   /subscriptions/…/workspaces/<ws>/models/<name>/versions/<v>        (ARM id, workspace)
 *   /subscriptions/…/registries/<reg>/models/<name>/versions/<v>       (ARM id, registry)
 *   azureml://registries/<reg>/models/<name>/versions/<v>
 *   azureml://locations/<region>/workspaces/<id>/models/<name>/versions/<v>
 *   azureml:<name>:<v>                                                 (CLI short form, workspace)
 */
import type { ServedModel } from '../../core/serving/types';

const LONG = /(?:^|\/)(workspaces|registries)\/([^/]+)\/models\/([^/]+)\/versions\/([^/?#]+)\/?$/i;
const SHORT = /^azureml:([^:/]+):([^:/]+)$/i;

export function parseModelAssetId(assetId: string | undefined | null): ServedModel | undefined {
  if (!assetId) return undefined;
  const id = assetId.trim();
  const short = SHORT.exec(id);
  if (short) return { name: short[1], version: short[2], source: 'workspace', assetId: id };
  const long = LONG.exec(id);
  if (!long) return undefined;
  const source = long[1].toLowerCase() === 'registries' ? 'registry' : 'workspace';
  return { name: decodeURIComponent(long[3]), version: decodeURIComponent(long[4]), source, container: decodeURIComponent(long[2]), assetId: id };
}
