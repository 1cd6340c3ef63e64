#!/usr/bin/env bash
# nginx -t vs nginxlite -t, side by side in one run, on (1) a generated config with 1,000 servers and
# 10,000 locations (prefix, exact, regex, ^~; one include per server) and (2) the 50-line default config.
# Prints mean wall times, the ratio nginxlite/nginx, and peak RSS. Bounded: a fixed number of runs each.
#
#   tools/bench/config-test.sh [SERVERS] [LOCATIONS_PER_SERVER]
# Needs: nginx and hyperfine (./install.sh --test-peers) and nginxlite on PATH (./install.sh).
set -euo pipefail

servers=${1:-1000}
per=${2:-10}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
for tool in nginx nginxlite hyperfine python3; do
  command -v "$tool" >/dev/null || { echo "config-test.sh: $tool not found (run ./install.sh --test-peers)" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/tools/bench/gen-big-config.py" "$work/big" "$servers" "$per"
mkdir -p "$work/small/conf" "$work/small/logs"
cp "$here"/conf/*.conf "$here"/conf/*types "$here"/conf/*params "$work/small/conf/"
lines=$(cat "$work/small/conf/nginxlite.conf" | wc -l)

# Both must accept the configs, or the timing means nothing.
nginx -t -q -p "$work/big/" -c "$work/big/nginx.conf" -e "$work/big/error.log"
nginxlite -t -q -p "$work/big/" -c "$work/big/nginx.conf"
nginx -t -q -p "$work/small/" -c "$work/small/conf/nginxlite.conf" -e "$work/small/error.log"
nginxlite -t -q -p "$work/small/" -c "$work/small/conf/nginxlite.conf"

mean() { python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["mean"]*1000))' "$1" "$2"; }
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1; }

echo "== big config: $servers servers, $((servers * per)) locations, $((servers + 2)) files"
hyperfine -N --warmup 2 --runs 10 --export-json "$work/big.json" \
  -n nginx "nginx -t -q -p $work/big/ -c $work/big/nginx.conf -e $work/big/error.log" \
  -n nginxlite "nginxlite -t -q -p $work/big/ -c $work/big/nginx.conf" >/dev/null
bn=$(mean "$work/big.json" 0); bl=$(mean "$work/big.json" 1)
echo "nginx -t:     ${bn} ms   peak RSS $(rss nginx -t -q -p "$work/big/" -c "$work/big/nginx.conf" -e "$work/big/error.log") KiB"
echo "nginxlite -t: ${bl} ms   peak RSS $(rss nginxlite -t -q -p "$work/big/" -c "$work/big/nginx.conf") KiB"
echo "ratio nginxlite/nginx (big): $(python3 -c "print('%.2f' % ($bl/$bn))")   goal <= 1.5"

echo "== small config: the ${lines}-line default config"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/small.json" \
  -n nginx "nginx -t -q -p $work/small/ -c $work/small/conf/nginxlite.conf -e $work/small/error.log" \
  -n nginxlite "nginxlite -t -q -p $work/small/ -c $work/small/conf/nginxlite.conf" >/dev/null
sn=$(mean "$work/small.json" 0); sl=$(mean "$work/small.json" 1)
echo "nginx -t:     ${sn} ms"
echo "nginxlite -t: ${sl} ms   goal < 50 ms"
echo "ratio nginxlite/nginx (small): $(python3 -c "print('%.2f' % ($sl/$sn))")"
