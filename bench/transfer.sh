#!/usr/bin/env bash
# Push and pull of an environment through a registry against `skopeo copy` of the same image,
# in one run: a docker-registry on 127.0.0.1 (started here, stopped at the end), one
# environment built from IMAGE, then
#   scute push  <env>        → registry/scute/env:1
#   skopeo copy oci:<export> → registry/skopeo/env:1     (the same image, `scute export oci`)
#   scute pull  registry/scute/env:1 into an empty store
#   skopeo copy docker://registry/skopeo/env:1 → an OCI layout
# and prints each wall time and the ratios scute/skopeo. One run each: it is a comparison,
# not a statistic; rerun it for spread.
#
# Usage: bench/transfer.sh
# Environment:
#   SCUTE_BIN     scute binary (default: <repo>/artifacts/scute/scute, else /var/tmp/scute-test-bin/scute)
#   IMAGE         base.image of the environment (default: builtin:busybox; a Debian
#                 environment is e.g. IMAGE=debian/bookworm with a reachable image server)
#   FILL_MB       MiB of random data written into the environment before the push (default 64)
#   BENCH_USER    user to re-run as when invoked as root (default: scute-test)
#   KEEP=1        keep the temporary folder
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname "$script")/.." && pwd)
bench_user=${BENCH_USER:-scute-test}
image=${IMAGE:-builtin:busybox}
fill_mb=${FILL_MB:-64}

die() { echo "transfer: $*" >&2; exit 1; }
case $fill_mb in ''|*[!0-9]*) die "FILL_MB must be a number, got '$fill_mb'";; esac

if [ -z "${SCUTE_BIN:-}" ]; then
    if [ -x "$repo/artifacts/scute/scute" ]; then SCUTE_BIN="$repo/artifacts/scute/scute"
    elif [ -x /var/tmp/scute-test-bin/scute ]; then SCUTE_BIN=/var/tmp/scute-test-bin/scute
    else die "no scute binary: set SCUTE_BIN, or publish one to $repo/artifacts/scute/scute"; fi
fi
SCUTE_BIN=$(readlink -f "$SCUTE_BIN")
[ -x "$SCUTE_BIN" ] || die "SCUTE_BIN=$SCUTE_BIN is not executable"

if [ "$(id -u)" -eq 0 ] && [ -z "${TRANSFER_REEXEC:-}" ] && id -u "$bench_user" >/dev/null 2>&1; then
    echo "transfer: running as root; re-running as $bench_user (Scute is rootless)"
    copy=$(mktemp /tmp/transfer.XXXXXX.sh)
    cp "$script" "$copy"; chmod 0755 "$copy"
    trap 'rm -f "$copy"' EXIT
    set +e
    (cd /tmp && runuser -u "$bench_user" -- env -u XDG_RUNTIME_DIR TRANSFER_REEXEC=1 SCUTE_BIN="$SCUTE_BIN" \
        IMAGE="$image" FILL_MB="$fill_mb" KEEP="${KEEP:-}" SCUTE_IMAGE_SERVER="${SCUTE_IMAGE_SERVER:-}" bash "$copy")
    rc=$?
    set -e
    exit $rc
fi

command -v docker-registry >/dev/null || die "docker-registry is not installed"
command -v skopeo >/dev/null || die "skopeo is not installed"
[ -n "${SCUTE_IMAGE_SERVER:-}" ] || unset SCUTE_IMAGE_SERVER

work=$(mktemp -d "${TMPDIR:-/tmp}/scute-transfer.XXXXXX")
registry_pid=
cleanup() {
    [ -z "$registry_pid" ] || kill "$registry_pid" 2>/dev/null || true
    if [ -n "${KEEP:-}" ]; then echo "transfer: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

port=$(( 20000 + RANDOM % 20000 ))
host=127.0.0.1:$port
mkdir -p "$work/registry" "$work/project"
cat > "$work/registry.yml" <<YML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $host
YML
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fs "http://$host/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

export SCUTE_INSECURE_REGISTRIES=$host
cat > "$work/project/scute.toml" <<TOML
manifest_version = 1

[base]
image = "$image"

[runtime]
backend = "namespace"
TOML
cd "$work/project"
SCUTE_STORE=$work/a "$SCUTE_BIN" build --name bench >/dev/null
if [ "$fill_mb" -gt 0 ]; then
    SCUTE_STORE=$work/a "$SCUTE_BIN" exec bench -- sh -c "dd if=/dev/urandom of=/fill bs=1M count=$fill_mb 2>/dev/null"
fi
SCUTE_STORE=$work/a "$SCUTE_BIN" export oci bench "$work/layout" >/dev/null

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); echo "$end - $start" | bc -l; }

push=$(seconds env SCUTE_STORE="$work/a" "$SCUTE_BIN" push bench "$host/scute/env:1")
skopeo_push=$(seconds skopeo copy --quiet --dest-tls-verify=false --dest-no-creds "oci:$work/layout" "docker://$host/skopeo/env:1")
pull=$(seconds env SCUTE_STORE="$work/b" "$SCUTE_BIN" pull "$host/scute/env:1")
skopeo_pull=$(seconds skopeo copy --quiet --src-tls-verify=false --src-no-creds "docker://$host/skopeo/env:1" "oci:$work/copy:1")
size=$(du -sb "$work/layout/blobs" | cut -f1)

printf 'transfer: image %s, %s MiB filled, %s MiB of blobs, registry %s\n' "$image" "$fill_mb" "$((size / 1048576))" "$host"
printf '  scute push   %8.2f s   skopeo copy (push)  %8.2f s   ratio %.2f\n' "$push" "$skopeo_push" "$(echo "$push / $skopeo_push" | bc -l)"
printf '  scute pull   %8.2f s   skopeo copy (pull)  %8.2f s   ratio %.2f\n' "$pull" "$skopeo_pull" "$(echo "$pull / $skopeo_pull" | bc -l)"
printf '  (scute pull also recreates the environment: base rootfs unpacked, upper folder extracted)\n'
