#!/usr/bin/env bash
# Longer fuzzing run of the manifest parser and security context resolver: bench/fuzz.sh [seconds] (default 600).
# Same route and output as scripts/fuzz-smoke.sh (AFL++, else the in-process mutation loop); findings are kept
# in artifacts/fuzz/findings-<date> so a long run is not overwritten by the next smoke run.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
FUZZ_FINDINGS="$(pwd)/artifacts/fuzz/findings-$(date -u +%Y%m%dT%H%M%SZ)" exec scripts/fuzz-smoke.sh "$seconds"
