/** Chat accounts linked to Entra accounts (DESIGN 9.6): sign-in, sealed tokens, delegated Azure DevOps tokens. */
export { EntraAccountLinks, type EntraAccountLinksDeps } from './account-links';
export { authCallbackHandler, renderLinkOutcome } from './callback-route';
export { DEVOPS_SCOPE, EntraEndpoints, SIGN_IN_SCOPE, type EntraEndpointOptions } from './entra-endpoints';
export { ACCOUNT_LINKS, LinkRecords, PENDING_SIGN_INS } from './link-records';
export { SIGN_IN_TTL_MS, type LinkOutcome } from './sign-in';
export { TokenCipher, type SealedToken, type TokenKey } from './token-cipher';
