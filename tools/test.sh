#!/usr/bin/env bash
# Run every test project, then the fast slice of the security suite (tools/security/run.sh --fast, issue 8: "CI
# runs the fast slice"), and print one closing line: "N passed, M failed" (totals over all projects, read from
# dotnet test's TRX results, so a run that executed nothing shows as 0 passed; each row of the security table
# counts as one test, failed when its failures column is not 0).
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

# The security table goes out before the closing line (which must stay the last line); -v adds a "FAIL …" line per
# failing case. Bounded: the fast rows (68 `nginxlite -t` runs) take about a minute on a busy 2-core machine; 300 s
# is a hang, counted as one failure. A run.sh that fails without a failing row (no binary, no corpus, a crash) is
# one failure too.
security=$results/security.txt
timeout 300 "$here/tools/security/run.sh" --fast -v >"$security" 2>&1
security_status=$?
echo "tools/security/run.sh --fast (exit $security_status):"
cat "$security"
read -r sec_passed sec_failed < <(awk '$NF ~ /^[0-9]+$/ && $(NF-1) ~ /^[0-9]+$/ { if ($NF == 0) p++; else f++ }
  END { print p + 0, f + 0 }' "$security")
if [ "$security_status" -ne 0 ] && [ "$sec_failed" -eq 0 ]; then sec_failed=1; fi
passed=$((passed + sec_passed))
failed=$((failed + sec_failed))

if [ "$skipped" -gt 0 ]; then
  echo "${passed} passed, ${failed} failed, ${skipped} skipped"
else
  echo "${passed} passed, ${failed} failed"
fi
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
