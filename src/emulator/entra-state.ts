/**
 * What the Graph, role-assignment and service-endpoint emulation keeps. It lives under `entra` in the
 * persisted emulator state (created on first use, so older state files keep loading). Client secrets
 * are never stored: Graph shows a secret once, and so does the emulator.
 */
import type { EmulatorContext } from './context';
import type { EmulatorState } from './state';

export interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  createdDateTime: string;
  passwordCredentials: { keyId: string; displayName: string | null; hint: string; startDateTime: string; endDateTime: string }[];
  federatedIdentityCredentials: { id: string; name: string; issuer: string; subject: string; audiences: string[]; description: string | null }[];
}

export interface GraphServicePrincipal { id: string; appId: string; displayName: string }

export interface RoleAssignmentRec {
  id: string;
  name: string;
  scope: string;
  roleDefinitionId: string;
  principalId: string;
  principalType: string;
  description: string | null;
  createdOn: string;
}

export interface ServiceEndpointRec {
  id: string;
  name: string;
  type: string;
  url: string;
  owner: string;
  description: string;
  data: Record<string, string>;
  scheme: string;
  /** Authorization parameters without any secret. */
  parameters: Record<string, string>;
  projectIds: string[];
  createdOn: string;
}

export interface DevopsEnvironmentRec { id: number; name: string; description: string; createdOn: string }

/** A directory user (the Agents Playground's mock tenant in the seed). */
export interface GraphUserRec { id: string; displayName: string; mail: string | null; userPrincipalName: string }

/** A security group; members are object ids of users or of other groups (membership is transitive). */
export interface GraphGroupRec { id: string; displayName: string; members: string[] }

export interface EntraEmulatorState {
  applications: GraphApplication[];
  servicePrincipals: GraphServicePrincipal[];
  roleAssignments: RoleAssignmentRec[];
  serviceEndpoints: ServiceEndpointRec[];
  environments: DevopsEnvironmentRec[];
  /** Users and groups; absent in state files written before they existed (seeded on first use). */
  users?: GraphUserRec[];
  groups?: GraphGroupRec[];
}

type WithEntra = EmulatorState & { entra?: EntraEmulatorState };

export function entraState(emu: EmulatorContext): EntraEmulatorState {
  const state = emu.state as WithEntra;
  state.entra ??= { applications: [], servicePrincipals: [], roleAssignments: [], serviceEndpoints: [], environments: [] };
  return state.entra;
}
