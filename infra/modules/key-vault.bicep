// Key Vault in RBAC mode holding the bot's secrets. Only secrets given a value are written; the
// output lists an app setting (a Key Vault reference) for each, so an absent secret never becomes a
// dangling reference the app would read as a literal string.

@description('Vault name (3-24 characters, globally unique).')
param name string

param location string

@description('Principal id of the bot identity (gets Key Vault Secrets User).')
param readerPrincipalId string

@description('Optional principal id (user or group) allowed to set and rotate secrets by hand.')
param officerPrincipalId string

@description('{ list: [ { name: <environment variable>, value: <secret or empty> } ] }')
@secure()
param secretSettings object

// Built-in role definition ids (same in every tenant).
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficerRoleId = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

var provided = filter(secretSettings.list, s => !empty(s.value))

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
    publicNetworkAccess: 'Enabled'
  }
}

// Secret names allow letters, digits and dashes: SLACK_BOT_TOKEN is stored as slack-bot-token.
resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for s in provided: {
  parent: vault
  name: toLower(replace(s.name, '_', '-'))
  properties: {
    value: s.value
    contentType: 'text/plain'
  }
}]

resource readerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, readerPrincipalId, secretsUserRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource officerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(officerPrincipalId)) {
  scope: vault
  name: guid(vault.id, officerPrincipalId, secretsOfficerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficerRoleId)
    principalId: officerPrincipalId
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri

// secretUri has no version: App Service follows rotations (within 24 hours, or at once on restart).
output references array = [for (s, i) in provided: {
  name: s.name
  value: '@Microsoft.KeyVault(SecretUri=${secrets[i].properties.secretUri})'
}]
