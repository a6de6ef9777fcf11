#!/usr/bin/env bash
# Where the time of `scute exec <env> -- true` goes, phase by phase, from the kernel's scheduler
# tracepoints (exec, fork, exit: cheap, so the times are close to an untraced run):
#   outer       scute starts .. its last fork before the stage (the outer .NET process's work)
#   spawn       that fork .. the stage's exec of scute __init
#   inside      __init's exec .. the exec of the command (namespaces, id maps, mounts, credentials)
#   command     the command's exec .. its exit
#   teardown    the command's exit .. the outer scute's exit
# Medians over N runs, for the dev (`scute new minimal`) and strict (`scute new app`) templates.
#
# Usage (as root: perf needs it; the execs run as $BENCH_USER): bench/exec-phases.sh [runs]
# Environment: SCUTE_BIN (default <repo>/artifacts/scute/scute), BENCH_USER (default scute-test),
#   STORE (reuse a store that has environments `dev` and `strict`, e.g. one kept by
#   KEEP=1 bench/exec-latency.sh; default: build them in a temporary store).
set -euo pipefail
repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
runs=${1:-40}
user=${BENCH_USER:-scute-test}
bin=$(readlink -f "${SCUTE_BIN:-$repo/artifacts/scute/scute}")
die() { echo "exec-phases: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (perf trace needs it); the execs run as $user"
command -v perf >/dev/null || die "perf is not installed"
id -u "$user" >/dev/null 2>&1 || die "no user $user"
[ -x "$bin" ] || die "no scute binary at $bin"

work=$(mktemp -d /tmp/scute-exec-phases.XXXXXX)
chmod 0755 "$work"
trap 'rm -rf "$work" 2>/dev/null || true' EXIT
as_user() { (cd /tmp && runuser -u "$user" -- env -u XDG_RUNTIME_DIR "$@"); }

store=${STORE:-}
if [ -z "$store" ]; then
    store=$work/store
    mkdir -p "$work/dev" "$work/strict"; chown -R "$user" "$work"
    for kind in dev strict; do
        template=minimal; [ "$kind" = strict ] && template=app
        as_user sh -c "cd '$work/$kind' && '$bin' new $template >/dev/null && SCUTE_STORE='$store' '$bin' build scute.toml --name $kind >/dev/null" \
            || die "building the $kind environment failed"
    done
fi

for kind in dev strict; do
    printf 'for i in $(seq %s); do "%s" exec %s -- true || exit 1; done\n' "$runs" "$bin" "$kind" >"$work/loop-$kind.sh"
    chmod 0644 "$work/loop-$kind.sh"
    as_user env SCUTE_STORE="$store" bash "$work/loop-$kind.sh" >/dev/null # warm-up
    perf trace --no-syscalls -o "$work/sched-$kind.txt" \
        -e 'sched:sched_process_exec,sched:sched_process_fork,sched:sched_process_exit' \
        -- runuser -u "$user" -- env -u XDG_RUNTIME_DIR SCUTE_STORE="$store" bash "$work/loop-$kind.sh" >/dev/null
done

python3 - "$work" "$bin" <<'PY'
import re, sys, statistics as st
work, binary = sys.argv[1], sys.argv[2]
line = re.compile(r'\s*([\d.]+) (\S+)/(\d+) sched:sched_process_(\w+)\((.*)\)')
phases = [('start', 'fork', 'outer'), ('fork', 'init', 'spawn'), ('init', 'cmd', 'inside'),
          ('cmd', 'cmdexit', 'command'), ('cmdexit', 'done', 'teardown'), ('start', 'done', 'total')]
for kind in ('dev', 'strict'):
    runs, cur = [], None
    for l in open(f'{work}/sched-{kind}.txt'):
        m = line.match(l)
        if not m:
            continue
        t, comm, pid, what, args = float(m[1]), m[2], int(m[3]), m[4], m[5]
        is_scute = what == 'exec' and f'filename: "{binary}"' in args
        if is_scute and (cur is None or 'done' in cur):
            cur = {'start': t, 'pid': pid}
            runs.append(cur)
        elif cur is None:
            continue
        elif is_scute:
            cur['init'] = t
        elif what == 'fork' and 'init' not in cur and pid == cur['pid']:
            cur['fork'] = t
        elif what == 'exec' and 'init' in cur and 'cmd' not in cur:
            cur['cmd'], cur['cmdpid'] = t, pid
        elif what == 'exit' and pid == cur.get('cmdpid') and 'cmdexit' not in cur:
            cur['cmdexit'] = t
        elif what == 'exit' and pid == cur['pid'] and 'done' not in cur:
            cur['done'] = t
    print(f'== {kind}: {len(runs)} runs, median (mean) in ms')
    for a, b, name in phases:
        v = [r[b] - r[a] for r in runs if a in r and b in r]
        if v:
            print(f'  {name:9s} {st.median(v):6.2f} ({st.mean(v):6.2f})')
PY
