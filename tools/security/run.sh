#!/usr/bin/env bash
# Issue 8's runner: every security check NginxLite proves, one table row each: check, cases tried, failures.
# Rows so far: the security lint over gixy's own plugin test cases, faults under load (faults.sh: reload storm,
# upstream kill, app worker kill, hanging CGI, disk-full access log; about a minute, root for the tmpfs mount), and
# failover across three ip-netns hosts, for nginxlite and nginx (failover.sh; ~40 s, root for ip netns).
# Later rows (hostile requests, fuzzing) are one more row_* function each, added to ROWS below.
#
#   tools/security/run.sh            # all rows; exit 1 if any row has failures
#   tools/security/run.sh -v         # also print each failing case
#   tools/security/run.sh --fast     # lint rows + the three no-kill fault rows at 4 s; what CI runs (tools/test.sh)
#   SECURITY_ROWS="row_failover_nginxlite" tools/security/run.sh -v    # only the named rows
#
# The nginxlite under test: $NGINXLITE_BIN, else nginxlite on PATH, else the newest build output.
# The corpus: $NGINXLITE_CORPUS, else ../shared/corpus from the repository root.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../bench/lib.sh
. "$root/tools/bench/lib.sh"
# shellcheck source=faults.sh
. "$here/faults.sh"
# shellcheck source=failover.sh
. "$here/failover.sh"

verbose=0
fast=0
for arg in "$@"; do
  case "$arg" in
    -v) verbose=1 ;;
    --fast) fast=1 ;;
    *) echo "usage: run.sh [-v] [--fast]" >&2; exit 2 ;;
  esac
done

nginxlite=$(find_nginxlite)
[ -x "${nginxlite:-}" ] || { echo "run.sh: no nginxlite binary (build src/NginxLite.Cli or set NGINXLITE_BIN)" >&2; exit 1; }
corpus=${NGINXLITE_CORPUS:-$(cd "$root/../shared/corpus" 2>/dev/null && pwd || true)}
[ -d "$corpus/nginx/gixy" ] || { echo "run.sh: gixy corpus not found under ${corpus:-../shared/corpus}/nginx/gixy" >&2; exit 1; }

work=$(mktemp -d)
chmod 755 "$work"   # CGI scripts run as nobody
trap 'faults_cleanup; failover_cleanup; rm -rf "$work"' EXIT

rows=()
# add_row CHECK TRIED FAILURES
add_row() { rows+=("$1"$'\t'"$2"$'\t'"$3"); }
# fail_case CHECK WHAT: one failing case, printed with -v.
fail_case() { [ "$verbose" = 1 ] && echo "FAIL $1: $2" >&2 || true; }

# gixy plugin folder → NginxLite lint check id (docs/security-lint.md). add_header_multiline has no counterpart.
declare -A gixy_check=(
  [add_header_redefinition]=add-header-redefinition
  [alias_traversal]=alias-traversal
  [host_spoofing]=host-spoofing
  [http_splitting]=http-splitting
  [origins]=origins
  [ssrf]=ssrf
  [valid_referers]=valid-referers-none
)

# lint_case PATH KIND: the case wrapped as its MANIFEST kind says, through `nginxlite -t`; prints the lint ids found.
lint_case() {
  local file=$corpus/nginx/$1 kind=$2 main opts=()
  case "$kind" in
    full) main=$file ;;
    server-snippet*) main=$work/case.conf; printf 'events {}\nhttp {\nserver {\ninclude %s;\n}\n}\n' "$file" >"$main" ;;
    location-snippet*) main=$work/case.conf; printf 'events {}\nhttp {\nserver {\nlocation / {\ninclude %s;\n}\n}\n}\n' "$file" >"$main" ;;
    *) main=$work/case.conf; printf 'events {}\nhttp {\ninclude %s;\n}\n' "$file" >"$main" ;;
  esac
  # gixy's per-case plugin options ("# Options: {json}" first line) as the lint's command-line options.
  if head -n 1 "$file" | grep -q '^# Options:'; then
    mapfile -t opts < <(head -n 1 "$file" | sed 's/^# Options://' | python3 -c '
import json, sys
o = json.load(sys.stdin)
if o.get("domains"): print("--origin-domains=" + ",".join(o["domains"]))
if o.get("https_only"): print("--origin-https-only")')
  fi
  "$nginxlite" -t -p "$work/" -c "$main" "${opts[@]}" 2>&1 | sed -n 's/.*\[security:\([a-z-]*\)\].*/\1/p' | sort -u || true
}

# Row: the lint against gixy's verdicts. gixy's convention (tests/plugins/test_simply.py): *_fp.conf must give no
# finding of the plugin, every other case must give one.
row_lint_gixy() {
  local tried=0 failures=0 path kind plugin check found expected
  while IFS=$'\t' read -r path kind _; do
    plugin=$(basename "$(dirname "$path")")
    check=${gixy_check[$plugin]:-}
    [ -n "$check" ] || continue
    tried=$((tried + 1))
    found=$(lint_case "$path" "$kind")
    if [[ $path == *_fp.conf ]]; then expected=no; else expected=yes; fi
    if grep -qx "$check" <<<"$found"; then got=yes; else got=no; fi
    if [ "$expected" != "$got" ]; then
      failures=$((failures + 1))
      fail_case "lint-gixy" "$path: gixy ${expected/no/no finding}, nginxlite ${got/no/no finding} ($check)"
    fi
  done < <(grep '^gixy/tests/plugins/simply/' "$corpus/nginx/MANIFEST.tsv")
  add_row "lint: gixy plugin cases" "$tried" "$failures"
}

# Row: the documented bad example of each check must be found, with --strict failing the test (exit 1).
row_lint_strict() {
  local tried=0 failures=0 conf=$work/strict.conf
  printf 'user root;\nevents {}\nhttp {\n    server_tokens on;\n    server {\n        listen 127.0.0.1:8080;\n        location /i { alias /data/i/; }\n    }\n}\n' >"$conf"
  tried=1
  if "$nginxlite" -t --strict -p "$work/" -c "$conf" >/dev/null 2>&1; then
    failures=1
    fail_case "lint-strict" "-t --strict exited 0 on a config with findings"
  fi
  add_row "lint: --strict fails on findings" "$tried" "$failures"
}

ROWS=(row_lint_gixy row_lint_strict)
if [ "$fast" = 1 ]; then
  # The fault rows whose goal is 0 failures and that kill nothing of the server's (reload storm, hanging CGI, full
  # disk), with 4 s of wrk instead of 10: about 20 s in all. The kill rows and the failover stay in the full run.
  FAULT_SECONDS=${FAST_FAULT_SECONDS:-4}
  ROWS+=(row_fault_reload_storm row_fault_cgi_hang row_fault_disk_full)
else
  ROWS+=("${FAULT_ROWS[@]}" "${FAILOVER_ROWS[@]}")
fi
# SECURITY_ROWS="row_failover_nginxlite row_failover_nginx" runs only those rows (one check while working on it).
[ -z "${SECURITY_ROWS:-}" ] || read -r -a ROWS <<<"$SECURITY_ROWS"

for row in "${ROWS[@]}"; do "$row"; done

total=0
printf '%-50s %12s %9s\n' "check" "cases tried" "failures"
for r in "${rows[@]}"; do
  IFS=$'\t' read -r name tried failures <<<"$r"
  printf '%-50s %12s %9s\n' "$name" "$tried" "$failures"
  total=$((total + failures))
done
[ "$total" -eq 0 ]
