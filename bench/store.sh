#!/usr/bin/env bash
# Store throughput and memory at scale (issue 4, point 8; goals of issue 10): Scute's deterministic
# packer + sha256, its safe extractor, and scute build (folder and tarball image) / commit /
# restore / verify-store / gc on the resulting store, against
# `tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -c DIR | openssl dgst -sha256`
# (the same SHA-256 code .NET uses on Linux) and GNU tar extraction, on the same trees in the
# same run. Trees: 100,000 small files, one 2 GB file, and a Debian rootfs when its tarball is
# there (DEBIAN_TAR). Wall-clock ratios on a machine shared with other work are noisy.
#
# Usage: bench/store.sh
# Environment:
#   SCUTE_BIN     scute binary (default: <repo>/artifacts/scute/scute, else /var/tmp/scute-test-bin/scute)
#   FILES         number of small files (default 100000)
#   BIG_MB        size of the big file in MiB (default 2048)
#   BENCH_DIR     parent of the temporary folder (default /var/tmp); needs about 12 x BIG_MB free. On a
#                 filesystem others are deleting many files on (a shared machine), or ext4 without a
#                 journal (which skips recently deleted inodes one by one when it makes a file), every
#                 file creation pays for their deletions: a loop-mounted ext4 of its own gives steadier figures,
#                 made with `mkfs.ext4 -E lazy_itable_init=0,lazy_journal_init=0` (else the kernel zeroes its
#                 inode tables in the background for minutes after the mount, under the first measurements)
#   BENCH_USER    when run as root, scute runs as this user (default scute-test; Scute is rootless)
#   KEEP=1        keep the temporary folder
#   DEBIAN_TAR    a Debian rootfs tarball (default /var/tmp/scute-debian-bookworm/bookworm.tar; skipped if absent)
#
# Output: one table per tree: seconds, MB/s of file content, peak RSS (from /usr/bin/time -v)
# and the Scute/tar ratio of the times; then every goal of issue 10 as "ratio (goal) RSS (goal)"
# with ok/MISS. Fails if packing+hashing the big file peaks above 200 MB.
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname "$script")/.." && pwd)
files=${FILES:-100000}
big_mb=${BIG_MB:-2048}
bench_user=${BENCH_USER:-scute-test}
rss_limit_mb=200
rss_goal_mb=48
debian_tar=${DEBIAN_TAR:-/var/tmp/scute-debian-bookworm/bookworm.tar}

die() { echo "store-bench: $*" >&2; exit 1; }

if [ -z "${SCUTE_BIN:-}" ]; then
    for c in "$repo/artifacts/scute/scute" /var/tmp/scute-test-bin/scute; do
        if [ -x "$c" ]; then SCUTE_BIN=$c; break; fi
    done
fi
[ -x "${SCUTE_BIN:-}" ] || die "no scute binary: set SCUTE_BIN, or publish one to $repo/artifacts/scute/scute"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
for tool in tar openssl python3 dotnet; do command -v "$tool" >/dev/null || die "$tool is missing"; done

work=$(mktemp -d "${BENCH_DIR:-/var/tmp}/scute-store-bench.XXXXXX")
cleanup() { if [ "${KEEP:-}" != 1 ]; then chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"; else echo "kept $work"; fi; }
trap cleanup EXIT
chmod 0755 "$work"
need_kb=$(( big_mb * 1024 * 12 ))
avail_kb=$(df -Pk "$work" | awk 'NR == 2 { print $4 }')
[ "$avail_kb" -ge "$need_kb" ] || die "$work has $((avail_kb / 1024)) MiB free; about $((need_kb / 1024)) MiB are needed"

# Scute runs unprivileged: as root, run it as $bench_user with the binary copied where it can read it.
as_user=()
if [ "$(id -u)" -eq 0 ]; then
    id -u "$bench_user" >/dev/null 2>&1 || die "running as root and user $bench_user does not exist"
    install -m 0755 "$SCUTE_BIN" "$work/scute"; SCUTE_BIN=$work/scute
    as_user=(runuser -u "$bench_user" -- env -i HOME=/tmp PATH=/usr/bin:/bin LANG=C.UTF-8)
fi

echo "== building bench/StoreBench"
dotnet build "$repo/bench/StoreBench" -c Release -o "$work/storebench" -nologo -clp:ErrorsOnly >/dev/null
storebench=(dotnet "$work/storebench/StoreBench.dll")
# Packing and extraction are measured NativeAOT-compiled, as users run them (scute is AOT): a JIT host
# would add its start-up and ~25 MB of runtime to the time and the peak RSS. Falls back to the JIT build.
storebench_aot=("${storebench[@]}")
rid=linux-$(uname -m | sed 's/^x86_64$/x64/; s/^aarch64$/arm64/')
if dotnet publish "$repo/bench/StoreBench" -c Release -r "$rid" -p:PublishAot=true -o "$work/storebench-aot" -nologo -clp:ErrorsOnly >/dev/null 2>&1 \
    && [ -x "$work/storebench-aot/StoreBench" ]; then
    storebench_aot=("$work/storebench-aot/StoreBench")
else
    echo "   (no NativeAOT build of StoreBench: packing and extraction measured on the JIT)"
fi

# measure NAME CMD...: runs CMD under /usr/bin/time -v; records seconds and peak RSS (MB) in $secs[NAME], $rss[NAME].
declare -A secs rss
measure() {
    local name=$1; shift
    local out="$work/time.$name"
    sync; echo "   $name: $*" | cut -c1-160
    /usr/bin/time -v -o "$out" "$@" >"$work/out.$name" 2>"$work/err.$name" || { cat "$work/err.$name" "$out" >&2; die "$name failed"; }
    secs[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out")
    rss[$name]=$(awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$out")
}

scute() { "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" "$@"; }
# Listed in `scute --help` (an unknown command with --help prints the root help and exits 0).
has_command() { scute --help 2>/dev/null | grep -qE "^  $1( |$)"; }

# bench_tree LABEL DIR: every measurement on one tree.
bench_tree() {
    local label=$1 dir=$2
    local bytes mb
    bytes=$(find "$dir" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
    mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
    echo "== $label: $(find "$dir" -type f | wc -l) files, $mb MB"
    secs=(); rss=()

    measure tar_pack sh -c "tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '$dir' -c . | openssl dgst -sha256"
    measure scute_pack "${storebench_aot[@]}" pack "$dir"
    "${storebench_aot[@]}" pack "$dir" "$work/layer.tar" >/dev/null
    mkdir "$work/x-tar" "$work/x-scute"
    measure tar_extract tar --no-same-owner -C "$work/x-tar" -xf "$work/layer.tar"
    measure scute_extract "${storebench_aot[@]}" unpack "$work/layer.tar" "$work/x-scute"
    # What build does, by GNU tools: pack, hash, keep the tar (the store's object) and unpack it (the
    # rootfs). The goals compare build with packing and hashing alone, which writes no file at all.
    mkdir "$work/x-peer"
    measure tar_build bash -c "tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C '$dir' -c . | tee >(openssl dgst -sha256 >'$work/peer.sha256') '$work/peer.tar' | tar --no-same-owner -C '$work/x-peer' -x"
    rm -f "$work/peer.tar" # one file: its removal costs the next commands nothing, and frees BIG_MB at once
    # Removed only after the last measurement of this tree: on ext4 without a journal, files made
    # within a minute or more of a mass deletion pay for it (the inode allocator skips every
    # recently deleted inode, one by one), which would charge this bench's own rm -rf to the commands.
    local leftovers=("$work/x-tar" "$work/x-scute" "$work/layer.tar" "$work/x-peer" "$work/peer.sha256")

    # The store: the tree as a local base image (import + pack + hash + put), then verify and collect it.
    store="$work/store"
    mkdir -p "$work/project"
    printf 'manifest_version = 1\n\n[base]\nimage = "%s"\n' "$dir" >"$work/project/scute.toml"
    chmod -R a+rX "$work/project"; [ ${#as_user[@]} -eq 0 ] || { chown "$bench_user" "$work"; chown -R "$bench_user" "$work/project"; }
    measure scute_build "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" --json build "$work/project/scute.toml"
    # The same tree as a tarball image, in a store of its own (nothing shared with the folder build).
    tar --sort=name --owner=0 --group=0 --numeric-owner -C "$dir" -cf "$work/image.tar" .
    chmod a+r "$work/image.tar"
    mkdir -p "$work/project-tar"
    printf 'manifest_version = 1\n\n[base]\nimage = "%s"\n' "$work/image.tar" >"$work/project-tar/scute.toml"
    chmod -R a+rX "$work/project-tar"; [ ${#as_user[@]} -eq 0 ] || chown -R "$bench_user" "$work/project-tar"
    measure scute_build_tar "${as_user[@]}" SCUTE_STORE="$work/store-tar" "$SCUTE_BIN" --json build "$work/project-tar/scute.toml"
    leftovers+=("$work/store-tar" "$work/project-tar" "$work/image.tar")
    local env_id
    env_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["short_id"])' <"$work/out.scute_build")
    # commit packs the upper dir (a copy of the tree) into a Snapshot layer; restore unpacks it back:
    if has_command commit; then
        "${as_user[@]}" cp -a "$dir/." "$store/env/$(ls "$store/env")/upper/"
        measure scute_commit "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" commit "$env_id"
    fi
    if has_command restore && [ -s "$work/out.scute_commit" ]; then
        measure scute_restore "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" restore "$env_id" "$(tail -1 "$work/out.scute_commit")"
        # restore answers before the upper dir it replaced is removed (a detached scute does it,
        # store/trash): wait for that, so it is not charged to the next measurement, and show it.
        local since=$EPOCHREALTIME
        while [ -n "$(ls -A "$store/store/trash" 2>/dev/null)" ]; do sleep 0.05; done
        secs[scute_restore_trash]=$(awk -v a="$since" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }'); rss[scute_restore_trash]=-
    fi
    measure scute_verify "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" verify-store
    scute destroy "$env_id" >/dev/null
    measure scute_gc "${as_user[@]}" SCUTE_STORE="$store" "$SCUTE_BIN" gc
    tail -1 "$work/out.scute_gc" | sed 's/^/   gc: /'
    rm -rf "$store" "$work/project"
    chmod -R u+rwX "$work/store-tar" 2>/dev/null; rm -rf "${leftovers[@]}"

    echo
    printf '%-44s %9s %9s %10s %8s\n' "$label" seconds "MB/s" "peak RSS" "vs tar"
    row() { # row TITLE NAME [TAR_NAME]
        local t=${secs[$2]:-} ratio=""
        [ -n "$t" ] || return 0
        [ -z "${3:-}" ] || ratio=$(awk -v a="$t" -v b="${secs[$3]}" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }')
        printf '%-44s %9.2f %9.1f %7s MB %8s\n' "$1" "$t" "$(awk -v m="$mb" -v s="$t" 'BEGIN { print (s > 0 ? m / s : 0) }')" "${rss[$2]}" "$ratio"
    }
    row "tar -c | openssl dgst -sha256" tar_pack
    row "Scute pack + sha256 (DeterministicTarPacker)" scute_pack tar_pack
    row "GNU tar -x" tar_extract
    row "Scute extract (SafeTarExtractor)" scute_extract tar_extract
    row "tar -c | tee (openssl, a file) | tar -x" tar_build tar_pack
    row "scute build (import, pack, hash, store)" scute_build tar_pack
    row "scute build of the tree as a tarball image" scute_build_tar tar_pack
    row "scute commit" scute_commit tar_pack
    row "scute restore" scute_restore tar_extract
    row "  then its old upper removed (in background)" scute_restore_trash
    row "scute verify-store" scute_verify tar_pack
    row "scute gc (destroyed env: image, layer, object)" scute_gc
    echo
    echo "goals of issue 10 ($label): time ratio (goal), peak RSS (goal $rss_goal_mb MB)"
    goal "scute build of a folder / tar -c | openssl" scute_build tar_pack 1.5
    goal "scute build of a tarball / tar -c | openssl" scute_build_tar tar_pack 1.5
    goal "scute commit / tar -c | openssl" scute_commit tar_pack 1.2
    goal "scute verify-store / tar -c | openssl" scute_verify tar_pack 1.0
    goal "scute restore / tar -x" scute_restore tar_extract 1.2
    goal "layer extraction (SafeTarExtractor) / tar -x" scute_extract tar_extract 1.2
    goal "pack + sha256 (StoreBench) / tar -c | openssl" scute_pack tar_pack 1.0
    echo "  for reference, against GNU tools doing what build does (pack, hash, keep the tar, unpack it):"
    ratio "scute build of a folder / tar -c | tee | tar -x" scute_build tar_build
    ratio "scute build of a tarball / tar -c | tee | tar -x" scute_build_tar tar_build
    echo
    pack_rss[$label]=${rss[scute_pack]}
}

# goal TITLE NAME TAR_NAME MAX_RATIO: one line "ratio (<= goal) RSS (<= goal)" and ok/MISS.
goal() {
    local t=${secs[$2]:-} b=${secs[$3]:-}
    [ -n "$t" ] && [ -n "$b" ] || { printf '  %-48s not measured\n' "$1"; return 0; }
    awk -v t="$t" -v b="$b" -v g="$4" -v r="${rss[$2]}" -v rg="$rss_goal_mb" -v title="$1" 'BEGIN {
        ratio = b > 0 ? t / b : 0
        printf "  %-48s %6.2fx (<= %.1fx) %7.1f MB (<= %d MB)  %s\n", title, ratio, g, r, rg, (ratio <= g && r <= rg) ? "ok" : "MISS"
    }'
}

# ratio TITLE NAME PEER_NAME: one line "ratio", no goal.
ratio() {
    local t=${secs[$2]:-} b=${secs[$3]:-}
    [ -n "$t" ] && [ -n "$b" ] || return 0
    awk -v t="$t" -v b="$b" -v title="$1" 'BEGIN { printf "  %-48s %6.2fx\n", title, (b > 0 ? t / b : 0) }'
}

declare -A pack_rss
small="$work/small-files"
echo "== making $files small files in $small"
python3 - "$small" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"d{i // 1000:03d}")
    if i % 1000 == 0:
        os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:06d}.txt"), "w") as f:
        f.write(f"file {i}\n" * (1 + i % 64))
PY
bench_tree "$files small files" "$small"
rm -rf "$small"

big="$work/big-file"
echo "== making a $big_mb MiB file in $big"
mkdir -p "$big"
head -c "$((big_mb * 1024 * 1024))" /dev/urandom >"$big/blob.bin"
bench_tree "one $big_mb MiB file" "$big"
rm -rf "$big"

if [ -f "$debian_tar" ]; then
    debian="$work/debian-rootfs"
    echo "== unpacking $debian_tar into $debian"
    mkdir -p "$debian"
    tar --no-same-owner -C "$debian" -xf "$debian_tar"
    # Scute runs as $bench_user: every file must be readable by it (the bench only needs the content),
    # and devices go (the packer skips them; the user could not copy them into the upper dir).
    find "$debian" \( -type c -o -type b -o -type p \) -delete
    chmod -R a+rX,u+w "$debian"
    bench_tree "Debian rootfs" "$debian"
    chmod -R u+rwX "$debian"; rm -rf "$debian"
else
    echo "== no Debian rootfs tarball at $debian_tar: skipped"
fi

big_rss=${pack_rss["one $big_mb MiB file"]}
if awk -v r="$big_rss" -v l="$rss_limit_mb" 'BEGIN { exit !(r > l) }'; then
    die "packing and hashing the big file peaked at $big_rss MB (limit $rss_limit_mb MB)"
fi
echo "packing and hashing the $big_mb MiB file peaked at $big_rss MB (limit $rss_limit_mb MB): ok"
