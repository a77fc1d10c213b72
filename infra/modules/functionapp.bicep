// The API: an Azure Functions app on the Flex Consumption plan (FC1, Linux), .NET 10 isolated
// worker, scaled to zero when idle. Flex takes its runtime and scale settings from
// functionAppConfig; it rejects FUNCTIONS_WORKER_RUNTIME, WEBSITE_RUN_FROM_PACKAGE, linuxFxVersion
// and the content-share settings, so none of them appear here.

param planName string
param appName string

@description('Region of every resource (Japan only; checked in main.bicep).')
param location string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity: given explicitly to every SDK client and to the host.')
param identityClientId string

param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

@description('URL of the blob container the package is deployed from.')
param deploymentContainerUrl string

@description('The backup container in the separate backup account.')
param backupContainerUrl string

@description('PEM text of the coordinating body\'s public backup key; empty leaves the daily backup off.')
param backupRecipientPublicKey string

@description('X-Forwarded-For entries the app reads itself (Network__TrustedProxyHops); 0: the connection address.')
param trustedProxyHops int

@description('Key Vault key (versionless URL) the app signs each backup manifest with.')
param backupManifestSigningKeyUri string

@description('Key Vault keys for transfers (移管): signing (EC P-256) and decryption (RSA 3072, unwrapKey only).')
param transferSigningKeyUri string
param transferDecryptionKeyUri string

@description('Days the backup account keeps each backup file; the app re-copies attachments at least every half of it.')
param backupRetentionDays int

param applicationInsightsConnectionString string

@description('Key Vault secret URI (versionless) of the case-search HMAC key.')
param caseSearchHmacKeySecretUri string

@description('Key Vault secret URI (versionless) of the webhook encryption key.')
param webhookEncryptionKeySecretUri string

@description('The inbox link webhooks carry; empty leaves webhooks off (and the key unread).')
param webhookInboxUrl string

@description('Entra tenant id whose people sign in (empty: nobody can sign in yet).')
param entraTenantId string

@description('Audience of this API in that tenant: the app registration\'s Application (client) ID (v2.0 access tokens).')
param apiAudience string

@description('The delegated scope people\'s tokens must carry (scp).')
param apiScope string

@description('Client ids of the applications people sign in through, separated by commas (azp/appid allow-list).')
param allowedClientApplications string

@description('The Microsoft sign-in authorities the Entra issuer must be under.')
param entraAuthorities array

@description('Entra object id of the first admin the app registers itself (empty: none).')
param firstAdminObjectId string

@description('Entra object id of the first coordinator the app registers itself (empty: none).')
param firstCoordinatorObjectId string

@description('Agency id of the coordinating division both belong to.')
param coordinatingAgencyId string

@description('Name of that division, registered when it is new.')
param coordinatingAgencyName string

@description('Memory of each instance. Flex bills at least 1,000 ms x this per execution, so it decides how far the free grant goes.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound on instances: a ceiling on the bill and on a runaway loop.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

@description('CIDR ranges of the municipality\'s gateway: the only ones that reach the deployment (scm) site and the app\'s admin API. Empty: nobody.')
param allowedIpRanges array

param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  // azd finds the app to publish to by this tag (service "api" in azure.yaml).
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    publicNetworkAccess: 'Enabled'
    // Without this, Key Vault references are resolved with a system-assigned identity the app does
    // not have, and CaseSearch__HmacKey stays an unresolved reference string.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        // On demand only: an always-ready instance is billed around the clock.
        alwaysReady: []
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      // The API itself is public: staff and agencies call it from phones on mobile networks. They
      // are protected by Entra ID sign-in and Conditional Access (infra/README.md), not by IP.
      ipSecurityRestrictionsDefaultAction: 'Allow'
      // The deployment and admin endpoint (scm/Kudu: publish, logs, console) accepts only the
      // municipality's gateway ranges; with an empty list it accepts nobody.
      scmIpSecurityRestrictionsUseMain: false
      scmIpSecurityRestrictionsDefaultAction: 'Deny'
      scmIpSecurityRestrictions: [
        for (range, i) in allowedIpRanges: {
          name: 'allow-list-${i}'
          description: 'Municipality gateway (allowedIpRanges)'
          ipAddress: range
          action: 'Allow'
          priority: 100 + i
        }
      ]
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // The Functions host: identity-based storage, no connection string, no key.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    AzureWebJobsStorage__tableServiceUri: tableEndpoint

    // The app's own SDK clients do not read AzureWebJobsStorage__*: they get the same endpoints and
    // the identity's client id (otherwise DefaultAzureCredential may pick another identity).
    Storage__BlobServiceUri: blobEndpoint
    Storage__QueueServiceUri: queueEndpoint
    Storage__TableServiceUri: tableEndpoint
    Storage__ManagedIdentityClientId: identityClientId

    // The daily backup, as the app itself (the same identity client id as above), into the backup
    // account; encrypted to the coordinating body's public key, which is not secret. Off until a key is given.
    Backup__Enabled: empty(backupRecipientPublicKey) ? 'false' : 'true'
    Backup__ContainerUri: backupContainerUrl
    Backup__RecipientPublicKey: backupRecipientPublicKey
    Backup__RetentionDays: string(backupRetentionDays)
    // The key each backup's manifest is signed with (Key Vault sign; the private key never leaves the vault).
    Backup__SigningKeyUri: backupManifestSigningKeyUri

    // Transfers: both keys stay in Key Vault (sign; unwrapKey). The municipality code is set by the operator.
    Transfers__SigningKeyUri: transferSigningKeyUri
    Transfers__DecryptionKeyUri: transferDecryptionKeyUri

    CaseSearch__HmacKey: '@Microsoft.KeyVault(SecretUri=${caseSearchHmacKeySecretUri})'

    // Webhooks: off (no key, no reference to a secret that may not exist) until an inbox URL is given;
    // then the key that seals webhook URLs and signing secrets comes from Key Vault.
    Webhooks__EncryptionKey: empty(webhookInboxUrl)
      ? ''
      : '@Microsoft.KeyVault(SecretUri=${webhookEncryptionKeySecretUri})'
    Webhooks__InboxUrl: webhookInboxUrl

    // The app's admin API (/api/admin/...) answers only the same ranges as the scm site. Access
    // restrictions cannot single out a path, so the app checks them itself, on the client address it
    // resolves. Empty: nobody.
    Administration__AllowedNetworks: join(allowedIpRanges, ',')

    // The client address is the connection address: the worker's forwarded-headers middleware has
    // already put the platform's X-Forwarded-For entry there (NetworkOptions). ops/verify checks it.
    Network__TrustedProxyHops: string(trustedProxyHops)

    // Sign-in: the municipality's Entra tenant (v2.0 tokens; B2B guests arrive as its tokens). Empty
    // until a tenant is given; the app ignores an issuer whose three settings are all empty. The name
    // "entra" is permanent: person ids are derived from it.
    Authentication__Issuers__entra__MetadataAddress: empty(entraTenantId)
      ? ''
      : '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0/.well-known/openid-configuration'
    Authentication__Issuers__entra__ValidIssuer: empty(entraTenantId)
      ? ''
      : '${environment().authentication.loginEndpoint}${entraTenantId}/v2.0'
    Authentication__Issuers__entra__Audience: empty(entraTenantId) ? '' : apiAudience
    Authentication__Issuers__entra__SubjectClaim: 'oid'
    // Only people's tokens for this API, from the council's own client applications: the scope in scp, the
    // client in azp/appid, and no app-only tokens. An Entra issuer's metadata and iss must be under one of
    // these authorities, or the app does not start (someone able to edit app settings cannot quietly point
    // "entra" at a provider of their own; a person's first sign-in also pins their iss and tid).
    Authentication__Issuers__entra__Kind: 'entra'
    Authentication__Issuers__entra__RequiredScope: apiScope
    Authentication__Issuers__entra__AllowedClientApplications: allowedClientApplications
    Authentication__EntraAuthorities: join(entraAuthorities, ' ')

    // The first admin and coordinator, registered by the app itself on start while nobody has ever held
    // the role (FirstHoldersAtStartup), so no person needs a data role to open a new instance.
    Bootstrap__Issuer: 'entra'
    Bootstrap__AgencyId: coordinatingAgencyId
    Bootstrap__AgencyName: coordinatingAgencyName
    Bootstrap__AdminSubject: firstAdminObjectId
    Bootstrap__CoordinatorSubject: firstCoordinatorObjectId

    // Application Insights refuses key-only telemetry (DisableLocalAuth); without this setting the
    // SDK sends it anyway and it is dropped without an error.
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

    // Profiler and Snapshot Debugger off: snapshots capture local variables, which here would be
    // personal data of children. ('disabled' is the value the portal writes when they are off.)
    APPINSIGHTS_PROFILERFEATURE_VERSION: 'disabled'
    APPINSIGHTS_SNAPSHOTFEATURE_VERSION: 'disabled'
  }
}

// No FTP or Kudu basic-auth publishing credentials: deployments authenticate with Entra ID.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
