#!/usr/bin/env bash
# Deploy one municipality's instance into an existing resource group, then publish the app.
# PowerShell twin: ops/deploy.ps1 (same arguments, same az calls). See ops/README.md.
#
#   ops/deploy.sh --resource-group RG --name-prefix PREFIX --alert-email ADDRESS \
#                 [--location japaneast|japanwest] [--parameters-file FILE] [--what-if] [--no-publish]
#
# --what-if runs `az deployment group what-if` only: nothing is created and nothing is published.
# DOTNET names the dotnet executable used for `dotnet publish` (default: dotnet).
#
# The case-search HMAC key (Key Vault secret case-search-hmac-key) is created on the first
# deployment only: the script asks Azure Resource Manager whether the secret exists and, when it
# does not, passes a new random key in a temporary parameters file. It never passes a key for an
# existing secret: a new key would orphan every case-search index entry.
set -euo pipefail

usage() {
    sed -n '5,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,3\}//' >&2
    exit 2
}

die() {
    echo "deploy: $*" >&2
    exit 1
}

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
template="$repo_root/infra/main.bicep"
functions_project="$repo_root/functions/Serverless.Functions"
# Both as in infra/main.bicep (caseSearchHmacKeySecretName) and infra/modules/keyvault.bicep
# (the API version of the vault and its secrets).
secret_name="case-search-hmac-key"
key_vault_api_version="2023-07-01"

resource_group=""
name_prefix=""
alert_email=""
location="japaneast"
parameters_file=""
what_if=false
publish=true

while [ "$#" -gt 0 ]; do
    case "$1" in
        -g | --resource-group) [ "$#" -ge 2 ] || usage; resource_group="$2"; shift 2 ;;
        -p | --name-prefix) [ "$#" -ge 2 ] || usage; name_prefix="$2"; shift 2 ;;
        -e | --alert-email) [ "$#" -ge 2 ] || usage; alert_email="$2"; shift 2 ;;
        -l | --location) [ "$#" -ge 2 ] || usage; location="$2"; shift 2 ;;
        --parameters-file) [ "$#" -ge 2 ] || usage; parameters_file="$2"; shift 2 ;;
        --what-if) what_if=true; shift ;;
        --no-publish) publish=false; shift ;;
        -h | --help) usage ;;
        *) echo "deploy: unknown argument: $1" >&2; usage ;;
    esac
done

[ -n "$resource_group" ] || { echo "deploy: --resource-group is required" >&2; usage; }
[ -n "$name_prefix" ] || { echo "deploy: --name-prefix is required" >&2; usage; }
[ -n "$alert_email" ] || { echo "deploy: --alert-email is required" >&2; usage; }
case "$location" in
    japaneast | japanwest) ;;
    *) die "--location must be japaneast or japanwest (personal data stays in Japan), not '$location'" ;;
esac
if [ -n "$parameters_file" ]; then
    [ -f "$parameters_file" ] || die "parameters file not found: $parameters_file"
fi

# Temporary folders, removed however the script ends (an interrupt included).
secrets_dir=""
work=""
cleanup() {
    if [ -n "$secrets_dir" ]; then rm -rf "$secrets_dir"; fi
    if [ -n "$work" ]; then rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

refuse_to_guess() {
    die "$1. Nothing was deployed: without knowing whether the case-search HMAC key exists, a new key could replace it and break case search. Check 'az login', the subscription ('az account show') and that you can read resource group $resource_group, then run again."
}

# --- Does the case-search HMAC key exist? Control plane only: Reader on the group is enough, and
# the ARM read of a vault secret returns its metadata, never its value.
#
# The vault: take('kv-${prefix}-${token}', 24) in infra/main.bicep, prefix = toLower(namePrefix),
# token = uniqueString(...) (13 lowercase letters and digits), so the name is 'kv-<prefix>-' and
# then only letters and digits, as many as fit in 24 characters.
# --resource-type vault: without it, `az keyvault list` also lists managed HSMs and swallows every
# error (a failed sign-in would look like "no vault", and so like a first deployment).
vault_prefix="kv-$(printf '%s' "$name_prefix" | tr '[:upper:]' '[:lower:]')-"
token_length=$((24 - ${#vault_prefix}))
if [ "$token_length" -gt 13 ]; then token_length=13; fi
vault_names="$(az keyvault list --resource-group "$resource_group" --resource-type vault --query "[].name" -o tsv)" \
    || refuse_to_guess "could not list the key vaults of resource group $resource_group"
vaults=()
while IFS= read -r vault_name; do
    vault_name="$(printf '%s' "$vault_name" | tr -d '\r' | tr '[:upper:]' '[:lower:]')"
    token="${vault_name#"$vault_prefix"}"
    if [ "$token" != "$vault_name" ] && [ "${#token}" -eq "$token_length" ] && [[ "$token" =~ ^[a-z0-9]+$ ]]; then
        vaults+=("$vault_name")
    fi
done <<<"$vault_names"

secret_exists=false
vault=""
if [ "${#vaults[@]}" -gt 1 ]; then
    refuse_to_guess "several key vaults in $resource_group have this instance's name (${vaults[*]})"
elif [ "${#vaults[@]}" -eq 1 ]; then
    vault="${vaults[0]}"
    # `az resource show` exits with 3 on a 404 (ResourceNotFoundError) and with 1 on anything
    # else (not signed in, 401/403, throttling, 5xx): only a 404 that names a missing resource
    # means "no secret yet".
    if lookup_error="$(az resource show \
        --resource-group "$resource_group" \
        --namespace Microsoft.KeyVault \
        --parent "vaults/$vault" \
        --resource-type secrets \
        --name "$secret_name" \
        --api-version "$key_vault_api_version" \
        --query id -o tsv 2>&1 >/dev/null)"; then
        secret_exists=true
    else
        lookup_status=$?
        if [ "$lookup_status" -ne 3 ] \
            || ! printf '%s' "$lookup_error" | grep -Eqi 'ResourceNotFound|SecretNotFound|was not found' \
            || printf '%s' "$lookup_error" | grep -Eqi 'ResourceGroupNotFound|SubscriptionNotFound'; then
            printf '%s\n' "$lookup_error" >&2
            refuse_to_guess "could not tell whether secret $secret_name exists in Key Vault $vault (az exit code $lookup_status)"
        fi
    fi
fi

# Matched as text, case-insensitively (ARM parameter names are): a mention anywhere counts.
file_sets_key=false
if [ -n "$parameters_file" ] && grep -qi '"caseSearchHmacKey"' "$parameters_file"; then
    file_sets_key=true
fi

key_file=""
if [ "$secret_exists" = true ]; then
    if [ "$file_sets_key" = true ]; then
        die "$parameters_file sets caseSearchHmacKey, but the case-search HMAC key already exists in Key Vault $vault. Passing a key would replace it and break every case-search index entry. Remove caseSearchHmacKey from $parameters_file and run again."
    fi
    echo "deploy: the case-search HMAC key exists in Key Vault $vault: left as it is (no key is passed)" >&2
elif [ "$file_sets_key" = true ]; then
    echo "deploy: first deployment: the case-search HMAC key is the one in $parameters_file" >&2
else
    # 32 random bytes, base64. The key only ever sits in a shell variable and in a file readable
    # by this user alone, never on a command line (process lists show arguments) nor on screen.
    if command -v openssl >/dev/null 2>&1; then
        key="$(openssl rand -base64 32)"
    else
        key="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
    fi
    [[ "$key" =~ ^[A-Za-z0-9+/]{43}=$ ]] || die "could not generate the case-search HMAC key (32 random bytes, base64)"
    secrets_dir="$(mktemp -d)"
    chmod 700 "$secrets_dir"
    key_file="$secrets_dir/case-search-key.parameters.json"
    # printf is a shell builtin: the key is not an argument of any process.
    (
        umask 077
        printf '{ "parameters": { "caseSearchHmacKey": { "value": "%s" } } }\n' "$key" >"$key_file"
    )
    unset key
    if [ "$what_if" = true ]; then
        echo "deploy: first deployment: the deployment would create the case-search HMAC key (Key Vault secret $secret_name); what-if gets a throwaway key, and the real deployment generates its own" >&2
    else
        echo "deploy: first deployment: a new case-search HMAC key (32 random bytes) is passed to the deployment, for Key Vault secret $secret_name" >&2
    fi
fi

# The parameters file first, then the generated key, then the named values: the command line wins.
parameters=()
if [ -n "$parameters_file" ]; then
    parameters+=(--parameters "@$parameters_file")
fi
if [ -n "$key_file" ]; then
    parameters+=(--parameters "@$key_file")
fi
parameters+=(--parameters "namePrefix=$name_prefix" "securityAlertEmail=$alert_email" "location=$location")

if [ "$what_if" = true ]; then
    echo "deploy: what-if for resource group $resource_group (nothing is changed, nothing is published)" >&2
    az deployment group what-if \
        --resource-group "$resource_group" \
        --template-file "$template" \
        "${parameters[@]}"
    exit 0
fi

# Reads one string output's value from `--query properties.outputs -o json` without jq:
# each output is {"type": "String", "value": "..."} with no nested object, and the values used
# here (names, URLs) hold no quotes.
output_value() {
    local name="$1" json="$2" value
    value="$(printf '%s' "$json" | tr -d '\r\n' \
        | sed -n "s/.*\"$name\"[[:space:]]*:[[:space:]]*{[^}]*\"value\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p")"
    [ -n "$value" ] || die "the deployment outputs have no value for $name"
    printf '%s\n' "$value"
}

echo "deploy: deploying infra/main.bicep into resource group $resource_group ($location)" >&2
outputs="$(az deployment group create \
    --resource-group "$resource_group" \
    --name main \
    --template-file "$template" \
    "${parameters[@]}" \
    --query properties.outputs -o json)"
printf '%s\n' "$outputs"
if [ -n "$key_file" ]; then
    rm -rf "$secrets_dir"
    secrets_dir=""
    echo "deploy: the case-search HMAC key was created (first deployment): it is in Key Vault secret $secret_name only" >&2
fi

api_base_url="$(output_value API_BASE_URL "$outputs")"
function_app="$(output_value AZURE_FUNCTION_APP_NAME "$outputs")"

if [ "$publish" = true ]; then
    work="$(mktemp -d)"
    echo "deploy: publishing functions/Serverless.Functions (Release)" >&2
    "${DOTNET:-dotnet}" publish "$functions_project" -c Release -o "$work/app"
    [ -f "$work/app/host.json" ] || die "dotnet publish wrote no host.json into $work/app"

    # host.json must sit at the root of the package, so zip the folder's contents, not the folder.
    if command -v zip >/dev/null 2>&1; then
        (cd "$work/app" && zip -q -r "$work/app.zip" .)
    elif command -v python3 >/dev/null 2>&1; then
        (cd "$work/app" && python3 -m zipfile -c "$work/app.zip" ./*)
    else
        die "neither zip nor python3 is installed: cannot build the package"
    fi

    # Microsoft documents `az functionapp deployment source config-zip` as the Azure CLI way to
    # deploy a package to a function app (https://learn.microsoft.com/azure/azure-functions/functions-deployment-technologies,
    # https://learn.microsoft.com/cli/azure/functionapp/deployment/source#az-functionapp-deployment-source-config-zip).
    # Flex Consumption has no Kudu zip deploy (https://learn.microsoft.com/azure/azure-functions/deployment-zip-push):
    # for a Flex app the CLI sends the package to the One Deploy endpoint instead. The package is
    # already compiled, so no remote build (--build-remote false).
    echo "deploy: publishing the package to $function_app" >&2
    az functionapp deployment source config-zip \
        --resource-group "$resource_group" \
        --name "$function_app" \
        --src "$work/app.zip" \
        --build-remote false
else
    echo "deploy: --no-publish: the app package was not published" >&2
fi

echo "API base URL: $api_base_url"
