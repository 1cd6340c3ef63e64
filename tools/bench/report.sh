#!/usr/bin/env bash
# Runs every benchmark script of tools/bench that exists, with short bounded load runs, and writes
# docs/BENCHMARKS.md: the machine, the versions, the exact commands, req/s and p99 per scenario with the peer
# (nginx, nginx + fcgiwrap, …) beside NginxLite and the ratio, the scripts' own tables, and PNG charts (gnuplot).
# Numbers come from this one run; nothing is copied from elsewhere.
#
#   tools/bench/report.sh             run everything, keep the outputs in docs/benchmarks/raw, write the page
#   tools/bench/report.sh --render    rewrite the page and charts from docs/benchmarks/raw (no run)
# Environment: DURATION (each wrk run, default 5s), SCRIPT_TIMEOUT (seconds per script, default 600),
# NGINXLITE_BIN (the nginxlite under test; else nginxlite on PATH, else the newest build output), OUT (default docs).
# Scripts run, in order, when present: static upstream upstream-fastcgi cgi config-test ini-migrate app; the report
# and stdout say which ran, which failed and which are absent. Needs what those scripts need, plus gnuplot
# (gnuplot-nox, ./install.sh --test-peers) for the charts.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
export DURATION=${DURATION:-5s}
SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-600}
OUT=${OUT:-$root/docs}
SCRIPTS=(static upstream upstream-fastcgi cgi config-test ini-migrate app h2)

# render: the page and charts from a run's outputs in $run_dir (the tables, machine.tsv, runs.tsv).
render() {
  python3 "$here/report_tables.py" "$run_dir" "$OUT" || exit 1
  if command -v gnuplot >/dev/null; then
    local metric
    for metric in rps p99; do gnuplot "$run_dir/$metric.gp" || echo "report.sh: gnuplot failed for $metric" >&2; done
  else
    echo "report.sh: gnuplot not found (apt-get install gnuplot-nox): no charts" >&2
  fi
}

# --render: rebuild the page from the committed raw outputs of the last run (no benchmark is run).
if [ "${1:-}" = "--render" ]; then
  run_dir=$(mktemp -d)
  trap 'rm -rf "$run_dir"' EXIT
  cp "$OUT"/benchmarks/raw/* "$run_dir/"
  render
  echo "report.sh: re-rendered $OUT/BENCHMARKS.md from $OUT/benchmarks/raw"
  exit 0
fi

nginxlite=$(find_nginxlite)
[ -x "$nginxlite" ] || { echo "report.sh: no nginxlite binary found (build src/NginxLite.Cli or set NGINXLITE_BIN)" >&2; exit 1; }
nginxlite=$(readlink -f "$nginxlite")
export NGINXLITE_BIN=$nginxlite
run_dir=$(mktemp -d)
trap 'rm -rf "$run_dir"' EXIT
# Scripts that look for `nginxlite` on PATH (config-test, ini-migrate) get the same binary.
mkdir -p "$run_dir/bin" && ln -s "$nginxlite" "$run_dir/bin/nginxlite"
export PATH="$run_dir/bin:$PATH"

first() { "$@" 2>&1 | head -n 1; }
{
  echo "date	$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "loadavg	$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nproc	$(nproc)"
  echo "cpu	$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
  echo "ram	$(awk '/^MemTotal:/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel	$(uname -sr)"
  echo "nginx	$(first nginx -v)"
  echo "uwsgi	$(first uwsgi --version)"
  echo "php-fpm	$(first php-fpm8.2 -v)"
  echo "fcgiwrap	$(dpkg-query -W -f='${Version}' fcgiwrap 2>/dev/null)"
  echo "wrk	$(first wrk -v)"
  echo "hyperfine	$(first hyperfine --version)"
  echo "dotnet	$(first dotnet --version)"
  echo "nginxlite	$(first "$nginxlite" -v) ($nginxlite)"
  echo "gnuplot	$(first gnuplot --version)"
} >"$run_dir/machine.tsv"
echo "report.sh: load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

: >"$run_dir/runs.tsv"
for s in "${SCRIPTS[@]}"; do
  script="$here/$s.sh"
  if [ ! -f "$script" ]; then
    echo "report.sh: $s.sh: absent, not run"
    printf '%s\tabsent\t0\t\n' "$s" >>"$run_dir/runs.tsv"
    continue
  fi
  cmd="DURATION=$DURATION NGINXLITE_BIN=$nginxlite tools/bench/$s.sh"
  echo "report.sh: running $cmd (at most ${SCRIPT_TIMEOUT}s)"
  start=$(date +%s)
  (cd "$root" && timeout --kill-after=10 "$SCRIPT_TIMEOUT" bash "$script") >"$run_dir/$s.out" 2>"$run_dir/$s.err"
  rc=$?
  secs=$(( $(date +%s) - start ))
  state=ran; [ "$rc" = 0 ] || state="failed (exit $rc)"
  [ "$rc" = 124 ] && state="timed out after ${SCRIPT_TIMEOUT}s"
  echo "report.sh: $s.sh: $state in ${secs}s"
  printf '%s\t%s\t%s\t%s\n' "$s" "$state" "$secs" "$cmd" >>"$run_dir/runs.tsv"
done
echo "report.sh: load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "loadavg_end	$(cut -d' ' -f1-3 /proc/loadavg)" >>"$run_dir/machine.tsv"

mkdir -p "$OUT/benchmarks/raw"
rm -f "$OUT"/benchmarks/raw/*
cp "$run_dir"/*.tsv "$run_dir"/*.out "$run_dir"/*.err "$OUT/benchmarks/raw/" 2>/dev/null
render
echo "report.sh: wrote $OUT/BENCHMARKS.md and $OUT/benchmarks/*.png (raw outputs in $OUT/benchmarks/raw)"
