// Log Analytics (in Japan, kept at least a year) and a workspace-based Application Insights that
// accepts only Entra ID-authenticated telemetry.

param logAnalyticsName string
param applicationInsightsName string

@description('Region of every resource (Japan only; checked in main.bicep).')
param location string

@description('Days the workspace keeps every table, storage data-plane logs and Key Vault audit events included.')
@minValue(365)
@maxValue(730)
param retentionInDays int

@description('Application Insights daily ingestion cap, in GB (a decimal written as a string, e.g. \'0.5\').')
param dailyCapGb string

param tags object = {}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Queries need Entra ID and Log Analytics RBAC; no shared workspace keys for reading.
      disableLocalAuth: true
      enableLogAccessUsingOnlyResourcePermissions: true
    }
    // No workspace-wide daily quota on purpose: it would also stop the storage audit logs. The cap
    // sits on Application Insights below, where the volume can run away.
    workspaceCapping: {
      dailyQuotaGb: -1
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
    // Instrumentation keys alone are refused: telemetry must carry an Entra ID token, which the app
    // gets through APPLICATIONINSIGHTS_AUTHENTICATION_STRING (see functionapp.bicep).
    DisableLocalAuth: true
    publicNetworkAccessForIngestion: 'Enabled'
    publicNetworkAccessForQuery: 'Enabled'
  }
}

resource dailyCap 'Microsoft.Insights/components/pricingPlans@2017-10-01' = {
  parent: appInsights
  name: 'current'
  properties: {
    planType: 'Basic'
    cap: json(dailyCapGb)
    stopSendNotificationWhenHitCap: false
    stopSendNotificationWhenHitThreshold: false
    warningThreshold: 90
  }
}

output workspaceId string = workspace.id
output workspaceName string = workspace.name
output applicationInsightsName string = appInsights.name
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
