#!/usr/bin/env bash
# Quick start: install what is missing, build Scute, then build an environment on the
# built-in base image (no network), run a command in it, and show what was enforced.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
scripts/install-deps.sh $(cat scripts/runtime-packages.txt)

echo "== building scute (NativeAOT)"
dotnet publish src/Scute.Cli -c Release -o "$root/artifacts/scute" -nologo -clp:ErrorsOnly >/dev/null
# scute tui runs the scute-tui program beside scute (Terminal.Gui stays out of scute's start-up).
dotnet publish src/Scute.Tui -c Release -o "$root/artifacts/scute-tui" -nologo -clp:ErrorsOnly >/dev/null
cp "$root/artifacts/scute-tui/scute-tui" "$root/artifacts/scute/scute-tui"
scute="$root/artifacts/scute/scute"

demo="$root/.scute-run"
rm -rf "$demo"; mkdir -p "$demo/project"
export SCUTE_STORE="$demo/store"
cd "$demo/project"

echo; echo "== scute new app    (a locked-down manifest, profile strict)"
"$scute" new app
echo; echo "== scute build --name quickstart"
"$scute" build --name quickstart
echo; echo "== scute exec quickstart -- ...   (what the process sees from the inside)"
"$scute" exec quickstart -- sh -c '
  echo "id:               $(id)"
  grep -E "^(NoNewPrivs|Cap(Inh|Prm|Eff|Bnd|Amb)|Seccomp):" /proc/self/status | sed "s/^/status:           /"
  if touch /probe 2>/dev/null; then echo "write to /:       allowed"; else echo "write to /:       refused (read-only root)"; fi
  if unshare -U true 2>/dev/null; then echo "new namespace:    allowed"; else echo "new namespace:    refused (seccomp)"; fi
  echo "/proc/keys:       $(wc -c < /proc/keys) bytes (masked)"
  echo "devices:          $(ls /dev | tr "\n" " ")"
  echo "network:          $(ls /sys/class/net 2>/dev/null | tr "\n" " ")"
  echo "hostname:         $(hostname)"'
echo; echo "== scute audit   (every relaxation, with its reason; none for this manifest)"
"$scute" audit
echo; echo "== scute list"
"$scute" list
echo; echo "The store is in $SCUTE_STORE; remove it with: rm -rf $demo"
