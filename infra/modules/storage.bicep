// The app's only data store: tables, queues and blobs, reached with the managed identity alone.
// Shared keys are off, so nothing (app, deployment, or a person with a leaked key) can use an
// account key; access is Entra ID + RBAC and is logged to Log Analytics for a year or more.

param name string

@description('Region of every resource (Japan only; checked in main.bicep).')
param location string

@description('Redundancy. Every option keeps the data in Japan (GRS pairs Japan East with Japan West).')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param skuName string

@description('Blob container the Flex Consumption app deploys its package from.')
param deploymentContainerName string

@description('Blob container for audit seals, with version-level immutability (WORM).')
param auditSealContainerName string

@description('Days each audit-seal blob version stays immutable.')
@minValue(1)
@maxValue(146000)
param auditSealRetentionDays int

@description('Locked once ops has locked the audit-seal policy: a locked policy can only be extended, so the template stops writing it.')
@allowed([
  'Unlocked'
  'Locked'
])
param auditSealPolicyState string

@description('Days deleted blobs, versions and containers can be restored.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int

@description('The one origin (https://host) whose pages may upload files straight into the quarantine container (blob CORS).')
param appOrigin string

@description('Blob container direct uploads land in before validation (the app\'s FileBlobs.Quarantine).')
param quarantineContainerName string

@description('Days after which the lifecycle policy deletes whatever is still in the quarantine container: a backstop to the app\'s own sweep, which deletes an upload never completed after one day.')
@minValue(1)
@maxValue(7)
param quarantineDeleteAfterDays int

@description('Log Analytics workspace that receives the storage data-plane logs.')
param workspaceId string

param tags object = {}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // No virtual network on a near-free tier: the account is reachable over the internet, but only
    // with an Entra ID token for a principal that holds a data role (the app's identity alone).
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
    // Version-level immutability support can only be switched on when the account is created.
    // It allows WORM policies on containers; it does not by itself make any blob immutable.
    immutableStorageWithVersioning: {
      enabled: true
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
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
    // Direct uploads: a browser on the app's own origin sends Put Block and Put Block List to the
    // upload address (a user delegation SAS for one quarantine blob). Only that origin, only PUT
    // (and its preflight), only the headers those requests carry; nothing may be read cross-origin.
    cors: {
      corsRules: [
        {
          allowedOrigins: [
            appOrigin
          ]
          allowedMethods: [
            'PUT'
            'OPTIONS'
          ]
          allowedHeaders: [
            'content-type'
            'content-length'
            'content-md5'
            'x-ms-blob-type'
            'x-ms-blob-content-type'
            'x-ms-client-request-id'
            'x-ms-content-crc64'
            'x-ms-date'
            'x-ms-useragent'
            'x-ms-version'
          ]
          exposedHeaders: [
            'etag'
            'x-ms-client-request-id'
            'x-ms-content-crc64'
            'x-ms-error-code'
            'x-ms-request-id'
            'x-ms-version'
          ]
          maxAgeInSeconds: 600
        }
      ]
    }
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource auditSealContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: auditSealContainerName
  properties: {
    publicAccess: 'None'
    immutableStorageWithVersioning: {
      enabled: true
    }
  }
}

// The container's default time-based retention policy, inherited by every blob version written
// into it. Deployed UNLOCKED (it can still be shortened or removed, so a mistake is recoverable);
// infra/README.md gives the command that locks it. After locking, deploy with
// auditSealPolicyState = 'Locked': a locked policy can only be extended, never rewritten by a PUT.
resource auditSealPolicy 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (auditSealPolicyState == 'Unlocked') {
  parent: auditSealContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditSealRetentionDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

// The app deletes a direct upload never completed a day after its start (FileSweep), and each
// quarantined file once validated. This catches what it cannot: a blob written again through a
// still-valid upload address after validation deleted it, or a sweep that stopped running. Versions
// go too: with versioning on, every blob the app deletes there stays behind as a previous version.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'delete-quarantine-backstop'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [
                'blockBlob'
              ]
              prefixMatch: [
                '${quarantineContainerName}/'
              ]
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: quarantineDeleteAfterDays
                }
              }
              version: {
                delete: {
                  daysAfterCreationGreaterThan: quarantineDeleteAfterDays
                }
              }
            }
          }
        }
      ]
    }
  }
}

// azd down (or a stray delete) must not take the data with it. Data-plane deletes are unaffected;
// soft delete and versioning cover those.
resource deleteLock 'Microsoft.Authorization/locks@2020-05-01' = {
  scope: storage
  name: 'do-not-delete-case-data'
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds the child-protection case records and the audit trail. Remove only under the documented disposal procedure.'
  }
}

// Every read, write and delete on blobs, queues and tables (who, what, when) goes to Log
// Analytics, which keeps it for at least 365 days. This is how access by anyone other than the
// app - for example a subscription owner who granted themselves a data role - shows up.
var storageLogCategories = [
  'StorageRead'
  'StorageWrite'
  'StorageDelete'
]

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: blobService
  name: 'data-plane-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in storageLogCategories: {
        category: category
        enabled: true
      }
    ]
  }
}

resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: queueService
  name: 'data-plane-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in storageLogCategories: {
        category: category
        enabled: true
      }
    ]
  }
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: tableService
  name: 'data-plane-to-log-analytics'
  properties: {
    workspaceId: workspaceId
    logs: [
      for category in storageLogCategories: {
        category: category
        enabled: true
      }
    ]
  }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainer.name}'
