#!/usr/bin/env bash
# Start-up latency of `scute exec <env> -- true` for the dev (`scute new minimal`) and the strict
# (`scute new app`) template, with each Scute backend (namespace; oci, through runc or crun;
# podman), against what it is built on, all in ONE hyperfine run on the same busybox rootfs:
#   floor      util-linux `unshare --user --map-root-user --mount --pid --fork` mounting kernel
#              overlayfs over the rootfs and chrooting into it (the same work done by hand);
#   unshare    the same without the overlay (user+mount+pid namespaces and chroot only);
#   bwrap      bubblewrap; podman-dev / podman-strict: `podman run --rm` (host / no network);
#   version    `scute --version`; list-500: `scute list` over a store of 500 environments.
# Then issue 9's goals, each with ok/MISS: exec <= 2.0x floor (dev and strict), podman run >= 10x
# slower than exec, list-500 <= 3x --version, --version <= 10 ms.
#
# Usage: bench/exec-latency.sh [runs]
#   runs                 hyperfine --runs (default: $RUNS, else 30); warm-up is 3 runs
# Environment:
#   SCUTE_BIN            scute binary (default: <repo>/artifacts/scute/scute, else
#                        /var/tmp/scute-test-bin/scute)
#   RUNS                 same as the argument
#   BACKENDS             Scute backends to time besides namespace (default "oci podman"; "" for none)
#   LIST_ENVS            environments in the list store (default 500)
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
backends=${BACKENDS-oci podman}
list_envs=${LIST_ENVS:-500}
bench_user=${BENCH_USER:-scute-test}

die() { echo "exec-latency: $*" >&2; exit 1; }

case $runs in ''|*[!0-9]*) die "runs must be a positive integer, got '$runs'";; esac
[ "$runs" -ge 1 ] || die "runs must be at least 1"
case $list_envs in ''|*[!0-9]*) die "LIST_ENVS must be a positive integer, got '$list_envs'";; esac

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
            EXEC_LATENCY_REEXEC=1 SCUTE_BIN="$SCUTE_BIN" RUNS="$runs" BACKENDS="$backends" LIST_ENVS="$list_envs" \
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
mkdir -p "$work/dev" "$work/strict"

echo "exec-latency: scute   $SCUTE_BIN ($("$SCUTE_BIN" --version 2>/dev/null || echo '?'))"
echo "exec-latency: user    $(id -un) (uid $(id -u))"
echo "exec-latency: store   $SCUTE_STORE"

with_backend() { # manifest, backend: the manifest with [runtime] backend set (the table added when missing)
    if grep -q '^backend *=' "$1"; then
        sed "s/^backend *=.*/backend = \"$2\"/" "$1"
    elif grep -q '^\[runtime\]' "$1"; then
        sed "s/^\[runtime\]\$/[runtime]\nbackend = \"$2\"/" "$1"
    else
        cat "$1"; printf '\n[runtime]\nbackend = "%s"\n' "$2"
    fi
}

# dev: `scute new minimal` (dev profile, host network); strict: `scute new app` (strict profile,
# uid 1001 through subordinate ranges, read-only root, network isolated). Each backend is another
# environment of the same manifest (the backend is part of its identity).
for kind in dev strict; do
    template=minimal; [ "$kind" = strict ] && template=app
    (
        cd "$work/$kind"
        "$SCUTE_BIN" new "$template" >/dev/null
        manifest=scute.toml; [ -f "$manifest" ] || manifest=karapace.toml
        "$SCUTE_BIN" build "$manifest" --name "$kind" >/dev/null 2>"$work/build-$kind.err" \
            || { cat "$work/build-$kind.err" >&2; die "scute build of the $kind template failed"; }
        for backend in $backends; do
            with_backend "$manifest" "$backend" >"$backend.toml"
            if ! "$SCUTE_BIN" build "$backend.toml" --name "$kind-$backend" >/dev/null 2>"$work/build-$kind-$backend.err"; then
                echo "exec-latency: no $backend environment for $kind: $(tr '\n' ' ' <"$work/build-$kind-$backend.err" | cut -c1-300)"
            fi
        done
    )
done

# The unpacked base image: the single images/*/rootfs folder in the temporary store.
shopt -s nullglob
rootfs_dirs=("$SCUTE_STORE"/images/*/rootfs)
shopt -u nullglob
[ "${#rootfs_dirs[@]}" -eq 1 ] || die "expected one images/*/rootfs in $SCUTE_STORE, found ${#rootfs_dirs[@]}"
rootfs=${rootfs_dirs[0]}
[ -x "$rootfs/bin/true" ] || [ -L "$rootfs/bin/true" ] || die "$rootfs has no /bin/true"
echo "exec-latency: rootfs  $rootfs"

# A store of $list_envs environments for `scute list`: one tiny manifest each (another memory
# limit, so another identity), all on the same base image.
list_store="$work/list-store"
mkdir -p "$work/list"
echo "exec-latency: building $list_envs environments for scute list ..."
for i in $(seq 1 "$list_envs"); do
    printf 'manifest_version = 1\n[base]\nimage = "builtin:busybox"\n[runtime.resource_limits]\nmemory_limit_mb = %d\n' "$((1000 + i))" >"$work/list/m$i.toml"
    "$SCUTE_BIN" --store "$list_store" build "$work/list/m$i.toml" --name "env$i" >/dev/null 2>"$work/list.err" \
        || { cat "$work/list.err" >&2; die "building environment $i of the list store failed"; }
done
listed=$("$SCUTE_BIN" --store "$list_store" list | tail -n +2 | wc -l)
[ "$listed" -eq "$list_envs" ] || die "scute list shows $listed environments, expected $list_envs"

# The floor: the same work by hand, in a folder of the bench user.
mkdir -p "$work/floor/upper" "$work/floor/work" "$work/floor/merged"
floor_cmd="unshare --user --map-root-user --mount --pid --fork /bin/sh -c 'mount -t overlay overlay -o lowerdir=$rootfs,upperdir=$work/floor/upper,workdir=$work/floor/work $work/floor/merged && exec chroot $work/floor/merged /bin/true'"

# Each command checked once before timing; one that fails here is skipped with its reason.
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

try dev "$SCUTE_BIN exec dev -- true"
try strict "$SCUTE_BIN exec strict -- true"
[ "${names[0]:-}" = dev ] && [ "${names[1]:-}" = strict ] || die "scute exec does not work here"
for backend in $backends; do
    try "dev-$backend" "$SCUTE_BIN exec dev-$backend -- true"
    try "strict-$backend" "$SCUTE_BIN exec strict-$backend -- true"
done
try floor "$floor_cmd"
try unshare "unshare --user --map-root-user --mount --pid --fork chroot $rootfs /bin/true"
if command -v bwrap >/dev/null; then
    try bwrap "bwrap --unshare-all --bind $rootfs / --proc /proc --dev /dev /bin/true"
else
    echo "exec-latency: skipping bwrap: bubblewrap is not installed"
fi
if command -v podman >/dev/null; then
    # The same rootfs as an image, imported before timing. Rootless slirp4netns needs
    # /dev/net/tun, so the dev run uses the host network as the dev template does.
    podman rmi -f scute-bench-rootfs >/dev/null 2>&1 || true # a leftover of an interrupted run
    if out=$(tar -C "$rootfs" -c . 2>&1 | podman import --quiet - scute-bench-rootfs 2>&1); then
        podman_image=$(printf '%s\n' "$out" | grep -Eo '[0-9a-f]{64}' | tail -n1 || true)
        try podman-dev "podman run --rm --network=host scute-bench-rootfs /bin/true"
        try podman-strict "podman run --rm --network=none --read-only --cap-drop=all --user 1001:1001 --security-opt no-new-privileges scute-bench-rootfs /bin/true"
        podman_imported=1
    else
        echo "exec-latency: skipping podman: import failed: $(printf '%s' "$out" | tr '\n' ' ' | cut -c1-300)"
    fi
else
    echo "exec-latency: skipping podman: not installed"
fi
try version "$SCUTE_BIN --version"
try list "$SCUTE_BIN --store $list_store list"

hf_args=(--warmup 3 --runs "$runs" --export-json "$work/results.json" --export-markdown "$work/results.md" --style basic)
if hyperfine --help 2>/dev/null | grep -q -- '--shell <SHELL>'; then
    hf_args+=(--shell=none) # no shell start-up in the measurement (paths here have no spaces)
fi
# Without a shell hyperfine still splits each command as a shell would (quotes kept), so the
# floor's own `sh -c '...'` is measured as written.
for i in "${!names[@]}"; do
    hf_args+=(--command-name "${names[$i]}" "${cmds[$i]}")
done

echo
hyperfine "${hf_args[@]}"

# The images the podman backend loaded, and the imported rootfs.
if command -v podman >/dev/null; then
    for name in dev-podman strict-podman; do
        podman images -q --filter reference="localhost/scute/$name" 2>/dev/null | sort -u | xargs -r podman rmi -f >/dev/null 2>&1 || true
    done
fi
if [ -n "${podman_imported:-}" ]; then
    podman rmi -f "${podman_image:-scute-bench-rootfs}" >/dev/null 2>&1 || podman rmi -f scute-bench-rootfs >/dev/null 2>&1 || true
fi

# Summary: means in ms, ratios, and issue 9's goals.
echo
echo "== exec latency, /bin/true, $runs runs after 3 warm-up runs ($(id -un), $(uname -r), $(nproc) cpus)"
command -v python3 >/dev/null || { echo "  (python3 is missing: see $work/results.md)"; exit 0; }
python3 - "$work/results.json" "$list_envs" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
list_envs = sys.argv[2]
means = {r["command"]: r["mean"] * 1000 for r in results}
stddev = {r["command"]: (r.get("stddev") or 0) * 1000 for r in results}
for name, mean in means.items():
    print(f"  {name:<16} mean {mean:8.2f} ms  (± {stddev[name]:.2f} ms)")
print()
def ratio(a, b):
    return means[a] / means[b] if a in means and b in means and means[b] > 0 else None
for kind in ("dev", "strict"):
    for peer in ("floor", "unshare", "bwrap", f"podman-{kind}"):
        r = ratio(kind, peer)
        if r is not None:
            print(f"  {kind}/{peer} = {r:.2f}x")
    for name in means:
        if name.startswith(kind + "-") and not name.startswith("podman"):
            r = ratio(name, kind)
            print(f"  {name}/{kind} = {r:.2f}x")
print()
goals = []
def goal(text, value, limit, ok, unit="x"):
    if value is None:
        goals.append(f"  {text:<46} not measured")
    else:
        goals.append(f"  {text:<46} {value:7.2f}{unit} (goal {limit}) {'ok' if ok(value) else 'MISS'}")
for kind in ("dev", "strict"):
    r = ratio(kind, "floor")
    goal(f"exec {kind} / floor", r, "<= 2.0x", lambda v: v <= 2.0)
    r = ratio(f"podman-{kind}", kind)
    goal(f"podman run ({kind}) / exec {kind}", r, ">= 10x", lambda v: v >= 10.0)
goal(f"list over {list_envs} envs / --version", ratio("list", "version"), "<= 3.0x", lambda v: v <= 3.0)
goal("--version", means.get("version"), "<= 10 ms", lambda v: v <= 10.0, " ms")
print("== issue 9 goals")
print("\n".join(goals))
PY
if [ -n "${OUT:-}" ]; then
    cp "$work/results.json" "$OUT"
    echo "  hyperfine JSON: $OUT"
elif [ -n "${KEEP:-}" ]; then
    echo "  hyperfine JSON: $work/results.json"
fi
