param location string
param tags object
param name string

@secure()
param organizerKey string

@secure()
param sendGridApiKey string

@description('Whether a SendGrid key was given (decided by the caller, so no output depends on the secret).')
param useSendGrid bool

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }

  resource organizerKeySecret 'secrets' = {
    name: 'organizer-key'
    properties: { value: organizerKey }
  }

  resource sendGridSecret 'secrets' = if (useSendGrid) {
    name: 'sendgrid-api-key'
    properties: { value: sendGridApiKey }
  }
}

output name string = vault.name
output organizerKeySecretUri string = vault::organizerKeySecret.properties.secretUri
output sendGridApiKeySecretUri string = '${vault.properties.vaultUri}secrets/sendgrid-api-key'
