// An email whenever someone creates or removes a role assignment in this resource group (the way
// a subscription owner could give themselves, or anyone, access to the case data), or removes a
// resource lock (the step before deleting the storage account).

param actionGroupName string
param alertName string

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
