// MLOps Bot on Azure: user-assigned identity, Key Vault, PostgreSQL, App Service (Linux, Node 22 LTS)
// and the Azure Bot for Teams. Deploy with `az deployment group create -f infra/main.bicep` (README).

@description('Short prefix of every resource name (lowercase letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string

param location string = resourceGroup().location

@description('Azure DevOps organisation, e.g. https://dev.azure.com/contoso.')
param azureDevOpsOrgUrl string

@description('Azure DevOps PAT; empty = the bot uses an Entra token of its identity (recommended).')
@secure()
param azureDevOpsPat string = ''

@description('Slack bot token (xoxb-…); empty = no Slack.')
@secure()
param slackBotToken string = ''

@description('Slack signing secret (needed with the bot token).')
@secure()
param slackSigningSecret string = ''

@description('Key Event Grid deliveries carry as ?code=; empty = no Event Grid notifications.')
@secure()
param eventGridKey string = ''

@description('User name of the Azure DevOps service hooks (basic auth).')
param devopsHookUser string = 'mlops-bot'

@description('Password of the Azure DevOps service hooks; empty = no service hooks (the bot polls).')
@secure()
param devopsHookPassword string = ''

@description('Application (client) id of the Entra app registration people sign in to with `link`; empty = linking off (approvals recorded as the bot).')
param oauthClientId string = ''

@description('Client secret of that app registration; empty for a registration without one.')
@secure()
param oauthClientSecret string = ''

@description('Key ring sealing the stored refresh tokens (MLOPS_TOKEN_KEY: `<id>:<base64 32 bytes>`, newest first); needed with oauthClientId.')
@secure()
param tokenKey string = ''

@description('Public base URL of the bot (MLOPS_PUBLIC_URL: the sign-in redirect URI is <url>/auth/callback, chart links start with it); empty = the app\'s azurewebsites.net address.')
param publicUrl string = ''

@description('PostgreSQL administrator login (the bot connects with it).')
param postgresAdminLogin string = 'mlopsbot'

@description('PostgreSQL administrator password; it ends up only in the Key Vault connection string.')
@secure()
@minLength(16)
param postgresAdminPassword string

param postgresVersion string = '16'
param postgresSkuName string = 'Standard_B1ms'
param postgresSkuTier string = 'Burstable'

@description('Public IPv4 allowed to reach PostgreSQL besides Azure services (operator psql); empty for none.')
param operatorClientIp string = ''

@description('Principal (user or group) object id allowed to set secrets by hand; empty for none.')
param secretsOfficerPrincipalId string = ''

@description('Signs the chart links Teams loads (MLOPS_CHART_KEY), the same on every instance; a new random key per deployment unless given.')
@secure()
param chartLinkKey string = '${newGuid()}${newGuid()}'

param appServiceSku string = 'B1'
param linuxFxVersion string = 'NODE|22-lts'

@description('Path of the YAML config deployed with the app (zip root = /home/site/wwwroot).')
param configPath string = '/home/site/wwwroot/mlops.config.yaml'

@allowed([
  'fatal'
  'error'
  'warn'
  'info'
  'debug'
  'trace'
  'silent'
])
param logLevel string = 'info'
param buildOnDeploy bool = true
param botDisplayName string = 'MLOps Bot'
param botSku string = 'F0'

var suffix = uniqueString(resourceGroup().id, namePrefix)
var tenantId = subscription().tenantId
var databaseName = 'mlopsbot'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-id-${suffix}'
  location: location
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    name: toLower('${namePrefix}-pg-${suffix}')
    location: location
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    databaseName: databaseName
    clientIp: operatorClientIp
  }
}

// verify-full: TLS with the server certificate checked against the system CAs (the pg driver's
// own alias for "require", spelled out to avoid its deprecation warning).
var databaseUrl = 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.outputs.host}:5432/${postgres.outputs.databaseName}?sslmode=verify-full'

// Secrets reach the app only as Key Vault references; empty ones are left out.
var secretSettings = [
  {
    name: 'DATABASE_URL'
    value: databaseUrl
  }
  {
    name: 'SLACK_BOT_TOKEN'
    value: slackBotToken
  }
  {
    name: 'SLACK_SIGNING_SECRET'
    value: slackSigningSecret
  }
  {
    name: 'AZURE_DEVOPS_PAT'
    value: azureDevOpsPat
  }
  {
    name: 'EVENTGRID_KEY'
    value: eventGridKey
  }
  {
    name: 'AZURE_DEVOPS_HOOK_PASSWORD'
    value: devopsHookPassword
  }
  {
    name: 'MLOPS_TOKEN_KEY'
    value: tokenKey
  }
  {
    name: 'MLOPS_OAUTH_CLIENT_SECRET'
    value: oauthClientSecret
  }
  {
    name: 'MLOPS_CHART_KEY'
    value: chartLinkKey
  }
]

module vault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: '${take(namePrefix, 11)}-kv-${take(suffix, 8)}'
    location: location
    readerPrincipalId: identity.properties.principalId
    officerPrincipalId: secretsOfficerPrincipalId
    secretSettings: {
      list: secretSettings
    }
  }
}

var appName = '${namePrefix}-app-${suffix}'
var botPublicUrl = empty(publicUrl) ? 'https://${appName}.azurewebsites.net' : publicUrl

var plainSettings = [
  {
    name: 'PORT'
    value: '8080'
  }
  {
    name: 'MLOPS_CONFIG'
    value: configPath
  }
  {
    name: 'LOG_LEVEL'
    value: logLevel
  }
  {
    name: 'MicrosoftAppType'
    value: 'UserAssignedMsi'
  }
  {
    name: 'MicrosoftAppId'
    value: identity.properties.clientId
  }
  {
    name: 'MicrosoftAppTenantId'
    value: tenantId
  }
  {
    name: 'AZURE_TENANT_ID'
    value: tenantId
  }
  {
    name: 'AZURE_CLIENT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'AZURE_DEVOPS_ORG_URL'
    value: azureDevOpsOrgUrl
  }
  {
    // Sign-in redirects (account linking) and chart links (Teams) start with it.
    name: 'MLOPS_PUBLIC_URL'
    value: botPublicUrl
  }
]

// The bot requires the hook user and password together.
var hookUserSettings = empty(devopsHookPassword) ? [] : [
  {
    name: 'AZURE_DEVOPS_HOOK_USER'
    value: devopsHookUser
  }
]

// Account linking (`link`): on when a sign-in app registration is given. The redirect URI to register
// on it is <MLOPS_PUBLIC_URL>/auth/callback (output signInRedirectUri).
var linkSettings = empty(oauthClientId) ? [] : [
  {
    name: 'MLOPS_OAUTH_CLIENT_ID'
    value: oauthClientId
  }
]

module app 'modules/web-app.bicep' = {
  name: 'web-app'
  params: {
    name: appName
    planName: '${namePrefix}-plan-${suffix}'
    location: location
    sku: appServiceSku
    linuxFxVersion: linuxFxVersion
    identityResourceId: identity.id
    settings: concat(plainSettings, hookUserSettings, linkSettings, vault.outputs.references)
    buildOnDeploy: buildOnDeploy
  }
}

var appHost = app.outputs.host

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    name: '${namePrefix}-bot-${suffix}'
    displayName: botDisplayName
    endpoint: 'https://${appHost}/api/messages'
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    tenantId: tenantId
    sku: botSku
  }
}

output appName string = app.outputs.name
output appUrl string = 'https://${appHost}'
output botName string = bot.outputs.name
output botMessagingEndpoint string = bot.outputs.endpoint
output identityClientId string = identity.properties.clientId
output identityPrincipalId string = identity.properties.principalId
output keyVaultName string = vault.outputs.name
output postgresHost string = postgres.outputs.host
output eventGridWebhookUrlFormat string = 'https://${appHost}/api/events/eventgrid?code=<EVENTGRID_KEY>'
output signInRedirectUri string = '${botPublicUrl}/auth/callback'
output serviceHookUrl string = 'https://${appHost}/api/events/azure-devops'
