#!/usr/bin/env bash
# Installs what is missing, builds, runs every test, and ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
artifacts="$root/artifacts"
results="$artifacts/test-results"

scripts/install-deps.sh $(cat scripts/runtime-packages.txt scripts/test-packages.txt) || exit 1
if [ "$(id -u)" -eq 0 ]; then scripts/test-users.sh || exit 1; fi

echo "== build"
dotnet build Scute.slnx -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

echo "== publish the NativeAOT binaries (scute, and scute-tui beside it)"
rm -rf "$artifacts/scute" "$artifacts/scute-tui"
publish_log="$artifacts/publish.log"
mkdir -p "$artifacts"
if ! { dotnet publish src/Scute.Cli -c Release -o "$artifacts/scute" -nologo \
       && dotnet publish src/Scute.Tui -c Release -o "$artifacts/scute-tui" -nologo \
       && cp "$artifacts/scute-tui/scute-tui" "$artifacts/scute/scute-tui"; } >"$publish_log" 2>&1; then
  cat "$publish_log"; echo "0 passed, 1 failed"; exit 1
fi
if grep -E "warning (IL|AOT|CS)[0-9]+" "$publish_log"; then
  echo "publish produced trim/AOT warnings (above)"; echo "0 passed, 1 failed"; exit 1
fi
# The integration tests run the binary as non-root users, who may not reach this checkout.
bin_dir=${SCUTE_TEST_BIN_DIR:-/var/tmp/scute-test-bin}
mkdir -p "$bin_dir" && cp "$artifacts/scute/scute" "$artifacts/scute/scute-tui" "$bin_dir/" && chmod 755 "$bin_dir" "$bin_dir/scute" "$bin_dir/scute-tui"
export SCUTE_BIN="$bin_dir/scute"

echo "== compile the attack programs (tests/attacks/*.c, static)"
export SCUTE_ATTACKS_DIR="$bin_dir/attacks"
rm -rf "$SCUTE_ATTACKS_DIR"; mkdir -p "$SCUTE_ATTACKS_DIR"
for src in tests/attacks/*.c; do
  [ -f "$src" ] || continue
  gcc -static -O1 -Wall -Werror -o "$SCUTE_ATTACKS_DIR/$(basename "$src" .c)" "$src" || { echo "0 passed, 1 failed"; exit 1; }
done
chmod -R a+rX "$SCUTE_ATTACKS_DIR"

rm -rf "$results"
# Test folders of this run (stores, Debian trees), removed at the end; see TestUser.ScratchRoot.
export SCUTE_IT_ROOT; SCUTE_IT_ROOT=$(mktemp -d /tmp/scute-it-run.XXXXXX) && chmod 777 "$SCUTE_IT_ROOT"
status=0
for proj in tests/*/*.csproj; do
  name=$(basename "$proj" .csproj)
  kind=unit; case "$name" in *Integration*) kind=integration;; esac
  echo "== $kind: $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
    --results-directory "$results" >"$artifacts/$name.log" 2>&1 || status=1
  grep -E "^\s+(Failed|Skipped) |Error Message|Assert\.|Skip reason|\[SKIP\]|Total tests|Passed!|Failed!" "$artifacts/$name.log" | head -80
done

echo "== fuzz smoke: manifest parser and policy engine (scripts/fuzz-smoke.sh, about 30 s)"
fuzz_passed=0; fuzz_failed=0
if scripts/fuzz-smoke.sh >"$artifacts/fuzz-smoke.log" 2>&1; then fuzz_passed=1; else fuzz_failed=1; status=1; fi
tail -4 "$artifacts/fuzz-smoke.log"

passed=$fuzz_passed; failed=$fuzz_failed; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); x=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0})); skipped=$((skipped + ${t:-0} - ${x:-0}))
  # Every skipped test says why.
  awk '/outcome="NotExecuted"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
       want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "skipped: " name ": " $0; want = 0 }' "$trx"
done
trx_count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
expected=$(ls tests/*/*.csproj | wc -l)
if [ "$trx_count" -ne "$expected" ]; then
  echo "only $trx_count of $expected test projects produced results"; failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
rm -rf "$SCUTE_IT_ROOT" 2>/dev/null
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
