#!/usr/bin/env pwsh
# Deploy one municipality's instance into an existing resource group, then publish the app.
# Bash twin: ops/deploy.sh (same arguments, same az calls). See ops/README.md.
#
#   ops/deploy.ps1 -ResourceGroup RG -NamePrefix PREFIX -AlertEmail ADDRESS `
#                  [-Location japaneast|japanwest] [-ParametersFile FILE] [-WhatIf] [-NoPublish]
#
# -WhatIf runs `az deployment group what-if` only: nothing is created and nothing is published.
# $env:DOTNET names the dotnet executable used for `dotnet publish` (default: dotnet).
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ResourceGroup,
    [Parameter(Mandatory)] [string] $NamePrefix,
    [Parameter(Mandatory)] [string] $AlertEmail,
    [ValidateSet('japaneast', 'japanwest')] [string] $Location = 'japaneast',
    [string] $ParametersFile = '',
    [switch] $WhatIf,
    [switch] $NoPublish
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$PSNativeCommandUseErrorActionPreference = $true

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$template = Join-Path $repoRoot 'infra/main.bicep'
$functionsProject = Join-Path $repoRoot 'functions/Serverless.Functions'

if ($ParametersFile -and -not (Test-Path -LiteralPath $ParametersFile -PathType Leaf)) {
    throw "deploy: parameters file not found: $ParametersFile"
}

# The parameters file first, the named values after it: the command line wins.
$parameters = @()
if ($ParametersFile) {
    $parameters += @('--parameters', "@$ParametersFile")
}
$parameters += @('--parameters', "namePrefix=$NamePrefix", "securityAlertEmail=$AlertEmail", "location=$Location")

if ($WhatIf) {
    Write-Host "deploy: what-if for resource group $ResourceGroup (nothing is changed, nothing is published)"
    & az deployment group what-if --resource-group $ResourceGroup --template-file $template @parameters
    exit 0
}

Write-Host "deploy: deploying infra/main.bicep into resource group $ResourceGroup ($Location)"
$outputsJson = & az deployment group create --resource-group $ResourceGroup --name main --template-file $template @parameters --query properties.outputs -o json
$outputsText = $outputsJson -join "`n"
Write-Output $outputsText
$outputs = $outputsText | ConvertFrom-Json

function Get-OutputValue([string] $Name) {
    $output = $outputs.PSObject.Properties[$Name]
    if (-not $output -or -not $output.Value.value) {
        throw "deploy: the deployment outputs have no value for $Name"
    }
    return [string] $output.Value.value
}

$apiBaseUrl = Get-OutputValue 'API_BASE_URL'
$functionApp = Get-OutputValue 'AZURE_FUNCTION_APP_NAME'

if (-not $NoPublish) {
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("deploy-" + [System.Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        $appFolder = Join-Path $work 'app'
        $zip = Join-Path $work 'app.zip'
        $dotnet = if ($env:DOTNET) { $env:DOTNET } else { 'dotnet' }
        Write-Host 'deploy: publishing functions/Serverless.Functions (Release)'
        & $dotnet publish $functionsProject -c Release -o $appFolder
        if (-not (Test-Path -LiteralPath (Join-Path $appFolder 'host.json'))) {
            throw "deploy: dotnet publish wrote no host.json into $appFolder"
        }
        # host.json must sit at the root of the package: zip the folder's contents, not the folder.
        [System.IO.Compression.ZipFile]::CreateFromDirectory($appFolder, $zip)

        # Microsoft documents `az functionapp deployment source config-zip` as the Azure CLI way to
        # deploy a package to a function app (https://learn.microsoft.com/azure/azure-functions/functions-deployment-technologies,
        # https://learn.microsoft.com/cli/azure/functionapp/deployment/source#az-functionapp-deployment-source-config-zip).
        # Flex Consumption has no Kudu zip deploy (https://learn.microsoft.com/azure/azure-functions/deployment-zip-push):
        # for a Flex app the CLI sends the package to the One Deploy endpoint instead. The package is
        # already compiled, so no remote build (--build-remote false).
        Write-Host "deploy: publishing the package to $functionApp"
        & az functionapp deployment source config-zip --resource-group $ResourceGroup --name $functionApp --src $zip --build-remote false
    }
    finally {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}
else {
    Write-Host 'deploy: -NoPublish: the app package was not published'
}

Write-Output "API base URL: $apiBaseUrl"
