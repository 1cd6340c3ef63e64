#!/usr/bin/env bash
# Wall time of `nginxlite migrate` and `nginxlite -t --ini` on a generated 220-line uwsgi.ini with 5 includes
# (issue 5's goal: under 150 ms). Bounded: hyperfine, fixed runs.
#
#   tools/bench/ini-migrate.sh            # nginxlite on PATH (./install.sh), or NGINXLITE_BIN=…
# Needs: hyperfine and python3 (./install.sh --test-peers).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${NGINXLITE_BIN:-$(command -v nginxlite || true)}
[ -x "$bin" ] || { echo "ini-migrate.sh: nginxlite not found (run ./install.sh or set NGINXLITE_BIN)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "ini-migrate.sh: hyperfine not found (run ./install.sh --test-peers)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/tools/bench/gen-uwsgi-ini.py" "$work"
echo "app.ini: $(wc -l <"$work/app.ini") lines, includes: $(cat "$work"/inc*.ini | wc -l) lines in 5 files"

# migrate exits 2 here on purpose (the generated ini has unsupported `route` keys): accept 0 and 2.
hyperfine -N --warmup 3 --runs 30 -i \
  "$bin migrate $work/app.ini -o $work/out.conf --report $work/report.txt" \
  "$bin -t -q --ini $work/app.ini"
