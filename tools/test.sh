#!/usr/bin/env bash
# Run every test project and print one closing line: "N passed, M failed" (totals over all projects,
# read from dotnet test's TRX results, so a run that executed nothing shows as 0 passed).
# Exit status: 0 only when at least one test ran and none failed.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

cd "$here"
dotnet test NginxLite.sln -c Release --nologo \
  --logger "trx" --results-directory "$results" \
  --blame-hang-timeout 10m
status=$?

passed=0 failed=0 skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { printf '%s' "$counters" | sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); x=$(get aborted); n=$(get notExecuted)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${x:-0}))
  skipped=$((skipped + ${n:-0}))
done

if [ "$skipped" -gt 0 ]; then
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed} passed, ${failed} failed"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
