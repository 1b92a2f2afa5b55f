/**
 * Where the Azure DevOps operations the bot calls live, known up front instead of discovered.
 * azure-devops-node-api would otherwise ask the service first (OPTIONS _apis/Location, GET
 * _apis/ResourceAreas, OPTIONS _apis/{area}): three to four round trips, one after another, before
 * the first real call of every process. Route templates are those of the 7.1 REST specs
 * (MicrosoftDocs/vsts-rest-api-specs); ids are the location ids the SDK asks for. Every call goes
 * out at api-version 7.1 (GA), the version the conformance suite checks. An operation missing here
 * falls back to the SDK's own discovery.
 */
import type { ApiResourceLocation } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';

const at = (id: string, area: string, resourceName: string, routeTemplate: string, resourceVersion: number): ApiResourceLocation => ({
  id, area, resourceName, routeTemplate, resourceVersion, minVersion: '3.0', maxVersion: '7.1', releasedVersion: '7.1',
});

const LOCATIONS: ApiResourceLocation[] = [
  at('b47c6458-e73b-47cb-a770-4df1e8813a91', 'release', 'approvals', '{project}/_apis/{area}/{resource}', 3),
  at('9328e074-59fb-465a-89d9-b09c82ee5109', 'release', 'approvals', '{project}/_apis/{area}/{resource}/{approvalId}', 3),
  at('a166fde7-27ad-408e-ba75-703c2cc9d500', 'release', 'releases', '{project}/_apis/{area}/{resource}/{releaseId}', 8),
  at('a7e426b1-03dc-48af-9dfe-c98bac612dcb', 'release', 'environments', '{project}/_apis/{area}/releases/{releaseId}/{resource}/{environmentId}', 7),
  at('d8f96f24-8ea7-4cb6-baab-2df8fc515665', 'release', 'definitions', '{project}/_apis/{area}/{resource}/{definitionId}', 4),
  at('28e1305e-2afe-47bf-abaf-cbb0e6a91988', 'pipelines', 'pipelines', '{project}/_apis/{resource}/{pipelineId}', 1),
  at('7859261e-d2e9-4a68-b820-a5d84cc5bb3d', 'pipelines', 'runs', '{project}/_apis/{area}/{pipelineId}/{resource}/{runId}', 1),
  at('8baac422-4c6e-4de5-8532-db96d92acffa', 'build', 'timeline', '{project}/_apis/{area}/builds/{buildId}/{resource}/{timelineId}', 2),
];

const BY_ID = new Map(LOCATIONS.map((l) => [l.id.toLowerCase(), l]));

export function knownLocation(locationId: string): ApiResourceLocation | undefined {
  return BY_ID.get(locationId.toLowerCase());
}

/**
 * The host of the release area: Azure DevOps Services serves it from vsrm.dev.azure.com (and
 * {org}.vsrm.visualstudio.com); Azure DevOps Server, and the emulator, from the collection URL itself.
 */
export function releaseAreaUrl(orgUrl: string): string {
  const url = new URL(orgUrl);
  const host = url.hostname.toLowerCase();
  if (host === 'dev.azure.com') url.hostname = 'vsrm.dev.azure.com';
  else if (host.endsWith('.visualstudio.com') && !host.endsWith('.vsrm.visualstudio.com')) url.hostname = host.replace(/\.visualstudio\.com$/, '.vsrm.visualstudio.com');
  return url.toString().replace(/\/+$/, '');
}
