#!/usr/bin/env bash
# HTTP/2 over TLS, side by side in one run: nginx (worker_processes auto) and NginxLite serving the same config with
# `listen … ssl http2` (one self-signed ECDSA certificate, ssl_protocols TLSv1.2 TLSv1.3) on a free 127.0.0.1 port,
# one server at a time, measured with h2load (nghttp2's HTTP/2 load client; ALPN picks h2).
# Scenarios: `return 200 "hello"` and a 1 KiB file, each at CLIENTS connections x STREAMS concurrent streams.
# Each scenario is warmed up with 2000 requests first (not measured). Prints req/s per server, the NginxLite/nginx ratio and the load average before and after (numbers taken while
# other work runs on the 2 cores are noisy: compare the ratio, not the absolute numbers).
#
#   tools/bench/h2.sh
# Environment: REQUESTS (h2load -n per scenario, default 20000), CLIENTS (-c, default 20), STREAMS (-m, default 10),
# TIMEOUT (seconds per h2load run, default 60), NGINXLITE_BIN (see lib.sh's find_nginxlite).
# Needs: nginx, h2load (nghttp2-client), openssl, curl (./install.sh --test-peers).
# Every server is started in the foreground and stopped by its PID (SIGQUIT, SIGKILL after 5 s).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
REQUESTS=${REQUESTS:-20000}
CLIENTS=${CLIENTS:-20}
STREAMS=${STREAMS:-10}
TIMEOUT=${TIMEOUT:-60}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools h2.sh nginx h2load openssl curl python3

nginxlite_bin=$(find_nginxlite)
bench_workdir

mkdir -m 755 -p "$work/www" "$work/tls"
printf 'x%.0s' $(seq 1024) >"$work/www/1k.txt"
chmod 644 "$work/www/1k.txt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench.test \
  -keyout "$work/tls/bench.key" -out "$work/tls/bench.pem" 2>/dev/null
chmod 644 "$work/tls/bench.key" "$work/tls/bench.pem"

write_config() { # FILE PORT
  cat >"$1" <<CONF
worker_processes auto;
error_log logs/error.log;
pid logs/server.pid;
events { worker_connections 1024; }
http {
    include $here/conf/mime.types;
    default_type application/octet-stream;
    access_log off;
    keepalive_requests 100000;
    ssl_certificate $work/tls/bench.pem;
    ssl_certificate_key $work/tls/bench.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:$2 ssl http2;
        root $work/www;
        location = /hello { return 200 "hello"; }
        location / { }
    }
}
CONF
}

# LABEL:PATH:SIZE[:H2LOAD FLAG]; hello-h1 is the same hello over HTTP/1.1 on the same TLS socket (h2load --h1), to
# tell the cost of HTTP/2 from that of TLS (-m 1: HTTP/1.1 without pipelining).
scenarios=("hello:/hello:5" "1KiB:/1k.txt:1024" "hello-h1:/hello:5:--h1")
declare -A rps notes

bench() { # NAME
  local name=$1 s label path size flag got out want
  for s in "${scenarios[@]}"; do
    IFS=: read -r label path size flag <<<"$s"
    local curl_version=--http2 want_version=2 want_proto=h2 streams=$STREAMS h2flags=()
    if [ "$flag" = --h1 ]; then
      # one request at a time per connection (no pipelining)
      curl_version=--http1.1; want_version=1.1; want_proto=http/1.1; streams=1; h2flags=(--h1)
    fi
    got=$(curl -sk "$curl_version" -o /dev/null -w '%{http_code} %{size_download} %{http_version}' "https://127.0.0.1:$server_port$path" || echo "000 0 0")
    want="200 $size $want_version"
    if [ "$got" != "$want" ]; then
      notes[$name]+="$label answered '$got' (want '$want'); "
      rps[$name,$label]=err
      continue
    fi
    # warm-up (both servers alike; NginxLite's JIT compiles the HTTP/2 path here), not measured
    timeout --kill-after=5 "$TIMEOUT" h2load "${h2flags[@]}" -n 2000 -c 4 -m "$streams" "https://127.0.0.1:$server_port$path" >/dev/null 2>&1 || true
    out=$(timeout --kill-after=5 "$TIMEOUT" h2load "${h2flags[@]}" -n "$REQUESTS" -c "$CLIENTS" -m "$streams" \
      "https://127.0.0.1:$server_port$path" 2>&1) || true
    if ! grep -q "^requests: .* $REQUESTS succeeded" <<<"$out"; then
      notes[$name]+="$label: $(grep -E '^requests:|^status codes:' <<<"$out" | tr -s ' ' | tr '\n' ' '); "
    fi
    grep -q "Application protocol: $want_proto\$" <<<"$out" || notes[$name]+="$label: h2load did not negotiate $want_proto; "
    rps[$name,$label]=$(awk '/^finished in/ {gsub(",", "", $4); printf "%.0f", $4}' <<<"$out")
    [ -n "${rps[$name,$label]}" ] || rps[$name,$label]=err
  done
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
servers=(nginx nginxlite)
for name in "${servers[@]}"; do
  case $name in
    nginx) cmd=(nginx) ;;
    nginxlite)
      if [ -z "$nginxlite_bin" ] || [ ! -x "$nginxlite_bin" ]; then
        notes[$name]="no nginxlite executable (set NGINXLITE_BIN, run ./install.sh, or build src/NginxLite.Cli)"
        continue
      fi
      cmd=("$nginxlite_bin") ;;
  esac
  echo "== $name: ${cmd[*]}" >&2
  if ! start_server "$name" "${cmd[@]}"; then
    notes[$name]="cannot serve: $server_error"
    echo "   $name ${notes[$name]}" >&2
    continue
  fi
  sleep 0.5
  bench "$name"
  stop_pid "$server_pid"
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "HTTP/2 over TLS (listen ssl http2), h2load -n $REQUESTS -c $CLIENTS -m $STREAMS, 127.0.0.1, $(nproc) cores shared by client and servers"
printf '%-8s | %12s | %12s | %10s\n' scenario "nginx req/s" "lite req/s" "lite/nginx"
for s in "${scenarios[@]}"; do
  IFS=: read -r label _ _ <<<"$s"
  printf '%-8s | %12s | %12s | %10s\n' "$label" "$(val "${rps[nginx,$label]:-}")" "$(val "${rps[nginxlite,$label]:-}")" \
    "$(ratio "${rps[nginxlite,$label]:-}" "${rps[nginx,$label]:-}")"
done
echo "load average (1 5 15 min): $load_start at the start, $load_end at the end"
for name in "${servers[@]}"; do
  [ -z "${notes[$name]:-}" ] || echo "note: $name: ${notes[$name]}"
done
