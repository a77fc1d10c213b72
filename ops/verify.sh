#!/usr/bin/env bash
# Check a deployed instance: one line per check (OK or FAILED), exit 1 when any check failed.
# PowerShell twin: ops/verify.ps1. See ops/README.md.
#
#   ops/verify.sh --resource-group RG [--api-base-url URL] [--storage-account NAME]
#                 [--deployment-name main] [--probe-timeout 120]
#
# Without --api-base-url or --storage-account, both come from the outputs of the deployment
# (`az deployment group show`). SERVERLESS_OPS names the ops tool to run for the queue probe
# (default: `dotnet run --project tools/Ops --`).
set -euo pipefail

usage() {
    sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,3\}//' >&2
    exit 2
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
audit_seal_container="audit-seals"

resource_group=""
api_base_url=""
storage_account=""
deployment_name="main"
probe_timeout=120

while [ "$#" -gt 0 ]; do
    case "$1" in
        -g | --resource-group) [ "$#" -ge 2 ] || usage; resource_group="$2"; shift 2 ;;
        --api-base-url) [ "$#" -ge 2 ] || usage; api_base_url="$2"; shift 2 ;;
        --storage-account) [ "$#" -ge 2 ] || usage; storage_account="$2"; shift 2 ;;
        --deployment-name) [ "$#" -ge 2 ] || usage; deployment_name="$2"; shift 2 ;;
        --probe-timeout) [ "$#" -ge 2 ] || usage; probe_timeout="$2"; shift 2 ;;
        -h | --help) usage ;;
        *) echo "verify: unknown argument: $1" >&2; usage ;;
    esac
done

[ -n "$resource_group" ] || { echo "verify: --resource-group is required" >&2; usage; }
case "$probe_timeout" in
    '' | *[!0-9]*) echo "verify: --probe-timeout takes whole seconds" >&2; exit 2 ;;
esac

output_value() {
    local name="$1" json="$2"
    printf '%s' "$json" | tr -d '\r\n' \
        | sed -n "s/.*\"$name\"[[:space:]]*:[[:space:]]*{[^}]*\"value\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p"
}

if [ -z "$api_base_url" ] || [ -z "$storage_account" ]; then
    outputs="$(az deployment group show \
        --resource-group "$resource_group" \
        --name "$deployment_name" \
        --query properties.outputs -o json)" \
        || { echo "verify: could not read the outputs of deployment '$deployment_name' in $resource_group" >&2; exit 1; }
    [ -n "$api_base_url" ] || api_base_url="$(output_value API_BASE_URL "$outputs")"
    [ -n "$storage_account" ] || storage_account="$(output_value AZURE_STORAGE_ACCOUNT_NAME "$outputs")"
fi
[ -n "$api_base_url" ] || { echo "verify: no API base URL (give --api-base-url)" >&2; exit 1; }
[ -n "$storage_account" ] || { echo "verify: no storage account (give --storage-account)" >&2; exit 1; }
api_base_url="${api_base_url%/}"

failed=0
report() { # report OK|FAILED NAME DETAIL
    printf '%-6s %s: %s\n' "$1" "$2" "$3"
    if [ "$1" != OK ]; then
        failed=$((failed + 1))
    fi
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. Health: 200 with status "healthy".
code="$(curl -sS -o "$work/health.json" -w '%{http_code}' --max-time 30 "$api_base_url/health" 2>"$work/curl.err")" || code="000"
if [ "$code" = 200 ] && tr -d '\r\n' <"$work/health.json" | grep -Eq '"status"[[:space:]]*:[[:space:]]*"healthy"'; then
    report OK health "GET $api_base_url/health answered 200, status healthy"
elif [ "$code" = 000 ]; then
    report FAILED health "GET $api_base_url/health got no answer ($(head -c 200 "$work/curl.err"))"
else
    report FAILED health "GET $api_base_url/health answered $code: $(head -c 300 "$work/health.json")"
fi

# 2. An unauthenticated call is refused with 401.
code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$api_base_url/cases?status=registered" 2>"$work/curl.err")" || code="000"
if [ "$code" = 401 ]; then
    report OK unauthenticated "GET $api_base_url/cases?status=registered without a token answered 401"
elif [ "$code" = 000 ]; then
    report FAILED unauthenticated "GET $api_base_url/cases?status=registered got no answer ($(head -c 200 "$work/curl.err"))"
else
    report FAILED unauthenticated "GET $api_base_url/cases?status=registered without a token answered $code, not 401"
fi

# 3. A queue round trip through the app (the ops tool's probe, with the operator's Azure sign-in).
if [ -n "${SERVERLESS_OPS:-}" ]; then
    probe=("$SERVERLESS_OPS")
else
    probe=("${DOTNET:-dotnet}" run --project "$repo_root/tools/Ops" --)
fi
if "${probe[@]}" probe --account "$storage_account" --timeout "$probe_timeout" >"$work/probe.out" 2>&1; then
    report OK queue "probe round trip through $storage_account completed"
else
    report FAILED queue "probe through $storage_account did not complete: $(tail -n 3 "$work/probe.out" | tr '\n' ' ')"
fi

# 4. The WORM policy on the audit-seal container exists (a management-plane read: no storage key).
# https://learn.microsoft.com/cli/azure/storage/container/immutability-policy#az-storage-container-immutability-policy-show
if policy="$(az storage container immutability-policy show \
    --resource-group "$resource_group" \
    --account-name "$storage_account" \
    --container-name "$audit_seal_container" \
    --query "[immutabilityPeriodSinceCreationInDays, state]" -o tsv 2>"$work/az.err")"; then
    days="$(printf '%s' "$policy" | tr -s '\t\r\n' '  ' | cut -d' ' -f1)"
    state="$(printf '%s' "$policy" | tr -s '\t\r\n' '  ' | cut -d' ' -f2)"
    case "$days" in
        '' | *[!0-9]* | 0) report FAILED worm "container $audit_seal_container has no time-based retention policy (got '$policy')" ;;
        *) report OK worm "container $audit_seal_container keeps blob versions $days days (policy $state)" ;;
    esac
else
    report FAILED worm "could not read the immutability policy of $audit_seal_container: $(head -c 300 "$work/az.err")"
fi

if [ "$failed" -gt 0 ]; then
    echo "verify: $failed check(s) FAILED"
    exit 1
fi
echo "verify: all checks passed"
