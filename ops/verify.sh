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
#
# Checks: health, client-address (the address the app resolves for you from X-Forwarded-For and
# Network__TrustedProxyHops, asked twice: plainly and with a forged X-Forwarded-For: 192.0.2.1),
# unauthenticated, queue, worm.
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
health_ok=false
if [ "$code" = 200 ] && tr -d '\r\n' <"$work/health.json" | grep -Eq '"status"[[:space:]]*:[[:space:]]*"healthy"'; then
    health_ok=true
    report OK health "GET $api_base_url/health answered 200, status healthy"
elif [ "$code" = 000 ]; then
    report FAILED health "GET $api_base_url/health got no answer ($(head -c 200 "$work/curl.err"))"
else
    report FAILED health "GET $api_base_url/health answered $code: $(head -c 300 "$work/health.json")"
fi

# 2. The client address the app resolves for you (X-Forwarded-For past Network__TrustedProxyHops): the
# admin API's allow-list, submission-key address bindings, the throttle and the audit trail use it.
# The health answer above is the plain request (not checked when the health check failed); a second
# one carries a forged entry, as any client could send. 192.0.2.1 is TEST-NET-1 (RFC 5737): never a real client's address.
forged_entry="192.0.2.1"
unresolved="the app cannot resolve your address: Network__TrustedProxyHops does not match this platform (the admin API then refuses everyone)"
believed="a forged X-Forwarded-For is believed: Network__TrustedProxyHops is too high for this platform; anyone could claim an allowed address"

client_address() { # client_address FILE: the clientAddress token of a health answer: null, "TEXT", another value, or nothing when absent
    tr -d '\r\n' <"$1" \
        | sed -nE 's/.*"clientAddress"[[:space:]]*:[[:space:]]*(null|"[^"]*"|[^,}[:space:]]+).*/\1/p'
}
shown() { # shown TOKEN: the token as a person reads it
    case "$1" in
        '') printf 'no clientAddress' ;;
        *) printf '%s' "${1//\"/}" ;;
    esac
}
is_address() { # is_address TOKEN: a quoted string of hex digits, dots and colons only
    case "$1" in
        '""' | \"*[!0-9A-Fa-f.:]*\") return 1 ;;
        \"*\") return 0 ;;
        *) return 1 ;;
    esac
}

if [ "$health_ok" != true ]; then
    report FAILED client-address "not checked: it reads the health answer, which failed (see the health line)"
else
    plain="$(client_address "$work/health.json")"
    forged_code="$(curl -sS -o "$work/forged.json" -w '%{http_code}' --max-time 30 \
        -H "X-Forwarded-For: $forged_entry" "$api_base_url/health" 2>"$work/curl.err")" || forged_code="000"
    forged=""
    [ "$forged_code" != 200 ] || forged="$(client_address "$work/forged.json")"
    if [ -z "$plain" ] || [ "$plain" = null ]; then
        detail="$unresolved"
        [ -n "$plain" ] || detail="$detail (the health answer has no clientAddress at all: if this app version predates it, deploy the current one and run verify again)"
        [ "$forged" != "\"$forged_entry\"" ] || detail="$detail; also $believed (with X-Forwarded-For: $forged_entry the app saw $forged_entry)"
        report FAILED client-address "$detail"
    elif ! is_address "$plain"; then
        report FAILED client-address "the health answer's clientAddress is not an address: $(shown "$plain" | head -c 100)"
    elif [ "$forged_code" = 000 ]; then
        report FAILED client-address "could not check a forged X-Forwarded-For: GET $api_base_url/health got no answer ($(head -c 200 "$work/curl.err"))"
    elif [ "$forged_code" != 200 ]; then
        report FAILED client-address "could not check a forged X-Forwarded-For: GET $api_base_url/health with X-Forwarded-For: $forged_entry answered $forged_code"
    elif [ "$forged" = "\"$forged_entry\"" ]; then
        report FAILED client-address "$believed (with X-Forwarded-For: $forged_entry the app saw $forged_entry)"
    elif [ "$forged" != "$plain" ]; then
        report FAILED client-address "$believed (the app saw you as $(shown "$plain") without the header and as $(shown "$forged") with X-Forwarded-For: $forged_entry; if your network reaches the Internet through several addresses, run verify again)"
    else
        report OK client-address "the app sees you as $(shown "$plain") (compare with your gateway's address; the admin API allow-list compares this)"
    fi
fi

# 3. An unauthenticated call is refused with 401.
code="$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$api_base_url/cases?status=registered" 2>"$work/curl.err")" || code="000"
if [ "$code" = 401 ]; then
    report OK unauthenticated "GET $api_base_url/cases?status=registered without a token answered 401"
elif [ "$code" = 000 ]; then
    report FAILED unauthenticated "GET $api_base_url/cases?status=registered got no answer ($(head -c 200 "$work/curl.err"))"
else
    report FAILED unauthenticated "GET $api_base_url/cases?status=registered without a token answered $code, not 401"
fi

# 4. A queue round trip through the app (the ops tool's probe, with the operator's Azure sign-in).
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

# 5. The WORM policy on the audit-seal container exists (a management-plane read: no storage key).
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
