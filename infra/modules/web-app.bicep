// Linux App Service running the bot from source with Node 22 LTS (`npm start` runs tsx). The platform
// gives the user-assigned identity through IDENTITY_ENDPOINT / IDENTITY_HEADER, which the bot reads.

param name string

param planName string

param location string

@description('App Service plan SKU; Always On needs Basic (B1) or higher.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'P0v3'
  'P1v3'
])
param sku string

@description('Runtime stack, e.g. NODE|22-lts.')
param linuxFxVersion string

@description('Resource id of the user-assigned identity (also resolves the Key Vault references).')
param identityResourceId string

@description('[ { name, value } ] environment of the bot: plain values and Key Vault references.')
param settings array

@description('Let the deployment service run `npm install` on a zip of the sources (better-sqlite3 compiles there).')
param buildOnDeploy bool

// Settings for the platform's build, not read by the bot.
var platformSettings = [
  {
    name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
    value: buildOnDeploy ? 'true' : 'false'
  }
  {
    // npm reads npm_config_* from the environment: the build installs no devDependencies.
    name: 'NPM_CONFIG_OMIT'
    value: 'dev'
  }
]

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  kind: 'linux'
  sku: {
    name: sku
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityResourceId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityResourceId
    siteConfig: {
      linuxFxVersion: linuxFxVersion
      appCommandLine: 'npm start'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(settings, platformSettings)
    }
  }
}

output name string = site.name
output host string = site.properties.defaultHostName
