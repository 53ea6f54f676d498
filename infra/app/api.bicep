param location string
param tags object
param name string
param planName string
param identityName string
param storageAccountName string
param deploymentContainerName string
param appInsightsConnectionString string
param organizerKeySecretUri string
param sendGridApiKeySecretUri string
param emailFromAddress string

// Timer schedules (NCRONTAB, UTC). The triggers name them as %Setting%, which the host must find set;
// these are the defaults the code declares (a test keeps them equal).
var timerSchedules = {
  WeeklyMatchDigestSchedule: '0 0 * * * *'
  RetrainMatchModelSchedule: '0 30 2 * * *'
  IntroductionFollowUpsSchedule: '0 0 16 * * *'
  PurgeUnconfirmedIntakesSchedule: '0 15 3 * * *'
  ResumeInvitationsSchedule: '0 */10 * * * *'
  ResumeEmailsSchedule: '0 */10 * * * *'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Flex Consumption: scales out on HTTP load and on queue length.
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      // The isolated worker model on .NET 10: the host runs src/PeerMatch.Functions (functions.metadata, worker.config.json).
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union({
      // The host and the app reach storage with the managed identity (no keys).
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identity.properties.clientId
      AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
      AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
      AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      PeerMatch__PublicBaseUrl: 'https://${name}.azurewebsites.net'
      PeerMatch__OrganizerKey: '@Microsoft.KeyVault(SecretUri=${organizerKeySecretUri})'
      Email__FromAddress: emailFromAddress
    }, timerSchedules, empty(sendGridApiKeySecretUri) ? {} : {
      SendGrid__ApiKey: '@Microsoft.KeyVault(SecretUri=${sendGridApiKeySecretUri})'
    })
  }
}

output url string = 'https://${site.properties.defaultHostName}'
output identityPrincipalId string = identity.properties.principalId
