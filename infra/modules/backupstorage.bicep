// The backup account: only the app's daily backup writes here (ciphertext, encrypted to the
// coordinating body's public key), outside the app's own storage account. The app identity holds
// Storage Blob Data Contributor on this account and nothing else here (roles.bicep); no person gets
// a data role. Same hardening as the app's account: no shared keys, TLS 1.2, HTTPS only, private.

param name string

@description('Region (Japan only; checked in main.bicep).')
param location string

@description('Blob container the backups are written to, one prefix per backup id.')
param containerName string

@description('Days each backup blob version stays immutable once written (time-based retention).')
@minValue(1)
@maxValue(146000)
param immutabilityDays int

@description('Days after which the lifecycle policy deletes a backup file and its versions (at least immutabilityDays).')
@minValue(1)
@maxValue(146000)
param retentionDays int

@description('Days deleted blobs, blob versions and containers stay restorable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('Log Analytics workspace that keeps the backup account\'s data-plane logs.')
param workspaceId string

param tags object = {}

resource backupStorage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Cool'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    // Allows the time-based retention policy below; can only be switched on at creation.
    immutableStorageWithVersioning: {
      enabled: true
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: backupStorage
  name: 'default'
  properties: {
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteRetentionDays
    }
  }
}

resource backupContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: {
      enabled: true
    }
  }
}

// Every backup file is written once and never overwritten (If-None-Match: *), so WORM costs the
// backup nothing; it stops anyone (a compromised app included) deleting recent backups. Unlocked:
// it can still be shortened or removed by an owner.
resource backupPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = {
  parent: backupContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: immutabilityDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

// Backups age out by the municipality's retention rule, so a case disposed of (廃棄) leaves the
// backups too: retentionDays after the last backup that held it, plus the soft-delete period. Every
// file of a backup is written when that backup is made or, for an unchanged attachment, by a backup
// at most half the retention earlier (BackupService), so a backup younger than half of it restores whole.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: backupStorage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-backups-after-retention'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${containerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: retentionDays
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: retentionDays
                }
              }
            }
          }
        }
      ]
    }
  }
  dependsOn: [
    backupContainer
  ]
}

output name string = backupStorage.name
output id string = backupStorage.id
output containerUrl string = '${backupStorage.properties.primaryEndpoints.blob}${backupContainer.name}'

// Like the app's account: a stray delete (azd down) must not take the backups with it.
resource deleteLock 'Microsoft.Authorization/locks@2020-05-01' = {
  scope: backupStorage
  name: 'do-not-delete-backups'
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the encrypted backups of the child-protection case records. Remove only under the documented disposal procedure.'
  }
}

// Every read, write and delete of a backup blob (who, what, when) goes to Log Analytics, as for the app's account.
resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: blobService
  name: 'data-plane-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in [
        'StorageRead'
        'StorageWrite'
        'StorageDelete'
      ]: {
        category: category
        enabled: true
      }
    ]
  }
}
