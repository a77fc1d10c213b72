// An email whenever someone creates or removes a role assignment in this resource group (the way
// a subscription owner could give themselves, or anyone, access to the case data), or removes a
// resource lock (the step before deleting the storage account); and for every path a Contributor
// still has to the data without a role (docs/security.md section 3): app settings, account keys,
// Key Vault secrets and keys, the deployment package, and backups written by anyone but the app.

param actionGroupName string
param alertName string

@description('Name of the activity-log alert on app-settings, storage-key, Key Vault and diagnostic-setting writes.')
param controlPlaneAlertName string

@description('Name prefix of the log alerts (Key Vault writes, deployment package, backups).')
param logAlertNamePrefix string

@description('Region of the log alerts (scheduled query rules are regional; Japan only, checked in main.bicep).')
param location string

@description('Log Analytics workspace that holds the Key Vault AuditEvent and the storage data-plane logs.')
param workspaceId string

@description('The app\'s storage account and its deployment-package container (Flex Consumption runs the code from there).')
param storageAccountName string
param deploymentContainerName string

@description('The backup account and container: only the app writes there.')
param backupStorageAccountName string
param backupContainerName string

@description('Object id of the app identity, the only writer of backups.')
param appPrincipalId string

@description('Who is told (the information-security officer or a shared mailbox).')
param securityAlertEmail string

param tags object = {}

// Action groups and activity log alerts are global resources: Azure accepts only 'global' for
// them. They hold the rule and the recipient address, never case data; the activity log itself
// stays where Azure keeps it for the subscription.
resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'rbac-alert'
    enabled: true
    emailReceivers: [
      {
        name: 'security-officer'
        emailAddress: securityAlertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource roleAssignmentAlert 'Microsoft.Insights/activityLogAlerts@2020-10-01' = {
  name: alertName
  location: 'global'
  tags: tags
  properties: {
    description: 'A role assignment was created or deleted, or a lock removed, in this resource group. Check who gained or lost access to the child-protection data.'
    enabled: true
    scopes: [
      resourceGroup().id
    ]
    condition: {
      allOf: [
        {
          field: 'category'
          equals: 'Administrative'
        }
        {
          anyOf: [
            {
              field: 'operationName'
              equals: 'Microsoft.Authorization/roleAssignments/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Authorization/roleAssignments/delete'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Authorization/locks/delete'
            }
          ]
        }
      ]
    }
    actions: {
      actionGroups: [
        {
          actionGroupId: actionGroup.id
        }
      ]
    }
  }
}

// The activity log says that the app settings changed, not which setting: every write is reported, because
// Backup__RecipientPublicKey, the sign-in settings or a storage endpoint can each open a path to the data.
// Account keys (listKeys) and shared-key access (storageAccounts/write), vault and diagnostic-setting changes
// (turning the audit logs off) are control-plane operations too, so they are here rather than in the log alerts.
resource controlPlaneAlert 'Microsoft.Insights/activityLogAlerts@2020-10-01' = {
  name: controlPlaneAlertName
  location: 'global'
  tags: tags
  properties: {
    description: 'An app setting, storage account, account-key listing, Key Vault, or diagnostic setting was written in this resource group. Check who did it and that the change was announced: a Contributor can reach the data this way without any role.'
    enabled: true
    scopes: [
      resourceGroup().id
    ]
    condition: {
      allOf: [
        {
          field: 'category'
          equals: 'Administrative'
        }
        {
          anyOf: [
            {
              field: 'operationName'
              equals: 'Microsoft.Web/sites/config/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Web/sites/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Storage/storageAccounts/listKeys/action'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Storage/storageAccounts/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.KeyVault/vaults/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.KeyVault/vaults/secrets/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.KeyVault/vaults/keys/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Insights/diagnosticSettings/write'
            }
            {
              field: 'operationName'
              equals: 'Microsoft.Insights/diagnosticSettings/delete'
            }
          ]
        }
      ]
    }
    actions: {
      actionGroups: [
        {
          actionGroupId: actionGroup.id
        }
      ]
    }
  }
}

// Data-plane writes never reach the activity log; they reach the workspace through the diagnostic settings
// (keyvault.bicep, storage.bicep, backupstorage.bicep). Each query below counts them over five minutes.

// Key Vault's audit category lands in AzureDiagnostics (the diagnostic setting names no resource-specific table).
resource keyVaultWritesAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${logAlertNamePrefix}-keyvault-writes'
  location: location
  tags: tags
  properties: {
    description: 'A Key Vault secret or key was set, changed, deleted or restored (AuditEvent). Setting the case-search or webhook key, or replacing the backup-manifest signing key, changes what the app trusts.'
    displayName: '${logAlertNamePrefix}-keyvault-writes'
    severity: 1
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    scopes: [
      workspaceId
    ]
    criteria: {
      allOf: [
        {
          query: 'AzureDiagnostics | where ResourceProvider == \'MICROSOFT.KEYVAULT\' and Category == \'AuditEvent\' | where OperationName in (\'SecretSet\', \'SecretDelete\', \'SecretRestore\', \'SecretRecover\', \'SecretPurge\', \'KeyCreate\', \'KeyUpdate\', \'KeyImport\', \'KeyDelete\', \'KeyRotate\', \'KeyRestore\', \'KeyRecover\', \'KeyPurge\') | project TimeGenerated, OperationName, id_s, identity_claim_oid_g, CallerIPAddress'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    // A table exists in the workspace only once its first log arrives (a new deployment has none yet).
    skipQueryValidation: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// On Flex Consumption the code is a blob in this container: replacing it leaves no activity-log entry.
resource deploymentPackageAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${logAlertNamePrefix}-deployment-package'
  location: location
  tags: tags
  properties: {
    description: 'The app\'s deployment package was written or deleted. On Flex Consumption that replaces the running code with no activity-log entry: check the deployment was announced.'
    displayName: '${logAlertNamePrefix}-deployment-package'
    severity: 1
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    scopes: [
      workspaceId
    ]
    criteria: {
      allOf: [
        {
          query: 'StorageBlobLogs | where AccountName == \'${storageAccountName}\' and Category in (\'StorageWrite\', \'StorageDelete\') | where ObjectKey startswith \'/${storageAccountName}/${deploymentContainerName}/\' | project TimeGenerated, OperationName, RequesterObjectId, CallerIpAddress, StatusCode'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    // A table exists in the workspace only once its first log arrives (a new deployment has none yet).
    skipQueryValidation: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

// Only the app writes backups; a write by anyone else is how a forged backup would arrive.
resource backupWritesAlert 'Microsoft.Insights/scheduledQueryRules@2023-03-15-preview' = {
  name: '${logAlertNamePrefix}-backup-writes'
  location: location
  tags: tags
  properties: {
    description: 'Someone other than the app wrote to or deleted from the backup container. A restore refuses a backup without the app\'s signature, but find out who and why.'
    displayName: '${logAlertNamePrefix}-backup-writes'
    severity: 1
    enabled: true
    evaluationFrequency: 'PT5M'
    windowSize: 'PT5M'
    scopes: [
      workspaceId
    ]
    criteria: {
      allOf: [
        {
          query: 'StorageBlobLogs | where AccountName == \'${backupStorageAccountName}\' and Category in (\'StorageWrite\', \'StorageDelete\') | where ObjectKey startswith \'/${backupStorageAccountName}/${backupContainerName}/\' | where RequesterObjectId != \'${appPrincipalId}\' | project TimeGenerated, OperationName, RequesterObjectId, CallerIpAddress, StatusCode'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    autoMitigate: false
    // A table exists in the workspace only once its first log arrives (a new deployment has none yet).
    skipQueryValidation: true
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}
