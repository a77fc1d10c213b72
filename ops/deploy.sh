#!/usr/bin/env bash
# Deploy one municipality's instance into an existing resource group, then publish the app.
# PowerShell twin: ops/deploy.ps1 (same arguments, same az calls). See ops/README.md.
#
#   ops/deploy.sh --resource-group RG --name-prefix PREFIX --alert-email ADDRESS \
#                 [--location japaneast|japanwest] [--parameters-file FILE] [--what-if] [--no-publish]
#
# --what-if runs `az deployment group what-if` only: nothing is created and nothing is published.
# DOTNET names the dotnet executable used for `dotnet publish` (default: dotnet).
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

# The parameters file first, the named values after it: the command line wins.
parameters=()
if [ -n "$parameters_file" ]; then
    parameters+=(--parameters "@$parameters_file")
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

api_base_url="$(output_value API_BASE_URL "$outputs")"
function_app="$(output_value AZURE_FUNCTION_APP_NAME "$outputs")"

if [ "$publish" = true ]; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
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
