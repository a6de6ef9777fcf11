#!/usr/bin/env bash
# For developers: build, publish and run only the tests matching a filter, with this checkout's
# own binary (so several checkouts can test side by side).
#   scripts/quick-test.sh 'FullyQualifiedName~SeccompTests' [test project name ...]
# Without project names it runs the filter over every test project. Needs ./test.sh to have run
# once as root on this machine (packages, test users).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
filter=${1:?usage: scripts/quick-test.sh FILTER [project ...]}; shift
bin_dir=${SCUTE_TEST_BIN_DIR:-/var/tmp/scute-bin-$(printf %s "$root" | sha256sum | cut -c1-8)}
dotnet build Scute.slnx -c Release -nologo -clp:ErrorsOnly -v q
dotnet publish src/Scute.Cli -c Release -o "$root/artifacts/scute" -nologo -v q >/dev/null
dotnet publish src/Scute.Tui -c Release -o "$root/artifacts/scute-tui" -nologo -v q >/dev/null
mkdir -p "$bin_dir/attacks" && cp "$root/artifacts/scute/scute" "$root/artifacts/scute-tui/scute-tui" "$bin_dir/"
for src in tests/attacks/*.c; do
  [ -f "$src" ] && gcc -static -O1 -Wall -Werror -o "$bin_dir/attacks/$(basename "$src" .c)" "$src"
done
chmod -R a+rX "$bin_dir"
export SCUTE_BIN="$bin_dir/scute" SCUTE_ATTACKS_DIR="$bin_dir/attacks"
projects=("$@"); [ ${#projects[@]} -gt 0 ] || projects=($(ls tests/*/*.csproj | xargs -n1 basename | sed 's/\.csproj$//'))
for p in "${projects[@]}"; do
  dotnet test "tests/$p/$p.csproj" -c Release --no-build -nologo --filter "$filter" --logger "console;verbosity=normal" 2>&1 \
    | grep -E "^\s+(Passed|Failed|Skipped) |Error Message|Assert|Stack Trace|at Scute|Total tests|Passed!|Failed!|No test matches" || true
done
