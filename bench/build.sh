#!/usr/bin/env bash
# `scute build` against the tools it competes with, in one run, on loopback only:
#   registry  a two-layer busybox image in a local OCI registry (the Debian package
#             docker-registry on 127.0.0.1): a cold and a warm `scute build` of a manifest
#             with that `[base] image`, against `skopeo copy` of it into a fresh oci: folder
#             and rootless `podman run --rm <image> true` (cold: the pull included; warm:
#             the image already pulled).
#   debian    a cold `scute build` of a Debian bookworm base (a minbase tarball made once
#             here with mmdebstrap) with `[system] packages = ["hello", "git", "make"]`,
#             against `mmdebstrap --variant=minbase --include=gpgv,ca-certificates,hello,git,make`
#             making the same package set.
# Nothing is downloaded except Debian packages, through the host's apt sources and Acquire::
# settings (/etc/apt/sources.list*, the apt.conf.d files that set Acquire::, such as
# 99artifact-registry), which are copied into both mmdebstrap runs with --aptopt and as
# mirror arguments, so the mirror reachable from here is used.
#
# A part the scute binary cannot do yet (e.g. "OCI registry images are not supported yet",
# or package installation refused) prints "skipped: <reason>" for Scute's rows; the peers
# are still timed.
#
# Usage: bench/build.sh [runs]
#   runs           hyperfine --runs for the registry part (default: $RUNS, else 3)
# Environment:
#   SCUTE_BIN      scute binary (default: <repo>/artifacts/scute/scute, else
#                  /var/tmp/scute-test-bin/scute)
#   RUNS           same as the argument
#   DEBIAN_RUNS    hyperfine --runs for the Debian part (default 1; each run takes minutes)
#   PARTS          comma-separated parts to run: registry, debian (default registry,debian)
#   DEBIAN_BASE    an existing bookworm minbase rootfs tarball to use as Scute's base instead
#                  of making one with mmdebstrap (which takes minutes)
#   BENCH_DIR      parent of the temporary folder (default /var/tmp; the Debian part needs
#                  about 2 GB)
#   BENCH_USER     user to re-run as when invoked as root (default: scute-test)
#   KEEP=1         keep the temporary folder (stores, images, hyperfine exports, logs)
#   OUT            also copy the summary table to this file
#
# Run it as a normal user. Invoked as root, it re-runs itself as $BENCH_USER through runuser
# when that user exists (Scute and podman run rootless), else it runs as root.
# Cold runs use hyperfine --prepare to wipe Scute's store and lock file, the skopeo
# destination, podman's copy of the image or mmdebstrap's output before each run.
# Output: hyperfine's own report per group, then a table: each command's mean and
# Scute's ratio to each peer (scute/peer > 1 means Scute is slower).
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname "$script")/.." && pwd)
runs=${1:-${RUNS:-3}}
debian_runs=${DEBIAN_RUNS:-1}
parts=${PARTS:-registry,debian}
bench_user=${BENCH_USER:-scute-test}

die() { echo "build-bench: $*" >&2; exit 1; }
say() { echo "build-bench: $*"; }

case $runs in ''|*[!0-9]*) die "runs must be a positive integer, got '$runs'";; esac
[ "$runs" -ge 1 ] || die "runs must be at least 1"
case $debian_runs in ''|*[!0-9]*) die "DEBIAN_RUNS must be a positive integer, got '$debian_runs'";; esac
[ "$debian_runs" -ge 1 ] || die "DEBIAN_RUNS must be at least 1"
do_registry=""; do_debian=""
IFS=, read -r -a part_list <<<"$parts"
for p in "${part_list[@]}"; do
    case $p in
        registry) do_registry=1 ;;
        debian) do_debian=1 ;;
        '') ;;
        *) die "PARTS must list registry and/or debian, got '$p'" ;;
    esac
done
[ -n "$do_registry$do_debian" ] || die "PARTS names no part"

# Pick the scute binary before any user switch, so a relative default resolves here.
if [ -z "${SCUTE_BIN:-}" ]; then
    for c in "$repo/artifacts/scute/scute" /var/tmp/scute-test-bin/scute; do
        if [ -x "$c" ]; then SCUTE_BIN=$c; break; fi
    done
fi
[ -n "${SCUTE_BIN:-}" ] || die "no scute binary: set SCUTE_BIN, or publish one to $repo/artifacts/scute/scute"
SCUTE_BIN=$(readlink -f "$SCUTE_BIN")
[ -x "$SCUTE_BIN" ] || die "SCUTE_BIN=$SCUTE_BIN is not an executable file"
if [ -n "${DEBIAN_BASE:-}" ]; then
    DEBIAN_BASE=$(readlink -f "$DEBIAN_BASE")
    [ -r "$DEBIAN_BASE" ] || die "DEBIAN_BASE=$DEBIAN_BASE is not a readable file"
fi

# As root: re-run as the unprivileged bench user when it exists.
if [ "$(id -u)" -eq 0 ] && [ -z "${BUILD_BENCH_REEXEC:-}" ]; then
    if id -u "$bench_user" >/dev/null 2>&1; then
        say "running as root; re-running as $bench_user (Scute and podman are rootless)"
        # The script must be readable by that user: copy it to a place it can read.
        copy=$(mktemp /tmp/build-bench.XXXXXX.sh)
        cp "$script" "$copy"
        chmod 0755 "$copy"
        trap 'rm -f "$copy"' EXIT
        out_arg=""
        if [ -n "${OUT:-}" ]; then
            # The bench user writes $OUT: create it here, owned by that user.
            : >"$OUT"; chown "$bench_user" "$OUT"; out_arg=$(readlink -f "$OUT")
        fi
        # root's XDG_RUNTIME_DIR (if any) is not usable by the other user.
        set +e
        (cd /tmp && runuser -u "$bench_user" -- env -u XDG_RUNTIME_DIR \
            BUILD_BENCH_REEXEC=1 SCUTE_BIN="$SCUTE_BIN" RUNS="$runs" DEBIAN_RUNS="$debian_runs" \
            PARTS="$parts" DEBIAN_BASE="${DEBIAN_BASE:-}" BENCH_DIR="${BENCH_DIR:-}" \
            KEEP="${KEEP:-}" OUT="$out_arg" bash "$copy" "$runs")
        rc=$?
        set -e
        exit $rc
    fi
    say "running as root ($bench_user does not exist)"
fi

command -v hyperfine >/dev/null || die "hyperfine is not installed"
if [ -n "$do_registry" ]; then
    for tool in docker-registry skopeo tar gzip sha256sum; do
        command -v "$tool" >/dev/null || die "$tool is not installed (the registry part needs it)"
    done
    [ -x /bin/busybox ] || die "/bin/busybox is missing (package busybox-static)"
fi
if [ -n "$do_debian" ]; then
    command -v mmdebstrap >/dev/null || die "mmdebstrap is not installed (the debian part needs it)"
fi

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/scute-build-bench.XXXXXX")
chmod 0755 "$work"
registry_pid=""
podman_image=""
cleanup() {
    if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
    if [ -n "$podman_image" ]; then podman rmi -f "$podman_image" >/dev/null 2>&1 || true; fi
    if [ -n "${KEEP:-}" ]; then
        say "kept $work"
    else
        # Files unpacked or installed as subordinate ids need the user namespace to remove.
        rm -rf "$work" 2>/dev/null || podman unshare rm -rf "$work" 2>/dev/null \
            || unshare --user --map-root-user rm -rf "$work" 2>/dev/null || true
    fi
}
trap cleanup EXIT
mkdir -p "$work/bin" "$work/results"

# wipe DIR...: removes folders, also what a build left owned by subordinate ids.
cat >"$work/bin/wipe" <<'EOF'
#!/bin/sh
for d in "$@"; do
    rm -rf "$d" 2>/dev/null || podman unshare rm -rf "$d" 2>/dev/null || unshare --user --map-root-user rm -rf "$d"
done
EOF
chmod 0755 "$work/bin/wipe"

hf_base=(--style basic)
if hyperfine --help 2>/dev/null | grep -q -- '--shell <SHELL>'; then
    hf_base+=(--shell=none) # no shell start-up in the measurement; prepares are scripts here
fi

# Results: one hyperfine CSV per group, the skipped rows and the pairs to compare.
skips="$work/results/skipped.tsv"   # part, command, reason
pairs="$work/results/pairs.tsv"     # part, scute command, peer command
: >"$skips"; : >"$pairs"
skip() { # part, command, reason
    local reason
    reason=$(printf '%s' "$3" | tr '\n\t' '  ' | cut -c1-300)
    printf '%s\t%s\t%s\n' "$1" "$2" "$reason" >>"$skips"
    say "$1: $2: skipped: $reason"
}
# last_error FILE: the last "scute: ..." line of FILE, else its last non-empty line.
last_error() {
    local line
    line=$(grep -E '^scute: ' "$1" | tail -n1 || true)
    [ -n "$line" ] || line=$(grep -v '^[[:space:]]*$' "$1" | tail -n1 || true)
    printf '%s' "${line:-no output}"
}
groups=0
# run_group PART NAME WARMUP RUNS [--prepare P --command-name N CMD]...: one hyperfine run.
run_group() {
    local part=$1 group=$2 warmup=$3 n=$4 csv
    shift 4
    groups=$((groups + 1))
    csv=$work/results/$(printf '%02d' "$groups").$part.$group.csv # numbered: the table keeps this order
    echo
    say "== $part: $group ($n runs, $warmup warm-up)"
    if ! hyperfine "${hf_base[@]}" --warmup "$warmup" --runs "$n" \
        --export-csv "$csv" "$@"; then
        say "$part: $group: hyperfine failed"
        rm -f "$csv"
        return 1
    fi
}

echo "build-bench: scute   $SCUTE_BIN ($("$SCUTE_BIN" --version 2>/dev/null || echo '?'))"
echo "build-bench: user    $(id -un) (uid $(id -u))"
echo "build-bench: work    $work"
echo "build-bench: parts   $parts (registry runs $runs, debian runs $debian_runs)"
echo "build-bench: load    $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cpus (timings are noisy on a loaded machine)"

# ---------------------------------------------------------------- registry
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
        return
    fi
    local p
    for _ in $(seq 1 50); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! (: <"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    return 1
}

# blob FILE: moves FILE into the layout's blobs as sha256/<hex>; prints "sha256:<hex> <size>".
blob() {
    local hex size
    hex=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    mv "$1" "$layout/blobs/sha256/$hex"
    echo "sha256:$hex $size"
}

# make_layout: a two-layer OCI image layout at $layout with tag 1.0, from /bin/busybox.
make_layout() {
    local rootfs=$work/image/rootfs extra=$work/image/extra applet arch
    mkdir -p "$rootfs/bin" "$layout/blobs/sha256"
    cp /bin/busybox "$rootfs/bin/busybox"
    for d in dev proc sys tmp etc root usr/bin usr/sbin sbin; do mkdir -p "$rootfs/$d"; done
    chmod 1777 "$rootfs/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
    printf 'root:x:0:\n' >"$rootfs/etc/group"
    # Applet links as busybox lists them (bin/ls, usr/bin/env, ...), all to /bin/busybox.
    while read -r applet; do
        applet=${applet#/}
        if [ -z "$applet" ] || [ "$applet" = bin/busybox ]; then continue; fi
        mkdir -p "$rootfs/$(dirname "$applet")"
        ln -sf /bin/busybox "$rootfs/$applet"
    done < <(/bin/busybox --list-full)
    [ -L "$rootfs/bin/true" ] || ln -s /bin/busybox "$rootfs/bin/true"
    mkdir -p "$extra/etc"
    printf 'scute build bench: second layer\n' >"$extra/etc/bench-release"

    local tar_args=(--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner)
    tar "${tar_args[@]}" -C "$rootfs" -cf "$work/image/layer1.tar" .
    tar "${tar_args[@]}" -C "$extra" -cf "$work/image/layer2.tar" .
    local diff1 diff2 l1 l2 cfg man
    diff1=sha256:$(sha256sum "$work/image/layer1.tar" | cut -d' ' -f1)
    diff2=sha256:$(sha256sum "$work/image/layer2.tar" | cut -d' ' -f1)
    gzip -n -6 "$work/image/layer1.tar" "$work/image/layer2.tar"
    read -r l1 l1_size < <(blob "$work/image/layer1.tar.gz")
    read -r l2 l2_size < <(blob "$work/image/layer2.tar.gz")

    case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
    printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["%s","%s"]},"history":[{"created_by":"busybox and its applet links"},{"created_by":"/etc/bench-release"}]}' \
        "$arch" "$diff1" "$diff2" >"$work/image/config.json"
    read -r cfg cfg_size < <(blob "$work/image/config.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s},{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":%s}]}' \
        "$cfg" "$cfg_size" "$l1" "$l1_size" "$l2" "$l2_size" >"$work/image/manifest.json"
    read -r man man_size < <(blob "$work/image/manifest.json")
    printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"1.0"}}]}' \
        "$man" "$man_size" >"$layout/index.json"
    printf '{"imageLayoutVersion":"1.0.0"}' >"$layout/oci-layout"
    say "registry: image ${man:0:19}... layers $((l1_size / 1024)) KiB + $l2_size B"
}

bench_registry() {
    local port
    port=$(free_port) || die "no free port on 127.0.0.1"
    local reg=$work/registry host=127.0.0.1:$port
    mkdir -p "$reg/storage"
    cat >"$reg/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $reg/storage
  delete:
    enabled: true
http:
  addr: $host
EOF
    docker-registry serve "$reg/config.yml" >"$reg/log" 2>&1 &
    registry_pid=$!
    local up=""
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null "http://$host/v2/" 2>/dev/null; then up=1; break; fi
        kill -0 "$registry_pid" 2>/dev/null || break
        sleep 0.1
    done
    [ -n "$up" ] || { cat "$reg/log" >&2; die "docker-registry did not start on $host"; }
    say "registry: docker-registry on $host (pid $registry_pid)"

    layout=$work/image/layout
    make_layout
    local ref=$host/bench/busybox:1.0
    skopeo copy --quiet --dest-tls-verify=false "oci:$layout:1.0" "docker://$ref" \
        || die "skopeo copy of the layout to $ref failed"
    say "registry: pushed $ref"
    export SCUTE_INSECURE_REGISTRIES=$host
    export SCUTE_STORE=$work/registry-store
    local proj=$work/registry-project
    mkdir -p "$proj"
    printf 'manifest_version = 1\n\n[base]\nimage = "%s"\n' "$ref" >"$proj/scute.toml"

    # Prepares (scripts, as hyperfine may run them without a shell).
    cat >"$work/bin/wipe-scute-registry" <<EOF
#!/bin/sh
"$work/bin/wipe" "$SCUTE_STORE"; rm -f "$proj/scute.lock"
EOF
    cat >"$work/bin/unbuild-scute-registry" <<EOF
#!/bin/sh
"$SCUTE_BIN" destroy reg >/dev/null 2>&1; rm -f "$proj/scute.lock"; exit 0
EOF
    cat >"$work/bin/wipe-skopeo" <<EOF
#!/bin/sh
rm -rf "$work/skopeo-oci"
EOF
    cat >"$work/bin/rmi-podman" <<EOF
#!/bin/sh
podman rmi -f "$ref" >/dev/null 2>&1; exit 0
EOF
    chmod 0755 "$work"/bin/*

    # Scute: can this binary read a registry? One cold build says.
    local scute_ok=""
    "$work/bin/wipe-scute-registry"
    if "$SCUTE_BIN" build "$proj/scute.toml" --name reg >"$work/registry-build.out" 2>"$work/registry-build.err"; then
        scute_ok=1
        say "registry: scute build works: $(head -n1 "$work/registry-build.out")"
    else
        skip registry scute-cold "$(last_error "$work/registry-build.err")"
        skip registry scute-warm "the cold build fails"
    fi

    local podman_ok=""
    if command -v podman >/dev/null; then
        podman_image=$ref
        "$work/bin/rmi-podman"
        if out=$(podman run --rm --tls-verify=false --network=host "$ref" true 2>&1); then
            podman_ok=1
        else
            skip registry podman-cold "podman run failed: $out"
            skip registry podman-warm "podman run failed"
        fi
    else
        skip registry podman-cold "podman is not installed"
        skip registry podman-warm "podman is not installed"
    fi

    # Cold: nothing cached. Scute's store and lock, skopeo's destination and podman's image
    # are removed before each run.
    local args=()
    if [ -n "$scute_ok" ]; then
        args+=(--prepare "$work/bin/wipe-scute-registry" --command-name scute-cold
            "$SCUTE_BIN build $proj/scute.toml --name reg")
        printf 'registry\tscute-cold\tskopeo-copy\nregistry\tscute-cold\tpodman-cold\n' >>"$pairs"
    fi
    args+=(--prepare "$work/bin/wipe-skopeo" --command-name skopeo-copy
        "skopeo copy --quiet --src-tls-verify=false docker://$ref oci:$work/skopeo-oci:1.0")
    if [ -n "$podman_ok" ]; then
        args+=(--prepare "$work/bin/rmi-podman" --command-name podman-cold
            "podman run --rm --tls-verify=false --network=host $ref true")
    fi
    run_group registry cold 0 "$runs" "${args[@]}" || true

    # Warm: the image is cached (Scute's image cache, podman's image store); Scute's
    # environment is destroyed before each run, so a new one is made from the cached image
    # (Scute still asks the registry for the manifest: tags move; podman does not).
    args=()
    if [ -n "$scute_ok" ]; then
        "$SCUTE_BIN" build "$proj/scute.toml" --name reg >/dev/null 2>&1 || true
        args+=(--prepare "$work/bin/unbuild-scute-registry" --command-name scute-warm
            "$SCUTE_BIN build $proj/scute.toml --name reg")
        printf 'registry\tscute-warm\tpodman-warm\n' >>"$pairs"
    fi
    if [ -n "$podman_ok" ]; then
        podman pull --quiet --tls-verify=false "$ref" >/dev/null 2>&1 || true
        args+=(--prepare true --command-name podman-warm
            "podman run --rm --network=host $ref true")
    fi
    if [ ${#args[@]} -gt 0 ]; then
        run_group registry warm 1 "$runs" "${args[@]}" || true
    fi

    podman rmi -f "$ref" >/dev/null 2>&1 || true
    podman_image=""
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=""
    unset SCUTE_INSECURE_REGISTRIES
}

# ---------------------------------------------------------------- debian
# The host's apt configuration for mmdebstrap: --aptopt=<file> for each apt.conf.d file that
# sets Acquire:: options (proxy, mirror, validity: 99artifact-registry here) and runs no
# hooks, and the enabled
# source files as mirror arguments (mmdebstrap copies both into the rootfs, so apt inside
# Scute's install run uses them too). No source file means mmdebstrap's default mirror.
apt_opts=()
apt_sources=()
host_apt_config() {
    local f
    for f in /etc/apt/apt.conf.d/*; do
        if [ ! -f "$f" ] || [ ! -r "$f" ]; then continue; fi
        # Not files with Pre-/Post-Invoke hooks (50appstream: they call host tools, and
        # its DEP-11 index targets would add downloads to every apt update).
        if grep -q 'Acquire::' "$f" && ! grep -q -E '(Pre|Post)-Invoke' "$f"; then
            apt_opts+=("--aptopt=$f")
        fi
    done
    if [ -s /etc/apt/sources.list ]; then apt_sources+=(/etc/apt/sources.list); fi
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ -r "$f" ] && apt_sources+=("$f")
    done
    return 0
}

bench_debian() {
    host_apt_config
    say "debian: apt options from ${apt_opts[*]:-nothing}; sources ${apt_sources[*]:-the default mirror}"
    local deb=$work/debian
    mkdir -p "$deb"
    local base
    if [ -n "${DEBIAN_BASE:-}" ]; then
        base=$DEBIAN_BASE
        say "debian: base $base (DEBIAN_BASE)"
    else
        base=$deb/bookworm.tar
        say "debian: making the base with mmdebstrap (minbase, gpgv, ca-certificates); this takes minutes"
        local t0 t1
        t0=$(date +%s)
        if ! mmdebstrap --quiet --variant=minbase --include=gpgv,ca-certificates "${apt_opts[@]}" \
            bookworm "$base" "${apt_sources[@]}" >"$deb/base.log" 2>&1; then
            skip debian scute-cold "mmdebstrap could not make the base: $(tail -n1 "$deb/base.log")"
            skip debian mmdebstrap "mmdebstrap could not make the base: $(tail -n1 "$deb/base.log")"
            return 0
        fi
        t1=$(date +%s)
        say "debian: base $base ($(( $(stat -c %s "$base") / 1048576 )) MiB, $((t1 - t0)) s)"
        echo "$((t1 - t0))" >"$work/results/debian-base.seconds"
    fi

    local proj=$work/debian-project
    export SCUTE_STORE=$work/debian-store
    mkdir -p "$proj"
    printf 'manifest_version = 1\n\n[base]\nimage = "%s"\n\n[system]\npackages = ["hello", "git", "make"]\n' \
        "$base" >"$proj/scute.toml"
    # The timed commands write their stderr to a file, to say why when they fail.
    cat >"$work/bin/wipe-scute-debian" <<EOF
#!/bin/sh
"$work/bin/wipe" "$SCUTE_STORE"; rm -f "$proj/scute.lock"
EOF
    cat >"$work/bin/scute-debian" <<EOF
#!/bin/sh
exec "$SCUTE_BIN" build "$proj/scute.toml" --name deb 2>"$deb/scute.err"
EOF
    cat >"$work/bin/wipe-mmdebstrap" <<EOF
#!/bin/sh
rm -f "$deb/peer.tar"
EOF
    {
        echo '#!/bin/sh'
        printf 'exec mmdebstrap --quiet --variant=minbase --include=gpgv,ca-certificates,hello,git,make'
        printf ' %s' "${apt_opts[@]}" bookworm "$deb/peer.tar" "${apt_sources[@]}"
        printf ' 2>"%s"\n' "$deb/mmdebstrap.err"
    } >"$work/bin/mmdebstrap-peer"
    chmod 0755 "$work"/bin/*

    # Scute: timed directly (a detection build would cost a cold build); a failure is a skip.
    if run_group debian scute 0 "$debian_runs" --prepare "$work/bin/wipe-scute-debian" \
        --command-name scute-cold "$work/bin/scute-debian"; then
        printf 'debian\tscute-cold\tmmdebstrap\n' >>"$pairs"
        # What it installed, as the lock file records it (name=version).
        say "debian: scute installed $(awk '
            /"packages": \[/ { inside = 1; next }
            inside && /^ *\]/ { exit }
            inside && /"name":/ { gsub(/.*"name": *"|".*/, ""); name = $0 }
            inside && /"version":/ { gsub(/.*"version": *"|".*/, ""); printf "%s=%s ", name, $0 }
        ' "$proj/scute.lock" 2>/dev/null)"
    else
        skip debian scute-cold "$(last_error "$deb/scute.err")"
    fi
    "$work/bin/wipe" "$SCUTE_STORE"
    if ! run_group debian mmdebstrap 0 "$debian_runs" --prepare "$work/bin/wipe-mmdebstrap" \
        --command-name mmdebstrap "$work/bin/mmdebstrap-peer"; then
        skip debian mmdebstrap "$(tail -n1 "$deb/mmdebstrap.err" 2>/dev/null || echo failed)"
    elif [ -s "$deb/peer.tar" ]; then
        say "debian: mmdebstrap installed $(tar -xOf "$deb/peer.tar" ./var/lib/dpkg/status 2>/dev/null | awk '
            /^Package: / { p = $2 } /^Version: / { if (p == "git" || p == "hello" || p == "make") printf "%s=%s ", p, $2 }')"
    fi
    rm -f "$deb/peer.tar"
}

[ -z "$do_registry" ] || bench_registry
[ -z "$do_debian" ] || bench_debian

# ---------------------------------------------------------------- summary
summary() {
    echo "== scute build bench: $(id -un), $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cpus"
    echo "   scute $("$SCUTE_BIN" --version 2>/dev/null || echo "$SCUTE_BIN")"
    echo "   means over the runs; scute/peer > 1 means Scute is slower. Noisy on a loaded machine."
    # One CSV per group: command,mean,stddev,median,user,system,min,max (seconds).
    local f part
    : >"$work/results/means.tsv"
    for f in "$work"/results/*.csv; do
        [ -e "$f" ] || continue
        part=$(basename "$f"); part=${part#*.}; part=${part%%.*}
        awk -F, -v part="$part" 'NR > 1 { printf "%s\t%s\t%s\t%s\n", part, $1, $2, $3 }' "$f" >>"$work/results/means.tsv"
    done
    awk -F'\t' '
        FILENAME == ARGV[1] { mean[$1 SUBSEP $2] = $3; sd[$1 SUBSEP $2] = $4; row[++n] = $1 SUBSEP $2; next }
        FILENAME == ARGV[2] { if (!(($1 SUBSEP $2) in mean)) { mean[$1 SUBSEP $2] = ""; why[$1 SUBSEP $2] = $3; row[++n] = $1 SUBSEP $2 }; next }
        FILENAME == ARGV[3] { peers[$1 SUBSEP $3] = peers[$1 SUBSEP $3] " " $2; next }
        END {
            printf "  %-9s %-12s %11s %10s  %s\n", "part", "command", "mean", "± stddev", "scute/peer"
            for (i = 1; i <= n; i++) {
                k = row[i]; split(k, p, SUBSEP)
                if (mean[k] == "") { printf "  %-9s %-12s skipped: %s\n", p[1], p[2], why[k]; continue }
                ratio = ""
                m = split(peers[k], s, " ")
                for (j = 1; j <= m; j++) {
                    sk = p[1] SUBSEP s[j]
                    if (mean[sk] != "" && mean[k] > 0) ratio = ratio sprintf("%s%s/%s = %.2fx", (ratio ? ", " : ""), s[j], p[2], mean[sk] / mean[k])
                }
                printf "  %-9s %-12s %9.3f s %10s  %s\n", p[1], p[2], mean[k], (sd[k] == "" ? "-" : sprintf("%.3f s", sd[k])), ratio
            }
        }' "$work/results/means.tsv" "$skips" "$pairs"
    # Scute starts from the base tarball; mmdebstrap makes everything: add the base's time.
    local base_s scute_s peer_s
    base_s=$(cat "$work/results/debian-base.seconds" 2>/dev/null || true)
    scute_s=$(awk -F'\t' '$1 == "debian" && $2 == "scute-cold" { print $3 }' "$work/results/means.tsv")
    peer_s=$(awk -F'\t' '$1 == "debian" && $2 == "mmdebstrap" { print $3 }' "$work/results/means.tsv")
    if [ -n "$base_s" ] && [ -n "$scute_s" ] && [ -n "$peer_s" ]; then
        awk -v b="$base_s" -v s="$scute_s" -v m="$peer_s" 'BEGIN {
            printf "  debian: the base tarball took %d s (mmdebstrap, once, not timed above); base + scute-cold = %.1f s = %.2fx mmdebstrap\n", b, b + s, (m > 0 ? (b + s) / m : 0) }'
    fi
}
echo
summary | tee "$work/results/summary.txt"
if [ -n "${OUT:-}" ]; then
    cp "$work/results/summary.txt" "$OUT"
    echo "  summary: $OUT"
fi
