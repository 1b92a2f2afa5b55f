/**
 * What azure-devops-node-api asks before its first real call: the Location area, the resource
 * areas (an empty list puts every area at the organization URL, as on-premises servers answer) and
 * each area's API locations (ids, route templates, versions it negotiates against).
 */
import { adoError } from './ado-common';
import type { EmulatorContext } from './context';
import type { Router } from './router';
import { sendJson } from './router';

interface Loc {
  id: string;
  resourceName: string;
  routeTemplate: string;
  resourceVersion: number;
}

const AREAS: Record<string, { area: string; locations: Loc[] }> = {
  release: {
    area: 'Release',
    locations: [
      { id: 'b47c6458-e73b-47cb-a770-4df1e8813a91', resourceName: 'approvals', routeTemplate: '{project}/_apis/{area}/{resource}', resourceVersion: 3 },
      { id: '9328e074-59fb-465a-89d9-b09c82ee5109', resourceName: 'approvals', routeTemplate: '{project}/_apis/{area}/{resource}/{approvalId}', resourceVersion: 3 },
      { id: 'c957584a-82aa-4131-8222-6d47f78bfa7a', resourceName: 'approvals', routeTemplate: '{project}/_apis/{area}/{resource}', resourceVersion: 3 },
      { id: 'a166fde7-27ad-408e-ba75-703c2cc9d500', resourceName: 'releases', routeTemplate: '{project}/_apis/{area}/{resource}/{releaseId}', resourceVersion: 9 },
      { id: 'a7e426b1-03dc-48af-9dfe-c98bac612dcb', resourceName: 'environments', routeTemplate: '{project}/_apis/{area}/releases/{releaseId}/{resource}/{environmentId}', resourceVersion: 8 },
      { id: 'd8f96f24-8ea7-4cb6-baab-2df8fc515665', resourceName: 'definitions', routeTemplate: '{project}/_apis/{area}/{resource}/{definitionId}', resourceVersion: 4 },
    ],
  },
  pipelines: {
    area: 'pipelines',
    locations: [
      { id: '28e1305e-2afe-47bf-abaf-cbb0e6a91988', resourceName: 'pipelines', routeTemplate: '{project}/_apis/{resource}/{pipelineId}', resourceVersion: 1 },
      { id: '7859261e-d2e9-4a68-b820-a5d84cc5bb3d', resourceName: 'runs', routeTemplate: '{project}/_apis/{area}/{pipelineId}/{resource}/{runId}', resourceVersion: 1 },
      { id: '53df2d18-29ea-46a9-bee0-933540f80abf', resourceName: 'preview', routeTemplate: '{project}/_apis/{area}/{pipelineId}/{resource}', resourceVersion: 1 },
      { id: 'fb1b6d27-3957-43d5-a14b-a2d70403e545', resourceName: 'logs', routeTemplate: '{project}/_apis/{area}/{pipelineId}/runs/{runId}/{resource}/{logId}', resourceVersion: 1 },
      { id: '85023071-bd5e-4438-89b0-2a5bf362a19d', resourceName: 'artifacts', routeTemplate: '{project}/_apis/{area}/{pipelineId}/runs/{runId}/{resource}', resourceVersion: 1 },
    ],
  },
  build: {
    area: 'build',
    locations: [
      { id: '0cd358e1-9217-4d94-8269-1c1ee6f93dcf', resourceName: 'builds', routeTemplate: '{project}/_apis/{area}/{resource}/{buildId}', resourceVersion: 7 },
      { id: '8baac422-4c6e-4de5-8532-db96d92acffa', resourceName: 'Timeline', routeTemplate: '{project}/_apis/{area}/builds/{buildId}/{resource}/{timelineId}', resourceVersion: 3 },
    ],
  },
  serviceendpoint: {
    area: 'serviceendpoint',
    locations: [
      { id: '14e48fdc-2c8b-41ce-a0c3-e26f6cc55bd0', resourceName: 'endpoints', routeTemplate: '_apis/{area}/{resource}/{endpointId}', resourceVersion: 4 },
      { id: 'e85f1c62-adfc-4b74-b618-11a150fb195e', resourceName: 'endpoints', routeTemplate: '{project}/_apis/{area}/{resource}/{endpointId}', resourceVersion: 4 },
    ],
  },
  distributedtask: {
    area: 'distributedtask',
    locations: [
      { id: '8572b1fc-2482-47fa-8f74-7e3ed53ee54b', resourceName: 'environments', routeTemplate: '{project}/_apis/{area}/{resource}/{environmentId}', resourceVersion: 1 },
    ],
  },
};

export function registerDiscoveryRoutes(router: Router, emu: EmulatorContext): void {
  const orgMatches = (org: string | undefined): boolean => (org ?? '').toLowerCase() === emu.state.ado.organization.toLowerCase();
  router.add('OPTIONS', '/:org/_apis/Location', (ctx) => {
    if (!orgMatches(ctx.params['org'])) return adoError(ctx, 404, 'OrganizationNotFoundException', 'Organization not found.');
    sendJson(ctx.res, 200, {
      count: 1,
      value: [{ id: 'e81700f7-3be2-46de-8624-2eb35882fcaa', area: 'Location', resourceName: 'ResourceAreas', routeTemplate: '_apis/resourceAreas', resourceVersion: 1, minVersion: '3.2', maxVersion: '7.1', releasedVersion: '7.1' }],
    });
  });
  router.add('GET', '/:org/_apis/ResourceAreas', (ctx) => {
    if (!orgMatches(ctx.params['org'])) return adoError(ctx, 404, 'OrganizationNotFoundException', 'Organization not found.');
    sendJson(ctx.res, 200, { count: 0, value: null });
  });
  router.add('OPTIONS', '/:org/_apis/:area', (ctx) => {
    if (!orgMatches(ctx.params['org'])) return adoError(ctx, 404, 'OrganizationNotFoundException', 'Organization not found.');
    const entry = AREAS[(ctx.params['area'] ?? '').toLowerCase()];
    const value = (entry?.locations ?? []).map((loc) => ({
      ...loc, area: entry?.area, minVersion: '3.0', maxVersion: '7.1', releasedVersion: '7.1',
    }));
    sendJson(ctx.res, 200, { count: value.length, value });
  });
}
