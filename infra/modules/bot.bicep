// Azure Bot registration for Teams. The bot authenticates as the user-assigned managed identity
// (no client secret): multi-tenant registrations can no longer be created.

@description('Bot handle (globally unique, 2-64 characters).')
param name string

param displayName string

@description('https://<app host>/api/messages')
param endpoint string

@description('Client id of the user-assigned identity (MicrosoftAppId).')
param identityClientId string

@description('Resource id of the user-assigned identity.')
param identityResourceId string

param tenantId string

@allowed([
  'F0'
  'S1'
])
param sku string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: name
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: endpoint
    msaAppType: 'UserAssignedMSI'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output name string = bot.name
output endpoint string = bot.properties.endpoint
