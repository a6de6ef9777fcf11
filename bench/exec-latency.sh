#!/usr/bin/env bash
# Start-up latency of `scute exec <env> -- true`, for each Scute backend (namespace; oci,
# through runc or crun; podman), against the floors it is built on: a bare user+mount+pid
# namespace with chroot (util-linux unshare), bubblewrap, and rootless podman, all running
# /bin/true from the same busybox rootfs.
#
# Usage: bench/exec-latency.sh [runs]
#   runs                 hyperfine --runs (default: $RUNS, else 30); warm-up is 3 runs
# Environment:
#   SCUTE_BIN            scute binary (default: <repo>/artifacts/scute/scute, else
#                        /var/tmp/scute-test-bin/scute)
#   RUNS                 same as the argument
#   TEMPLATE             the `scute new` template to build: minimal (dev profile, host
#                        network; default) or app (strict profile, network isolated)
#   BENCH_USER           user to re-run as when invoked as root (default: scute-test)
#   KEEP=1               keep the temporary folder (store, results) for inspection
#   OUT                  also copy hyperfine's JSON export to this file
#
# Run it as a normal user. Invoked as root, it re-runs itself as $BENCH_USER through
# runuser when that user exists (Scute is rootless by design), else it runs as root.
# Output: each command's mean in ms and each Scute backend's ratio to each floor and to
# the namespace backend; hyperfine's
# JSON export is copied to $OUT when set.
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname "$script")/.." && pwd)
runs=${1:-${RUNS:-30}}
template=${TEMPLATE:-minimal}
bench_user=${BENCH_USER:-scute-test}

die() { echo "exec-latency: $*" >&2; exit 1; }

case $runs in ''|*[!0-9]*) die "runs must be a positive integer, got '$runs'";; esac
[ "$runs" -ge 1 ] || die "runs must be at least 1"
case $template in minimal|app) ;; *) die "TEMPLATE must be minimal or app, got '$template'";; esac

# Pick the scute binary before any user switch, so a relative default resolves here.
if [ -z "${SCUTE_BIN:-}" ]; then
    if [ -x "$repo/artifacts/scute/scute" ]; then
        SCUTE_BIN="$repo/artifacts/scute/scute"
    elif [ -x /var/tmp/scute-test-bin/scute ]; then
        SCUTE_BIN=/var/tmp/scute-test-bin/scute
    else
        die "no scute binary: set SCUTE_BIN, or publish one to $repo/artifacts/scute/scute"
    fi
fi
SCUTE_BIN=$(readlink -f "$SCUTE_BIN")
[ -x "$SCUTE_BIN" ] || die "SCUTE_BIN=$SCUTE_BIN is not an executable file"
export SCUTE_BIN

# As root: re-run as the unprivileged bench user when it exists.
if [ "$(id -u)" -eq 0 ] && [ -z "${EXEC_LATENCY_REEXEC:-}" ]; then
    if id -u "$bench_user" >/dev/null 2>&1; then
        echo "exec-latency: running as root; re-running as $bench_user (Scute is rootless)"
        # The script must be readable by that user: copy it to a place it can read.
        copy=$(mktemp /tmp/exec-latency.XXXXXX.sh)
        cp "$script" "$copy"
        chmod 0755 "$copy"
        trap 'rm -f "$copy"' EXIT
        # root's XDG_RUNTIME_DIR (if any) is not usable by the other user.
        set +e
        (cd /tmp && runuser -u "$bench_user" -- env -u XDG_RUNTIME_DIR \
            EXEC_LATENCY_REEXEC=1 SCUTE_BIN="$SCUTE_BIN" RUNS="$runs" TEMPLATE="$template" \
            KEEP="${KEEP:-}" OUT="${OUT:-}" bash "$copy" "$runs")
        rc=$?
        set -e
        exit $rc
    fi
    echo "exec-latency: running as root ($bench_user does not exist)"
fi

command -v hyperfine >/dev/null || die "hyperfine is not installed"
command -v unshare >/dev/null || die "unshare (util-linux) is not installed"

work=$(mktemp -d "${TMPDIR:-/tmp}/scute-exec-latency.XXXXXX")
cleanup() {
    if [ -n "${KEEP:-}" ]; then
        echo "exec-latency: kept $work"
    else
        # Files unpacked as subordinate ids may need the user namespace to remove.
        rm -rf "$work" 2>/dev/null || unshare --user --map-root-user rm -rf "$work" 2>/dev/null || true
    fi
}
trap cleanup EXIT

export SCUTE_STORE="$work/store"
mkdir -p "$work/project"
cd "$work/project"

echo "exec-latency: scute   $SCUTE_BIN ($("$SCUTE_BIN" --version 2>/dev/null || echo '?'))"
echo "exec-latency: user    $(id -un) (uid $(id -u))"
echo "exec-latency: store   $SCUTE_STORE"
"$SCUTE_BIN" new "$template" >/dev/null
"$SCUTE_BIN" build --name q >/dev/null 2>"$work/build.err" || { cat "$work/build.err" >&2; die "scute build failed"; }
# The same manifest with each other backend: another environment (the backend is part of its identity).
manifest=scute.toml
[ -f "$manifest" ] || manifest=karapace.toml
with_backend() { # manifest, backend: the manifest with [runtime] backend set (the table added when missing)
    if grep -q '^backend *=' "$1"; then
        sed "s/^backend *=.*/backend = \"$2\"/" "$1"
    elif grep -q '^\[runtime\]' "$1"; then
        sed "s/^\[runtime\]\$/[runtime]\nbackend = \"$2\"/" "$1"
    else
        cat "$1"; printf '\n[runtime]\nbackend = "%s"\n' "$2"
    fi
}
with_backend "$manifest" oci >oci.toml
if ! "$SCUTE_BIN" build oci.toml --name q-oci >/dev/null 2>"$work/build-oci.err"; then
    echo "exec-latency: no oci environment: $(tr '\n' ' ' <"$work/build-oci.err" | cut -c1-300)"
fi
with_backend "$manifest" podman >podman.toml
if ! "$SCUTE_BIN" build podman.toml --name q-podman >/dev/null 2>"$work/build-podman.err"; then
    echo "exec-latency: no podman environment: $(tr '\n' ' ' <"$work/build-podman.err" | cut -c1-300)"
fi

# The environment, as scute sees it.
"$SCUTE_BIN" --json inspect q >"$work/inspect.json" || die "scute inspect q failed"
env_id=$(sed -n 's/^ *"env_id": *"\([0-9a-f]*\)".*/\1/p' "$work/inspect.json" | head -n1)
[ -n "$env_id" ] || die "no env_id in scute --json inspect q"

# Its unpacked base image: the single images/*/rootfs folder in the temporary store.
shopt -s nullglob
rootfs_dirs=("$SCUTE_STORE"/images/*/rootfs)
shopt -u nullglob
[ "${#rootfs_dirs[@]}" -eq 1 ] || die "expected one images/*/rootfs in $SCUTE_STORE, found ${#rootfs_dirs[@]}"
rootfs=${rootfs_dirs[0]}
[ -x "$rootfs/bin/true" ] || [ -L "$rootfs/bin/true" ] || die "$rootfs has no /bin/true"
echo "exec-latency: env     ${env_id:0:12} (template $template)"
echo "exec-latency: rootfs  $rootfs"

# The floors, each checked once before timing; one that fails here is skipped with its reason.
names=()
cmds=()
add() { names+=("$1"); cmds+=("$2"); }
try() { # name, command: run it once; add it when it works
    local name=$1 cmd=$2 out
    if out=$(bash -c "$cmd" 2>&1); then
        add "$name" "$cmd"
    else
        echo "exec-latency: skipping $name: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
    fi
}

try scute "$SCUTE_BIN exec q -- true"
[ "${names[0]:-}" = scute ] || die "scute exec q -- true does not work here"
try scute-oci "$SCUTE_BIN exec q-oci -- true"
try scute-podman "$SCUTE_BIN exec q-podman -- true"
try unshare "unshare --user --map-root-user --mount --pid --fork chroot $rootfs /bin/true"
if command -v bwrap >/dev/null; then
    # --unshare-all: user, ipc, pid, net, uts, cgroup namespaces (net is skipped with
    # --share-net); a rootless bwrap needs the user namespace, which it creates itself.
    if [ "$template" = app ]; then bwrap_net=""; else bwrap_net="--share-net"; fi
    try bwrap "bwrap --unshare-all $bwrap_net --bind $rootfs / --proc /proc --dev /dev /bin/true"
else
    echo "exec-latency: skipping bwrap: bubblewrap is not installed"
fi
if command -v podman >/dev/null; then
    # The same rootfs as an image, imported before timing. Network as the manifest has it:
    # host for minimal (rootless slirp4netns needs /dev/net/tun), none for app.
    if [ "$template" = app ]; then podman_net=none; else podman_net=host; fi
    podman rmi -f scute-bench-rootfs >/dev/null 2>&1 || true # a leftover of an interrupted run
    if out=$(tar -C "$rootfs" -c . 2>&1 | podman import --quiet - scute-bench-rootfs 2>&1); then
        podman_image=$(printf '%s\n' "$out" | grep -Eo '[0-9a-f]{64}' | tail -n1 || true)
        try podman "podman run --rm --network=$podman_net scute-bench-rootfs /bin/true"
        podman_imported=1
    else
        echo "exec-latency: skipping podman: import failed: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
    fi
else
    echo "exec-latency: skipping podman: not installed"
fi

hf_args=(--warmup 3 --runs "$runs" --export-json "$work/results.json" --export-markdown "$work/results.md" --style basic)
if hyperfine --help 2>/dev/null | grep -q -- '--shell <SHELL>'; then
    hf_args+=(--shell=none) # no shell start-up in the measurement (paths here have no spaces)
fi
for i in "${!names[@]}"; do
    hf_args+=(--command-name "${names[$i]}" "${cmds[$i]}")
done

echo
hyperfine "${hf_args[@]}"

# The image the podman backend loaded for q-podman.
if command -v podman >/dev/null; then
    podman images -q --filter reference='localhost/scute/q-podman' 2>/dev/null | sort -u | xargs -r podman rmi -f >/dev/null 2>&1 || true
fi
if [ -n "${podman_imported:-}" ]; then
    podman rmi -f "${podman_image:-scute-bench-rootfs}" >/dev/null 2>&1 || podman rmi -f scute-bench-rootfs >/dev/null 2>&1 || true
fi

# Summary: means in ms, and scute's ratio to each floor.
echo
echo "== exec latency, /bin/true, $runs runs after 3 warm-up runs ($(id -un), $(uname -r))"
if command -v python3 >/dev/null; then
    python3 - "$work/results.json" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
means = {r["command"]: r["mean"] * 1000 for r in results}
stddev = {r["command"]: (r.get("stddev") or 0) * 1000 for r in results}
for name, mean in means.items():
    print(f"  {name:<10} mean {mean:8.2f} ms  (± {stddev[name]:.2f} ms)")
for backend, value in means.items():
    if not backend.startswith("scute"):
        continue
    for name, mean in means.items():
        if name != backend and mean > 0 and (not name.startswith("scute") or name == "scute"):
            print(f"  {backend}/{name} = {value / mean:.2f}x")
PY
else
    # No python3: pull "command" and "mean" out of hyperfine's pretty-printed JSON.
    awk '
        /"command":/ { gsub(/.*"command": *"|".*/, ""); cmd = $0 }
        /"mean":/    { gsub(/.*"mean": *|,.*/, ""); n++; name[n] = cmd; mean[n] = $0 * 1000 }
        END {
            for (i = 1; i <= n; i++) printf "  %-10s mean %8.2f ms\n", name[i], mean[i]
            for (j = 1; j <= n; j++) if (name[j] ~ /^scute/)
                for (i = 1; i <= n; i++) if (i != j && mean[i] > 0 && (name[i] !~ /^scute/ || name[i] == "scute")) printf "  %s/%s = %.2fx\n", name[j], name[i], mean[j] / mean[i]
        }' "$work/results.json"
fi
if [ -n "${OUT:-}" ]; then
    cp "$work/results.json" "$OUT"
    echo "  hyperfine JSON: $OUT"
elif [ -n "${KEEP:-}" ]; then
    echo "  hyperfine JSON: $work/results.json"
fi
