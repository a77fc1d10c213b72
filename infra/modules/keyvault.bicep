// Secrets the app reads through Key Vault references: the case-search HMAC key and the key that
// encrypts webhook URLs and signing secrets at rest. RBAC only (no access policies), purge
// protection on: a deleted vault or secret stays recoverable for the retention period and nobody
// can purge it early.

param name string

@description('Region of every resource (Japan only; checked in main.bicep).')
param location string

@description('Name of the secret that holds the case-search HMAC key.')
param caseSearchHmacKeySecretName string

@description('Base64 of at least 32 random bytes. Empty: the template leaves the secret alone (create it once, see infra/README.md).')
@secure()
param caseSearchHmacKey string

@description('Name of the secret that holds the webhook encryption key.')
param webhookEncryptionKeySecretName string

@description('Base64 of exactly 32 random bytes. Empty: the template leaves the secret alone (create it once, when turning webhooks on; see docs/webhooks.md).')
@secure()
param webhookEncryptionKey string = ''

@description('Name of the EC P-256 key the app signs backup manifests with.')
param backupManifestSigningKeyName string = 'backup-manifest-signing'

@description('Name of the EC P-256 key the app signs transfer messages and export files with (docs/transfers.md).')
param transferSigningKeyName string = 'transfer-signing'

@description('Name of the RSA 3072 key partner councils encrypt transfer packages to; the app may only unwrap with it.')
param transferDecryptionKeyName string = 'transfer-decryption'

@description('Log Analytics workspace that receives the vault\'s audit events.')
param workspaceId string

param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enablePurgeProtection: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    // Key Vault references are resolved by the App Service platform over the public endpoint (no
    // virtual network on this tier); reading a secret still needs Entra ID and a data role.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

// Only when a value is given: a later deployment without it must not replace (rotate) the key,
// because every case-search index entry is derived from it.
resource caseSearchSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(caseSearchHmacKey)) {
  parent: vault
  name: caseSearchHmacKeySecretName
  properties: {
    value: caseSearchHmacKey
    contentType: 'base64; 32 random bytes; HMAC key for case search'
  }
}

// Likewise only when given: a new key would make every stored webhook URL and secret unreadable.
resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(webhookEncryptionKey)) {
  parent: vault
  name: webhookEncryptionKeySecretName
  properties: {
    value: webhookEncryptionKey
    contentType: 'base64; 32 random bytes; AES-256-GCM key for webhook URLs and signing secrets'
  }
}

// The app signs each backup's manifest with this key (ES256) and can never read it out: a backup written by
// anyone else, even with write access to the backup account, has no valid signature and the restore refuses
// it. Created once; a later deployment leaves the existing key (and its versions) as they are.
resource backupManifestSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: backupManifestSigningKeyName
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: [
      'sign'
      'verify'
    ]
  }
}

// Transfers (移管): the app signs packages, acknowledgements and export files with this key (ES256) through the
// vault's sign, as backup manifests are signed. Its public half is what partner councils check signatures with.
resource transferSigningKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: transferSigningKeyName
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: [
      'sign'
      'verify'
    ]
  }
}

// Transfers: partner councils wrap each package's AES key to this key's public half; the app only asks the vault
// to unwrap (RSA-OAEP-256), so it never holds the private key. No encrypt, decrypt, sign or wrap.
resource transferDecryptionKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: transferDecryptionKeyName
  properties: {
    kty: 'RSA'
    keySize: 3072
    keyOps: [
      'unwrapKey'
    ]
  }
}

resource auditLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: vault
  name: 'audit-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        categoryGroup: 'audit'
        enabled: true
      }
    ]
  }
}

output name string = vault.name
output id string = vault.id
// Versionless: App Service re-reads versionless references (within a day, or on restart).
output caseSearchHmacKeySecretUri string = '${vault.properties.vaultUri}secrets/${caseSearchHmacKeySecretName}'
output webhookEncryptionKeySecretUri string = '${vault.properties.vaultUri}secrets/${webhookEncryptionKeySecretName}'
// Versionless: the app signs with the current version, and each signature names the version it used.
output backupManifestSigningKeyUri string = '${vault.properties.vaultUri}keys/${backupManifestSigningKey.name}'
output backupManifestSigningKeyName string = backupManifestSigningKey.name
// Versionless: the app signs and unwraps with the current version (see docs/transfers.md on rotation).
output transferSigningKeyUri string = '${vault.properties.vaultUri}keys/${transferSigningKey.name}'
output transferDecryptionKeyUri string = '${vault.properties.vaultUri}keys/${transferDecryptionKey.name}'
