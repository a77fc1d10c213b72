// Every role assignment the template makes, all for the app's identity and nobody else: no person
// gets a data-plane role from this template. Names are guid(scope, identity, role) so a
// redeployment finds the same assignment instead of creating a duplicate. Everything here is
// named by deterministic names (not other modules' outputs) so what-if can predict each one.

@description('Name of the app\'s user-assigned identity (in this resource group).')
param identityName string

param storageAccountName string

@description('The separate backup account: the identity may write backups there and do nothing else.')
param backupStorageAccountName string
param applicationInsightsName string
param keyVaultName string

@description('The key the app signs backup manifests with (keyvault.bicep).')
param backupManifestSigningKeyName string = 'backup-manifest-signing'

@description('The keys the app signs transfers with and unwraps transfer packages with (keyvault.bicep).')
param transferSigningKeyName string = 'transfer-signing'
param transferDecryptionKeyName string = 'transfer-decryption'

// Built-in role definition ids (the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultCryptoUser: '12338af0-0e69-4776-bea7-57ae8d297424'
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var principalId = identity.properties.principalId

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource backupStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: backupStorageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

// Blob Data Owner (not Contributor): the Functions host manages blob leases and the deployment
// container; the app writes attachments and audit seals. At the account's scope it also carries
// blobServices/generateUserDelegationKey/action, which the direct upload's addresses need.
resource blobDataOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource queueDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageQueueDataContributor
    )
  }
}

resource tableDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageTableDataContributor
    )
  }
}

// The daily backup writes its encrypted files into the backup account, and reads its own previous
// manifest there (for incremental blobs). Contributor, not Owner: no role management, no ACLs.
resource backupBlobDataContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: backupStorage
  name: guid(backupStorage.id, identity.id, roles.storageBlobDataContributor)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.storageBlobDataContributor
    )
  }
}

// Needed because Application Insights refuses local (key-only) authentication.
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roles.monitoringMetricsPublisher
    )
  }
}

// Read-only on secret values, so the Key Vault references in the app settings resolve.
resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource backupManifestSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' existing = {
  parent: vault
  name: backupManifestSigningKeyName
}

// On the one key, not the vault: the app signs backup manifests with it (and reads its public half), and
// gains nothing on the secrets or any other key.
resource cryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: backupManifestSigningKey
  name: guid(backupManifestSigningKey.id, identity.id, roles.keyVaultCryptoUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
  }
}

resource transferSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' existing = {
  parent: vault
  name: transferSigningKeyName
}

resource transferDecryptionKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' existing = {
  parent: vault
  name: transferDecryptionKeyName
}

// Each on its one key, as for the backup signing key: the key's own keyOps limit what the role allows (sign and
// verify on the signing key, unwrapKey only on the decryption key).
resource transferSigningCryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: transferSigningKey
  name: guid(transferSigningKey.id, identity.id, roles.keyVaultCryptoUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
  }
}

resource transferDecryptionCryptoUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: transferDecryptionKey
  name: guid(transferDecryptionKey.id, identity.id, roles.keyVaultCryptoUser)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultCryptoUser)
  }
}
