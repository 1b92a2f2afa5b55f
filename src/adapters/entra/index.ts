export { EntraIdentityAdmin } from './identity-admin';
export type { EntraIdentityAdminOptions } from './options';
export { nameBasedUuid, assignmentName } from './role-assignment';
export { federatedCredentialName } from './applications';
