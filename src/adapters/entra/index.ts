export { EntraIdentityAdmin } from './identity-admin';
export type { EntraIdentityAdminOptions } from './options';
export { nameBasedUuid, assignmentName } from './role-assignment';
export { federatedCredentialName } from './applications';
export {
  GraphDirectory, GRAPH_DIRECTORY_NAMESPACE, GRAPH_DIRECTORY_PERMISSIONS, DEFAULT_DIRECTORY_TTL_MS, DEFAULT_NEGATIVE_TTL_MS,
  type GraphDirectoryOptions,
} from './graph-directory';
