#!/usr/bin/env pwsh
# Deploy one municipality's instance into an existing resource group, then publish the app.
# Bash twin: ops/deploy.sh (same arguments, same az calls). See ops/README.md.
#
#   ops/deploy.ps1 -ResourceGroup RG -NamePrefix PREFIX -AlertEmail ADDRESS `
#                  [-Location japaneast|japanwest] [-ParametersFile FILE] [-WhatIf] [-NoPublish]
#
# -WhatIf runs `az deployment group what-if` only: nothing is created and nothing is published.
# $env:DOTNET names the dotnet executable used for `dotnet publish` (default: dotnet).
#
# The case-search HMAC key (Key Vault secret case-search-hmac-key) is created on the first
# deployment only: the script asks Azure Resource Manager whether the secret exists and, when it
# does not, passes a new random key in a temporary parameters file. It never passes a key for an
# existing secret: a new key would orphan every case-search index entry.
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
# Both as in infra/main.bicep (caseSearchHmacKeySecretName) and infra/modules/keyvault.bicep
# (the API version of the vault and its secrets).
$secretName = 'case-search-hmac-key'
$keyVaultApiVersion = '2023-07-01'

if ($ParametersFile -and -not (Test-Path -LiteralPath $ParametersFile -PathType Leaf)) {
    throw "deploy: parameters file not found: $ParametersFile"
}

function Stop-Unsure([string] $Reason) {
    throw "deploy: $Reason. Nothing was deployed: without knowing whether the case-search HMAC key exists, a new key could replace it and break case search. Check 'az login', the subscription ('az account show') and that you can read resource group $ResourceGroup, then run again."
}

# Runs az and returns its exit code, standard output and standard error, instead of stopping.
function Invoke-AzQuiet([string[]] $Arguments) {
    $PSNativeCommandUseErrorActionPreference = $false
    $ErrorActionPreference = 'Continue'
    $lines = @(& az @Arguments 2>&1)
    $exitCode = $LASTEXITCODE
    return [pscustomobject]@{
        ExitCode = $exitCode
        Output   = @($lines | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | ForEach-Object { [string] $_ })
        Error    = (@($lines | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { $_.ToString() }) -join "`n")
    }
}

# --- Does the case-search HMAC key exist? Control plane only: Reader on the group is enough, and
# the ARM read of a vault secret returns its metadata, never its value.
#
# The vault: take('kv-${prefix}-${token}', 24) in infra/main.bicep, prefix = toLower(namePrefix),
# token = uniqueString(...) (13 lowercase letters and digits), so the name is 'kv-<prefix>-' and
# then only letters and digits, as many as fit in 24 characters.
# --resource-type vault: without it, `az keyvault list` also lists managed HSMs and swallows every
# error (a failed sign-in would look like "no vault", and so like a first deployment).
$vaultPrefix = "kv-$($NamePrefix.ToLowerInvariant())-"
$tokenLength = [Math]::Min(13, 24 - $vaultPrefix.Length)
$list = Invoke-AzQuiet @('keyvault', 'list', '--resource-group', $ResourceGroup, '--resource-type', 'vault', '--query', '[].name', '-o', 'tsv')
if ($list.ExitCode -ne 0) {
    if ($list.Error) { [Console]::Error.WriteLine($list.Error) }
    Stop-Unsure "could not list the key vaults of resource group $ResourceGroup"
}
$vaults = @($list.Output | ForEach-Object { $_.Trim().ToLowerInvariant() } | Where-Object {
        $_.StartsWith($vaultPrefix, [System.StringComparison]::Ordinal) -and
        $_.Substring($vaultPrefix.Length) -cmatch "^[a-z0-9]{$tokenLength}$"
    })

$secretExists = $false
$vault = ''
if ($vaults.Count -gt 1) {
    Stop-Unsure "several key vaults in $ResourceGroup have this instance's name ($($vaults -join ' '))"
}
elseif ($vaults.Count -eq 1) {
    $vault = $vaults[0]
    # `az resource show` exits with 3 on a 404 (ResourceNotFoundError) and with 1 on anything
    # else (not signed in, 401/403, throttling, 5xx): only a 404 that names a missing resource
    # means "no secret yet".
    $lookup = Invoke-AzQuiet @('resource', 'show', '--resource-group', $ResourceGroup, '--namespace', 'Microsoft.KeyVault',
        '--parent', "vaults/$vault", '--resource-type', 'secrets', '--name', $secretName,
        '--api-version', $keyVaultApiVersion, '--query', 'id', '-o', 'tsv')
    if ($lookup.ExitCode -eq 0) {
        $secretExists = $true
    }
    elseif ($lookup.ExitCode -ne 3 -or
        $lookup.Error -notmatch 'ResourceNotFound|SecretNotFound|was not found' -or
        $lookup.Error -match 'ResourceGroupNotFound|SubscriptionNotFound') {
        if ($lookup.Error) { [Console]::Error.WriteLine($lookup.Error) }
        Stop-Unsure "could not tell whether secret $secretName exists in Key Vault $vault (az exit code $($lookup.ExitCode))"
    }
}

# Matched as text, case-insensitively (ARM parameter names are): a mention anywhere counts.
$fileSetsKey = [bool] ($ParametersFile -and (Select-String -LiteralPath $ParametersFile -Pattern '"caseSearchHmacKey"' -SimpleMatch -Quiet))
if ($secretExists -and $fileSetsKey) {
    throw "deploy: $ParametersFile sets caseSearchHmacKey, but the case-search HMAC key already exists in Key Vault $vault. Passing a key would replace it and break every case-search index entry. Remove caseSearchHmacKey from $ParametersFile and run again."
}

$secretsDir = ''
try {
    $keyFile = ''
    if ($secretExists) {
        Write-Host "deploy: the case-search HMAC key exists in Key Vault ${vault}: left as it is (no key is passed)"
    }
    elseif ($fileSetsKey) {
        Write-Host "deploy: first deployment: the case-search HMAC key is the one in $ParametersFile"
    }
    else {
        # 32 random bytes, base64. The key only ever sits in a variable and in a file readable by
        # this user alone, never on a command line (process lists show arguments) nor on screen.
        # CreateTempSubdirectory makes a new folder only this user can open (mode 700 on Linux and
        # macOS; inside the user's own temp folder on Windows).
        $secretsDir = [System.IO.Directory]::CreateTempSubdirectory('deploy-').FullName
        $keyFile = Join-Path $secretsDir 'case-search-key.parameters.json'
        $options = [System.IO.FileStreamOptions]::new()
        $options.Mode = [System.IO.FileMode]::CreateNew
        $options.Access = [System.IO.FileAccess]::Write
        if (-not $IsWindows) {
            $options.UnixCreateMode = [System.IO.UnixFileMode]::UserRead -bor [System.IO.UnixFileMode]::UserWrite
        }
        $key = [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
        $writer = [System.IO.StreamWriter]::new($keyFile, [System.Text.UTF8Encoding]::new($false), $options)
        try {
            $writer.Write('{ "parameters": { "caseSearchHmacKey": { "value": "' + $key + '" } } }' + "`n")
        }
        finally {
            $writer.Dispose()
            Remove-Variable key
        }
        if ($WhatIf) {
            Write-Host "deploy: first deployment: the deployment would create the case-search HMAC key (Key Vault secret $secretName); what-if gets a throwaway key, and the real deployment generates its own"
        }
        else {
            Write-Host "deploy: first deployment: a new case-search HMAC key (32 random bytes) is passed to the deployment, for Key Vault secret $secretName"
        }
    }

    # The parameters file first, then the generated key, then the named values: the command line wins.
    $parameters = @()
    if ($ParametersFile) {
        $parameters += @('--parameters', "@$ParametersFile")
    }
    if ($keyFile) {
        $parameters += @('--parameters', "@$keyFile")
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
    if ($keyFile) {
        Write-Host "deploy: the case-search HMAC key was created (first deployment): it is in Key Vault secret $secretName only"
    }
}
finally {
    if ($secretsDir) {
        Remove-Item -LiteralPath $secretsDir -Recurse -Force -ErrorAction SilentlyContinue
    }
}

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
