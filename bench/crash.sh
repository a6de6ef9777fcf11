#!/usr/bin/env bash
# Crash tests at scale: the harness of tests/Scute.Integration.Tests/CrashTests.cs (SIGKILL of
# the whole scute process tree at a random instant during build, commit, restore, rebuild,
# destroy, and gc when the binary has it; then verify-store, list and the store invariants),
# with many more kills than ./test.sh runs.
#
# Usage: bench/crash.sh [kills] [op]
#   kills        total kills, shared by the operations (default: $CRASH_KILLS, else 2000)
#   op           only these operations, comma-separated (build, commit, restore, rebuild,
#                destroy, gc; default: $CRASH_OPS, else all)
# Environment:
#   CRASH_KILLS  same as the first argument
#   CRASH_SEED   reproduce an earlier run (every run prints its seeds)
#   SCUTE_BIN    scute binary (default: publish <repo>/artifacts/scute/scute first)
#   NO_PUBLISH=1 use artifacts/scute/scute as it is
#
# Run as root: the tests become the user scute-test (./test.sh creates it) through runuser.
# Output: per operation, kills landed, runs that finished before the kill, recoveries that
# rolled back an operation, the typical run time and the seed; the log is artifacts/crash.log.
set -euo pipefail

script=$(readlink -f "${BASH_SOURCE[0]}")
repo=$(cd "$(dirname "$script")/.." && pwd)
kills=${1:-${CRASH_KILLS:-2000}}
op=${2:-${CRASH_OPS:-}}
[ "$(id -u)" -eq 0 ] || { echo "crash.sh: run as root (the tests run scute as scute-test via runuser)" >&2; exit 1; }
cd "$repo"

if [ -z "${SCUTE_BIN:-}" ]; then
  if [ -z "${NO_PUBLISH:-}" ]; then
    dotnet publish src/Scute.Cli -c Release -o artifacts/scute -nologo >artifacts/crash-publish.log 2>&1 \
      || { cat artifacts/crash-publish.log; exit 1; }
  fi
  # scute-test must reach the binary: copy it out of the checkout.
  mkdir -p /var/tmp/scute-crash-bin
  cp artifacts/scute/scute /var/tmp/scute-crash-bin/scute
  chmod 755 /var/tmp/scute-crash-bin /var/tmp/scute-crash-bin/scute
  export SCUTE_BIN=/var/tmp/scute-crash-bin/scute
fi

filter="FullyQualifiedName~CrashTests.Sigkill"
[ -n "$op" ] && export CRASH_OPS=$op
mkdir -p artifacts
export CRASH_KILLS=$kills CRASH_LOG="$repo/artifacts/crash.log"
: >"$CRASH_LOG"
echo "crash.sh: $kills kills in all, binary $SCUTE_BIN, log $CRASH_LOG"
start=$(date +%s)
status=0
dotnet test tests/Scute.Integration.Tests -c Release -nologo --filter "$filter" \
  --logger "console;verbosity=normal" >artifacts/crash-test.log 2>&1 || status=$?
grep -E "^crash " "$CRASH_LOG" || true
grep -E "^\s+(Failed|Skipped) |Error Message|Passed!|Failed!|Total tests" -A3 artifacts/crash-test.log | head -60
echo "crash.sh: $(( $(date +%s) - start )) s, exit $status (details: artifacts/crash-test.log)"
exit $status
