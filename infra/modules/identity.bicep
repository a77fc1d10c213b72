// The app's one identity. A user-assigned identity (not system-assigned) so its roles and its
// client id exist before the function app does, and survive the app being recreated.

@description('Name of the user-assigned managed identity.')
param name string

@description('Region of every resource (Japan only; checked in main.bicep).')
param location string

param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
