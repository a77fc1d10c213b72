// One municipality's instance of the child-protection council backend, deployed into an existing
// resource group (municipal IT often has rights on a resource group, not on the subscription).
// Deploy: infra/README.md. Every property below is checked by tests/Serverless.Infra.Tests.
targetScope = 'resourceGroup'

@description('Region of every resource. Japan only: the case data is personal data of children and stays in Japan.')
@allowed([
  'japaneast'
  'japanwest'
])
param location string = 'japaneast'

@description('Short name of this instance, 2-9 letters, digits or hyphens (e.g. the town\'s romaji name; with azd, the environment name). Part of every resource name.')
@minLength(2)
@maxLength(9)
param namePrefix string

@description('Email address told about every role-assignment change in the resource group, and every write a Contributor could use to reach the data (app settings, keys, the deployment package, backups; docs/security.md section 3).')
param securityAlertEmail string

@description('CIDR ranges of the municipality\'s gateway, e.g. ["203.0.113.0/24"]. Only these reach the deployment (scm) site and the app\'s admin API (/api/admin/...); empty means nobody can (deploy and administer from an allowed address).')
param allowedIpRanges array = []

@description('Upper bound on function instances (Flex Consumption).')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 10

@description('Memory of each instance in MB. 512 stretches the monthly free grant furthest.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 512

@description('Storage redundancy; every option keeps the data in Japan.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param storageSku string = 'Standard_LRS'

@description('Application Insights daily ingestion cap in GB, as a decimal string.')
param appInsightsDailyCapGb string = '0.5'

@description('Days Log Analytics keeps everything, storage data-plane logs and Key Vault audit events included (at least 365).')
@minValue(365)
@maxValue(730)
param logRetentionInDays int = 365

@description('Days deleted blobs, blob versions and containers stay restorable.')
@minValue(1)
@maxValue(365)
param softDeleteRetentionDays int = 30

@description('Days each audit-seal blob version stays immutable once written (WORM).')
@minValue(1)
@maxValue(146000)
param auditSealRetentionDays int = 3650

@description('State of the audit-seal immutability policy. Set to Locked once ops has locked it (infra/README.md): a locked policy can only be extended, so the template then leaves it alone.')
@allowed([
  'Unlocked'
  'Locked'
])
param auditSealPolicyState string = 'Unlocked'

@description('Days each backup file stays immutable once written (time-based retention on the backup container).')
@minValue(1)
@maxValue(146000)
param backupImmutabilityDays int = 35

@description('Days a backup is kept: the backup account\'s lifecycle policy deletes each backup file this many days after it was written (never before backupImmutabilityDays), and the app re-copies attachments at least every half of it, so every backup younger than half of it restores whole. Deleted files then stay soft-deleted softDeleteRetentionDays more. Set it to the municipality\'s backup retention rule.')
@minValue(7)
@maxValue(3650)
param backupRetentionDays int = 35

// Backups are deleted only once they are no longer immutable.
var backupDeletionDays = max(backupRetentionDays, backupImmutabilityDays)

@description('X-Forwarded-For entries the app reads itself, from the right (Network__TrustedProxyHops). 0: the connection address, which in Azure the worker already set to the platform\'s entry. Raise it only for a proxy of your own in front of the app, and run ops/verify (client-address) after every change.')
@minValue(0)
@maxValue(10)
param trustedProxyHops int = 0

@description('PEM text of the coordinating body\'s PUBLIC backup key (coordinator.pub.pem from serverless-ops backup-key create). Not secret. Empty: the daily backup stays off. The app refuses a private key.')
param backupRecipientPublicKey string = ''

@description('Case-search HMAC key: base64 of 32 random bytes. Give it on the FIRST deployment only; empty leaves the existing secret untouched.')
@secure()
param caseSearchHmacKey string = ''

@description('Webhook encryption key: base64 of exactly 32 random bytes (AES-256-GCM for webhook URLs and signing secrets). Give it once, on the deployment that turns webhooks on; empty leaves the existing secret untouched.')
@secure()
param webhookEncryptionKey string = ''

@description('Where staff read their notifications (the municipality\'s front end, https): the only link a webhook carries. Empty: webhooks stay off. Given: webhooks are on, and the app reads their encryption key from Key Vault (secret webhook-encryption-key, written with webhookEncryptionKey on this or an earlier deployment).')
param webhookInboxUrl string = ''

@description('The origin (https://host, no path) of the app\'s pages when they are served under a custom domain: the only origin allowed to upload files straight to storage (blob CORS). Empty: the function app\'s own default host name.')
param appCustomOrigin string = ''

@description('Entra tenant id whose people sign in. Empty: the app runs but nobody can sign in (infra/README.md, "The app registration").')
param entraTenantId string = ''

@description('This API\'s Application (client) ID in that tenant (the aud of its v2.0 access tokens), from the app registration Bicep cannot create at resource-group scope.')
param apiAudience string = ''

@description('The delegated scope this API exposes in its app registration ("Expose an API"): people\'s tokens must carry it in scp; app-only tokens are refused.')
param apiScope string = 'access_as_user'

@description('The client ids of the applications people sign in through (the council\'s front end), separated by commas: a token whose azp/appid is not listed is refused. Required once entraTenantId is given (the app does not start without it).')
param allowedClientApplications string = ''

@description('The Microsoft sign-in authorities the Entra issuer\'s metadata and iss must be under. The default is this cloud\'s own (a sovereign cloud\'s deployment gets its authority).')
param entraAuthorities array = [environment().authentication.loginEndpoint]

@description('The first admin (情報システム担当): their Entra object id in that tenant. The app registers them itself, with an admin membership of coordinatingAgencyId, once: only while nobody has ever held the role. Empty: none (use serverless-ops people bootstrap).')
param firstAdminObjectId string = ''

@description('The first coordinator (調整担当), likewise: only a coordinator can grant coordinator memberships, so the first one comes from here.')
param firstCoordinatorObjectId string = ''

@description('The coordinating division both belong to (調整機関), e.g. midori-kodomo-ka: 3 to 40 lowercase letters, digits or dashes. Needed with either object id.')
param coordinatingAgencyId string = ''

@description('Its name, e.g. みどり市 子ども家庭課, registered when the agency is new.')
param coordinatingAgencyName string = ''

param tags object = {}

var token = toLower(uniqueString(resourceGroup().id, namePrefix))
var prefix = toLower(namePrefix)
var names = {
  identity: 'id-${prefix}-${token}'
  logAnalytics: 'log-${prefix}-${token}'
  applicationInsights: 'appi-${prefix}-${token}'
  // Storage: 3-24 lowercase letters and digits, globally unique.
  storage: take('st${replace(prefix, '-', '')}${token}', 24)
  // The backup account: separate from the app's, so backups survive the loss of it.
  backupStorage: take('bk${replace(prefix, '-', '')}${token}', 24)
  // Key Vault: 3-24 characters, globally unique; a purge-protected name stays taken for 90 days after deletion.
  keyVault: take('kv-${prefix}-${token}', 24)
  plan: 'plan-${prefix}-${token}'
  functionApp: 'func-${prefix}-${token}'
  actionGroup: 'ag-${prefix}-${token}'
  roleAssignmentAlert: 'alert-role-assignments-${prefix}-${token}'
  controlPlaneAlert: 'alert-control-plane-${prefix}-${token}'
  logAlertPrefix: 'alert-${prefix}-${token}'
}
var containers = {
  deployment: 'app-package'
  auditSeals: 'audit-seals'
  backups: 'backups'
  // Created by the app itself; named here for the lifecycle rule (FileBlobs.Quarantine).
  quarantine: 'quarantine'
}
// The function app's default host name is its name under azurewebsites.net (the app sets no
// autoGeneratedDomainNameLabelScope), known before the app exists, which the storage account does.
var appOrigin = empty(appCustomOrigin) ? 'https://${names.functionApp}.azurewebsites.net' : appCustomOrigin
var caseSearchHmacKeySecretName = 'case-search-hmac-key'
var webhookEncryptionKeySecretName = 'webhook-encryption-key'
var allTags = union(tags, { system: 'child-protection-council' })

module identity 'modules/identity.bicep' = {
  name: 'identity'
  params: {
    name: names.identity
    location: location
    tags: allTags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    retentionInDays: logRetentionInDays
    dailyCapGb: appInsightsDailyCapGb
    tags: allTags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    skuName: storageSku
    deploymentContainerName: containers.deployment
    auditSealContainerName: containers.auditSeals
    auditSealRetentionDays: auditSealRetentionDays
    auditSealPolicyState: auditSealPolicyState
    softDeleteRetentionDays: softDeleteRetentionDays
    appOrigin: appOrigin
    quarantineContainerName: containers.quarantine
    quarantineDeleteAfterDays: 2
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module backupStorage 'modules/backupstorage.bicep' = {
  name: 'backupStorage'
  params: {
    name: names.backupStorage
    location: location
    containerName: containers.backups
    immutabilityDays: backupImmutabilityDays
    retentionDays: backupDeletionDays
    softDeleteRetentionDays: softDeleteRetentionDays
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    name: names.keyVault
    location: location
    caseSearchHmacKeySecretName: caseSearchHmacKeySecretName
    caseSearchHmacKey: caseSearchHmacKey
    webhookEncryptionKeySecretName: webhookEncryptionKeySecretName
    webhookEncryptionKey: webhookEncryptionKey
    workspaceId: monitoring.outputs.workspaceId
    tags: allTags
  }
}

// Names, not outputs, so what-if can predict every assignment; hence the explicit dependsOn.
module roles 'modules/roles.bicep' = {
  name: 'roles'
  dependsOn: [
    identity
    storage
    backupStorage
    monitoring
    keyVault
  ]
  params: {
    identityName: names.identity
    storageAccountName: names.storage
    backupStorageAccountName: names.backupStorage
    applicationInsightsName: names.applicationInsights
    keyVaultName: names.keyVault
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  // The app starts as soon as it exists: its roles must be in place first, or its first storage
  // calls and Key Vault reference fail (and the reference is only retried later).
  dependsOn: [
    roles
  ]
  params: {
    planName: names.plan
    appName: names.functionApp
    location: location
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    backupContainerUrl: backupStorage.outputs.containerUrl
    backupRecipientPublicKey: backupRecipientPublicKey
    backupRetentionDays: backupDeletionDays
    trustedProxyHops: trustedProxyHops
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    caseSearchHmacKeySecretUri: keyVault.outputs.caseSearchHmacKeySecretUri
    webhookEncryptionKeySecretUri: keyVault.outputs.webhookEncryptionKeySecretUri
    backupManifestSigningKeyUri: keyVault.outputs.backupManifestSigningKeyUri
    transferSigningKeyUri: keyVault.outputs.transferSigningKeyUri
    transferDecryptionKeyUri: keyVault.outputs.transferDecryptionKeyUri
    webhookInboxUrl: webhookInboxUrl
    entraTenantId: entraTenantId
    apiAudience: apiAudience
    apiScope: apiScope
    allowedClientApplications: allowedClientApplications
    entraAuthorities: entraAuthorities
    firstAdminObjectId: firstAdminObjectId
    firstCoordinatorObjectId: firstCoordinatorObjectId
    coordinatingAgencyId: coordinatingAgencyId
    coordinatingAgencyName: coordinatingAgencyName
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    allowedIpRanges: allowedIpRanges
    tags: allTags
  }
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  params: {
    actionGroupName: names.actionGroup
    alertName: names.roleAssignmentAlert
    controlPlaneAlertName: names.controlPlaneAlert
    logAlertNamePrefix: names.logAlertPrefix
    location: location
    workspaceId: monitoring.outputs.workspaceId
    storageAccountName: names.storage
    deploymentContainerName: containers.deployment
    backupStorageAccountName: names.backupStorage
    backupContainerName: containers.backups
    appPrincipalId: identity.outputs.principalId
    securityAlertEmail: securityAlertEmail
    tags: allTags
  }
}

@description('Base URL of the API (the Functions route prefix is "api").')
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
@description('The backup account: ciphertext only; a restore reads it with restore --from-container-url.')
output AZURE_BACKUP_CONTAINER_URL string = backupStorage.outputs.containerUrl
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
@description('Object id of the app identity: storage logs from any other requester deserve a look (infra/README.md).')
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output CASE_SEARCH_HMAC_KEY_SECRET_NAME string = caseSearchHmacKeySecretName
output WEBHOOK_ENCRYPTION_KEY_SECRET_NAME string = webhookEncryptionKeySecretName
output AZURE_LOCATION string = location
