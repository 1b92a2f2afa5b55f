export { createAzureCredential, scopeFor, DEVOPS_AUDIENCE, type AzureCredentialOptions } from './credential';
export { AppServiceIdentityCredential } from './app-service-identity';
