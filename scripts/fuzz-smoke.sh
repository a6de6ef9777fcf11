#!/usr/bin/env bash
# Fuzzes the manifest parser and the security context resolver (fuzz/Scute.Fuzz) for a few seconds and
# exits non-zero when a crashing input is found.
#   scripts/fuzz-smoke.sh [seconds]        given: fuzz that long (bench/fuzz.sh does this)
#   scripts/fuzz-smoke.sh                  smoke: ~30 s of fuzzing, cut short so the whole run, build
#                                          included, stays under 55 s on a loaded machine
# Route: AFL++ (afl-fuzz over the SharpFuzz fork server, Scute.Manifest, Scute.Policy and Tomlyn instrumented
# by the sharpfuzz tool). If afl-fuzz is not available or cannot start here, an in-process mutation loop
# (Scute.Fuzz --mutate) runs for the same time instead, and the script says so.
# Installs afl++ (apt-get, as root) and the SharpFuzz.CommandLine tool (into artifacts/fuzz/tools) only when
# missing; downloads nothing else. FUZZ_ROUTE=mutate forces the in-process loop. Seeds: tests/corpus/manifests. Findings: artifacts/fuzz/findings.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
started=$SECONDS
seconds=${1:-30}
smoke=$([ $# -eq 0 ] && echo 1 || echo 0)
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [seconds]" >&2; exit 2 ;; esac
work="$root/artifacts/fuzz"
bin="$work/bin"           # plain build: the in-process loop (instrumented code needs AFL's shared memory)
afl_bin="$work/bin-afl"   # the same, with Scute.Manifest, Scute.Policy and Tomlyn instrumented
tools="$work/tools"
seeds="$work/seeds"
findings="${FUZZ_FINDINGS:-$work/findings}"
sharpfuzz_version=2.3.0

mkdir -p "$work"
if ! command -v afl-fuzz >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
  echo "== installing afl++"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q afl++ >"$work/apt.log" 2>&1 \
    || { apt-get update -q >>"$work/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q afl++ >>"$work/apt.log" 2>&1; } \
    || echo "could not install afl++ (see $work/apt.log)"
fi
if [ ! -x "$tools/sharpfuzz" ]; then
  echo "== installing SharpFuzz.CommandLine $sharpfuzz_version into $tools"
  dotnet tool install SharpFuzz.CommandLine --version "$sharpfuzz_version" --tool-path "$tools" >"$work/tool.log" 2>&1 \
    || { cat "$work/tool.log"; exit 1; }
fi

echo "== building fuzz/Scute.Fuzz"
rm -rf "$bin" "$afl_bin"   # fresh copies: sharpfuzz refuses to instrument twice, and publish keeps newer files
if ! dotnet publish fuzz/Scute.Fuzz -c Release -o "$bin" -nologo -clp:ErrorsOnly >"$work/publish.log" 2>&1; then
  cat "$work/publish.log"; exit 1
fi
cp -r "$bin" "$afl_bin"
for dll in Scute.Manifest Scute.Policy Tomlyn; do
  "$tools/sharpfuzz" "$afl_bin/$dll.dll" >/dev/null || { echo "sharpfuzz could not instrument $dll.dll"; exit 1; }
done

rm -rf "$seeds" "$findings"
mkdir -p "$seeds" "$findings"
find tests/corpus/manifests -maxdepth 1 -type f ! -name EXPECTED.txt -size -1000k -exec cp {} "$seeds/" \;

if [ "$smoke" -eq 1 ]; then
  left=$((55 - (SECONDS - started) - 3))   # afl-fuzz needs ~1 s to start and ~1 s to stop
  [ "$left" -lt "$seconds" ] && seconds=$left
  [ "$seconds" -lt 5 ] && seconds=5
fi

crashes=0
route=none
if [ "${FUZZ_ROUTE:-afl}" = afl ] && command -v afl-fuzz >/dev/null 2>&1; then
  echo "== afl-fuzz for $seconds s"
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 \
    afl-fuzz -i "$seeds" -o "$findings" -V "$seconds" -t 5000 -m none -- "$(command -v dotnet)" "$afl_bin/Scute.Fuzz.dll" \
    >"$work/afl.log" 2>&1
  stats="$findings/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    route=afl
    grep -E "^(execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs) " "$stats" | tr -s ' ' | sed 's/^/   /'
    crashes=$(find "$findings/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
    hangs=$(find "$findings/default/hangs" -type f 2>/dev/null | wc -l)
    [ "$hangs" -gt 0 ] && echo "   $hangs inputs took longer than 5 s (not failed on; see $findings/default/hangs)"
  else
    echo "afl-fuzz could not run here:"; grep -E "PROGRAM ABORT|\[-\]" "$work/afl.log" | sed 's/\x1b\[[0-9;]*m//g' | head -5
  fi
fi
if [ "$route" = none ]; then
  route=mutate
  echo "== fallback: in-process mutation loop for $seconds s (not coverage guided)"
  dotnet "$bin/Scute.Fuzz.dll" --mutate "$seconds" "$seeds" "$findings"
  crashes=$(find "$findings" -type f -name 'crash-*' | wc -l)
fi

if [ "$crashes" -gt 0 ]; then
  echo "fuzz: $crashes crashing inputs ($route) in $findings:"
  find "$findings" -path '*crash*' -type f ! -name README.txt | head -20
  exit 1
fi
echo "fuzz: no crashes ($route, $seconds s of fuzzing, $((SECONDS - started)) s in all)"
