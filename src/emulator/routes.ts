/** Which routes each listener serves: TLS for ARM, MLflow and Azure DevOps; plain HTTP for the token endpoints (managed identity, Entra sign-in) and Azure DevOps. */
import { registerBuildTimelineRoutes } from './ado-build-timeline';
import { registerDiscoveryRoutes } from './ado-discovery';
import { registerPipelineRoutes } from './ado-pipelines';
import { registerReleaseRoutes } from './ado-release';
import { registerReleaseApprovalRoutes } from './ado-release-approvals';
import { registerServiceEndpointRoutes } from './ado-service-endpoints';
import { registerWebRoutes } from './ado-web';
import { registerRoleAssignmentRoutes } from './arm-authorization';
import { registerEndpointRoutes } from './arm-ml-endpoints';
import { registerJobRoutes } from './arm-ml-jobs';
import { registerModelRoutes } from './arm-ml-models';
import { registerScheduleRoutes } from './arm-ml-schedules';
import { registerWorkspaceRoutes } from './arm-ml-workspace';
import type { EmulatorContext } from './context';
import { registerAuthorizeRoutes } from './entra-authorize';
import { registerTokenRoutes } from './entra-token';
import { registerGraphRoutes } from './graph';
import { registerIdentityRoutes } from './identity';
import { registerMlflowRoutes } from './mlflow';
import { registerMetricsRoutes } from './monitor-metrics';
import { Router } from './router';

/** Entra sign-in (authorize, token, metadata, keys): registered before Azure DevOps, whose `/:org/…` routes are as broad. */
function registerEntraSignIn(router: Router, emu: EmulatorContext): void {
  registerAuthorizeRoutes(router, emu);
  registerTokenRoutes(router, emu);
}

function registerDevops(router: Router, emu: EmulatorContext): void {
  registerDiscoveryRoutes(router, emu);
  registerReleaseRoutes(router, emu);
  registerReleaseApprovalRoutes(router, emu);
  registerPipelineRoutes(router, emu);
  registerBuildTimelineRoutes(router, emu);
  registerServiceEndpointRoutes(router, emu);
  registerWebRoutes(router, emu);
}

export function tlsRouter(emu: EmulatorContext): Router {
  const router = new Router();
  registerEntraSignIn(router, emu);
  registerWorkspaceRoutes(router, emu);
  registerModelRoutes(router, emu);
  registerJobRoutes(router, emu);
  registerScheduleRoutes(router, emu);
  registerEndpointRoutes(router, emu);
  registerMetricsRoutes(router, emu);
  registerMlflowRoutes(router, emu);
  registerGraphRoutes(router, emu);
  registerRoleAssignmentRoutes(router, emu);
  registerDevops(router, emu);
  return router;
}

export function httpRouter(emu: EmulatorContext, identityHeader: string): Router {
  const router = new Router();
  registerIdentityRoutes(router, emu, identityHeader);
  registerEntraSignIn(router, emu);
  registerDevops(router, emu);
  return router;
}
