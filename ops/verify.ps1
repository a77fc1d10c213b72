#!/usr/bin/env pwsh
# Check a deployed instance: one line per check (OK or FAILED), exit 1 when any check failed.
# Bash twin: ops/verify.sh. See ops/README.md.
#
#   ops/verify.ps1 -ResourceGroup RG [-ApiBaseUrl URL] [-StorageAccount NAME] `
#                  [-DeploymentName main] [-ProbeTimeout 120]
#
# Without -ApiBaseUrl or -StorageAccount, both come from the outputs of the deployment
# (`az deployment group show`). $env:SERVERLESS_OPS names the ops tool to run for the queue probe
# (default: `dotnet run --project tools/Ops --`).
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ResourceGroup,
    [string] $ApiBaseUrl = '',
    [string] $StorageAccount = '',
    [string] $DeploymentName = 'main',
    [ValidateRange(1, 3600)] [int] $ProbeTimeout = 120
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$repoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$auditSealContainer = 'audit-seals'

if (-not $ApiBaseUrl -or -not $StorageAccount) {
    $outputsJson = & az deployment group show --resource-group $ResourceGroup --name $DeploymentName --query properties.outputs -o json
    if ($LASTEXITCODE -ne 0) {
        Write-Error "verify: could not read the outputs of deployment '$DeploymentName' in $ResourceGroup"
    }
    $outputs = ($outputsJson -join "`n") | ConvertFrom-Json
    if (-not $ApiBaseUrl -and $outputs.PSObject.Properties['API_BASE_URL']) { $ApiBaseUrl = [string] $outputs.API_BASE_URL.value }
    if (-not $StorageAccount -and $outputs.PSObject.Properties['AZURE_STORAGE_ACCOUNT_NAME']) { $StorageAccount = [string] $outputs.AZURE_STORAGE_ACCOUNT_NAME.value }
}
if (-not $ApiBaseUrl) { Write-Error 'verify: no API base URL (give -ApiBaseUrl)' }
if (-not $StorageAccount) { Write-Error 'verify: no storage account (give -StorageAccount)' }
$ApiBaseUrl = $ApiBaseUrl.TrimEnd('/')

$script:failed = 0
function Write-Check([bool] $Ok, [string] $Name, [string] $Detail) {
    $word = if ($Ok) { 'OK' } else { 'FAILED' }
    Write-Output ('{0,-6} {1}: {2}' -f $word, $Name, $Detail)
    if (-not $Ok) { $script:failed++ }
}

function Invoke-Get([string] $Url) {
    # Status and body whatever the status: -SkipHttpErrorCheck keeps 4xx/5xx from throwing.
    try {
        $response = Invoke-WebRequest -Uri $Url -Method Get -SkipHttpErrorCheck -TimeoutSec 30 -UseBasicParsing
        return [pscustomobject]@{ Status = [int] $response.StatusCode; Body = [string] $response.Content; Error = '' }
    }
    catch {
        return [pscustomobject]@{ Status = 0; Body = ''; Error = $_.Exception.Message }
    }
}

# 1. Health: 200 with status "healthy".
$health = Invoke-Get "$ApiBaseUrl/health"
$status = ''
if ($health.Status -eq 200) {
    try { $status = [string] ($health.Body | ConvertFrom-Json).status } catch { $status = '' }
}
if ($health.Status -eq 200 -and $status -eq 'healthy') {
    Write-Check $true 'health' "GET $ApiBaseUrl/health answered 200, status healthy"
}
elseif ($health.Status -eq 0) {
    Write-Check $false 'health' "GET $ApiBaseUrl/health got no answer ($($health.Error))"
}
else {
    $body = $health.Body.Substring(0, [Math]::Min(300, $health.Body.Length))
    Write-Check $false 'health' "GET $ApiBaseUrl/health answered $($health.Status): $body"
}

# 2. An unauthenticated call is refused with 401.
$cases = Invoke-Get "$ApiBaseUrl/cases?status=registered"
if ($cases.Status -eq 401) {
    Write-Check $true 'unauthenticated' "GET $ApiBaseUrl/cases?status=registered without a token answered 401"
}
elseif ($cases.Status -eq 0) {
    Write-Check $false 'unauthenticated' "GET $ApiBaseUrl/cases?status=registered got no answer ($($cases.Error))"
}
else {
    Write-Check $false 'unauthenticated' "GET $ApiBaseUrl/cases?status=registered without a token answered $($cases.Status), not 401"
}

# 3. A queue round trip through the app (the ops tool's probe, with the operator's Azure sign-in).
if ($env:SERVERLESS_OPS) {
    $probeCommand = $env:SERVERLESS_OPS
    $probeArguments = @()
}
else {
    $probeCommand = if ($env:DOTNET) { $env:DOTNET } else { 'dotnet' }
    $probeArguments = @('run', '--project', (Join-Path $repoRoot 'tools/Ops'), '--')
}
$probeOutput = & $probeCommand @probeArguments probe --account $StorageAccount --timeout $ProbeTimeout 2>&1
if ($LASTEXITCODE -eq 0) {
    Write-Check $true 'queue' "probe round trip through $StorageAccount completed"
}
else {
    $tail = (@($probeOutput) | Select-Object -Last 3) -join ' '
    Write-Check $false 'queue' "probe through $StorageAccount did not complete: $tail"
}

# 4. The WORM policy on the audit-seal container exists (a management-plane read: no storage key).
# https://learn.microsoft.com/cli/azure/storage/container/immutability-policy#az-storage-container-immutability-policy-show
$policy = & az storage container immutability-policy show --resource-group $ResourceGroup --account-name $StorageAccount --container-name $auditSealContainer --query "[immutabilityPeriodSinceCreationInDays, state]" -o tsv 2>&1
if ($LASTEXITCODE -ne 0) {
    Write-Check $false 'worm' "could not read the immutability policy of ${auditSealContainer}: $(@($policy) -join ' ')"
}
else {
    $fields = (@($policy) -join ' ') -split '\s+' | Where-Object { $_ }
    $days = 0
    if (@($fields).Count -ge 1 -and [int]::TryParse($fields[0], [ref] $days) -and $days -gt 0) {
        $state = if (@($fields).Count -ge 2) { $fields[1] } else { '' }
        Write-Check $true 'worm' "container $auditSealContainer keeps blob versions $days days (policy $state)"
    }
    else {
        Write-Check $false 'worm' "container $auditSealContainer has no time-based retention policy (got '$(@($policy) -join ' ')')"
    }
}

if ($script:failed -gt 0) {
    Write-Output "verify: $($script:failed) check(s) FAILED"
    exit 1
}
Write-Output 'verify: all checks passed'
