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
#
# Checks: health, client-address (the address the app resolves for you from X-Forwarded-For and
# Network__TrustedProxyHops, asked twice: plainly and with a forged X-Forwarded-For: 192.0.2.1),
# unauthenticated, queue, worm.
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

function Invoke-Get([string] $Url, [hashtable] $Headers = @{}) {
    # Status and body whatever the status: -SkipHttpErrorCheck keeps 4xx/5xx from throwing.
    try {
        $response = Invoke-WebRequest -Uri $Url -Method Get -Headers $Headers -SkipHttpErrorCheck -TimeoutSec 30 -UseBasicParsing
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
$healthOk = $health.Status -eq 200 -and $status -eq 'healthy'
if ($healthOk) {
    Write-Check $true 'health' "GET $ApiBaseUrl/health answered 200, status healthy"
}
elseif ($health.Status -eq 0) {
    Write-Check $false 'health' "GET $ApiBaseUrl/health got no answer ($($health.Error))"
}
else {
    $body = $health.Body.Substring(0, [Math]::Min(300, $health.Body.Length))
    Write-Check $false 'health' "GET $ApiBaseUrl/health answered $($health.Status): $body"
}

# 2. The client address the app resolves for you (X-Forwarded-For past Network__TrustedProxyHops): the
# admin API's allow-list, submission-key address bindings, the throttle and the audit trail use it.
# The health answer above is the plain request (not checked when the health check failed); a second
# one carries a forged entry, as any client could send. 192.0.2.1 is TEST-NET-1 (RFC 5737): never a real client's address.
$forgedEntry = '192.0.2.1'
$unresolved = 'the app cannot resolve your address: Network__TrustedProxyHops does not match this platform (the admin API then refuses everyone)'
$believed = 'a forged X-Forwarded-For is believed: Network__TrustedProxyHops is too high for this platform; anyone could claim an allowed address'

function Get-ClientAddress([string] $Body) {
    # The clientAddress of a health answer: Present $false when absent (or the body is not a JSON object);
    # otherwise Value, $null for JSON null.
    $json = $null
    try { $json = $Body | ConvertFrom-Json } catch { $json = $null }
    if ($json -isnot [System.Management.Automation.PSCustomObject] -or -not $json.PSObject.Properties['clientAddress']) {
        return [pscustomobject]@{ Present = $false; Value = $null }
    }
    return [pscustomobject]@{ Present = $true; Value = $json.clientAddress }
}

function Format-ClientAddress($Answer) {
    if (-not $Answer.Present) { return 'no clientAddress' }
    if ($null -eq $Answer.Value) { return 'null' }
    return [string] $Answer.Value
}

function Test-IsAddress($Value) {
    return $Value -is [string] -and $Value -cmatch '^[0-9A-Fa-f.:]+$'
}

if (-not $healthOk) {
    Write-Check $false 'client-address' 'not checked: it reads the health answer, which failed (see the health line)'
}
else {
    $plain = Get-ClientAddress $health.Body
    $forgedResponse = Invoke-Get "$ApiBaseUrl/health" @{ 'X-Forwarded-For' = $forgedEntry }
    $forged = if ($forgedResponse.Status -eq 200) { Get-ClientAddress $forgedResponse.Body } else { [pscustomobject]@{ Present = $false; Value = $null } }
    $forgedBelieved = $forged.Present -and $forged.Value -is [string] -and $forged.Value -ceq $forgedEntry
    if (-not $plain.Present -or $null -eq $plain.Value) {
        $detail = $unresolved
        if (-not $plain.Present) { $detail += ' (the health answer has no clientAddress at all: if this app version predates it, deploy the current one and run verify again)' }
        if ($forgedBelieved) { $detail += "; also $believed (with X-Forwarded-For: $forgedEntry the app saw $forgedEntry)" }
        Write-Check $false 'client-address' $detail
    }
    elseif (-not (Test-IsAddress $plain.Value)) {
        $text = Format-ClientAddress $plain
        Write-Check $false 'client-address' "the health answer's clientAddress is not an address: $($text.Substring(0, [Math]::Min(100, $text.Length)))"
    }
    elseif ($forgedResponse.Status -eq 0) {
        Write-Check $false 'client-address' "could not check a forged X-Forwarded-For: GET $ApiBaseUrl/health got no answer ($($forgedResponse.Error))"
    }
    elseif ($forgedResponse.Status -ne 200) {
        Write-Check $false 'client-address' "could not check a forged X-Forwarded-For: GET $ApiBaseUrl/health with X-Forwarded-For: $forgedEntry answered $($forgedResponse.Status)"
    }
    elseif ($forgedBelieved) {
        Write-Check $false 'client-address' "$believed (with X-Forwarded-For: $forgedEntry the app saw $forgedEntry)"
    }
    elseif (-not $forged.Present -or $forged.Value -isnot [string] -or $forged.Value -cne $plain.Value) {
        Write-Check $false 'client-address' "$believed (the app saw you as $($plain.Value) without the header and as $(Format-ClientAddress $forged) with X-Forwarded-For: $forgedEntry; if your network reaches the Internet through several addresses, run verify again)"
    }
    else {
        Write-Check $true 'client-address' "the app sees you as $($plain.Value) (compare with your gateway's address; the admin API allow-list compares this)"
    }
}

# 3. An unauthenticated call is refused with 401.
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

# 4. A queue round trip through the app (the ops tool's probe, with the operator's Azure sign-in).
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

# 5. The WORM policy on the audit-seal container exists (a management-plane read: no storage key).
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
