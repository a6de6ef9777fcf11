#!/usr/bin/env bash
# Installs what Scute and its tests need from Debian's packages, only what is missing.
set -euo pipefail
need=()
want() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || need+=("$1"); }
for pkg in "$@"; do want "$pkg"; done
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages: ${need[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! command -v dotnet >/dev/null 2>&1; then
  echo "the .NET 10 SDK is required (dotnet on PATH)" >&2
  exit 1
fi
