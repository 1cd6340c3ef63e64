#!/usr/bin/env bash
# Upstream handlers, side by side in one run: nginx (worker_processes auto) and NginxLite as the front server, one
# at a time on a free 127.0.0.1 port, in front of the same backends, measured with wrk (bounded: DURATION each).
# Scenarios (issue 4):
#   proxy-close  proxy_pass http://unix:SOCK:  (nginx's default: HTTP/1.0, a new connection per request)
#   proxy-ka     proxy_pass http://backend; upstream backend { server unix:SOCK; keepalive 32; } with HTTP/1.1
# The backend is an nginx (worker_processes 1) on a Unix socket answering `return 200 "hello"` (a fast HTTP peer,
# so the front server is what is measured). Prints req/s and p99 per server and the NginxLite/nginx ratios.
#
#   tools/bench/upstream.sh
# Environment: DURATION (wrk -d, default 5s), CONNECTIONS (default "50"), NGINXLITE_BIN (as in static.sh:
# $NGINXLITE_BIN, else nginxlite on PATH, else src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite).
# Every process is started in the foreground and stopped by its PID (SIGQUIT, SIGKILL after 5 s).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools upstream.sh nginx wrk curl python3

nginxlite_bin=$(find_nginxlite)

bench_workdir


# --- backends --------------------------------------------------------------------------------------------------
# HTTP on a Unix socket: nginx itself.
http_sock="$work/http.sock"
mkdir -p "$work/backend/logs" "$work/backend/conf"
cat >"$work/backend/conf/backend.conf" <<CONF
worker_processes 1;
error_log logs/error.log;
pid logs/backend.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen unix:$http_sock; location / { return 200 "hello"; } }
}
CONF
nginx -p "$work/backend/" -c "$work/backend/conf/backend.conf" -g "daemon off;" >"$work/backend/stdout.log" 2>&1 &
started+=("$!")
for i in $(seq 100); do [ -S "$http_sock" ] && break; sleep 0.1; done
[ -S "$http_sock" ] || { echo "upstream.sh: the nginx backend did not listen on $http_sock" >&2; exit 1; }
chmod 666 "$http_sock"

# fastcgi_pass (php-fpm, a libfcgi responder) and uwsgi_pass (uWSGI) backends: start them here, add their
# locations to write_config and their rows to `scenarios` below (same NAME:PATH:BODY form).

# --- front servers ----------------------------------------------------------------------------------------------
write_config() { # FILE PORT
  cat >"$1" <<CONF
worker_processes auto;
error_log logs/error.log;
pid logs/server.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    upstream backend { server unix:$http_sock; keepalive 32; }
    server {
        listen 127.0.0.1:$2;
        location /proxy-close { proxy_pass http://unix:$http_sock:; }
        location /proxy-ka { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
        # fastcgi/uwsgi locations go here.
    }
}
CONF
}

# NAME:PATH:EXPECTED_BODY
scenarios=("proxy-close:/proxy-close:hello" "proxy-ka:/proxy-ka:hello")
declare -A rps p99 notes

bench() {
  local name=$1 s label path want c got
  for s in "${scenarios[@]}"; do
    IFS=: read -r label path want <<<"$s"
    got=$(curl -s -m 5 "http://127.0.0.1:$server_port$path" || true)
    if [ "$got" != "$want" ]; then
      notes[$name]+="$label answered '$got'; "
      continue
    fi
    for c in $CONNECTIONS; do
      wrk_measure 120 "$c" "http://127.0.0.1:$server_port$path" --timeout 5s
      [ -z "$wrk_errors" ] || notes[$name]+="$label c=$c: $wrk_errors; "
      rps[$name,$label,$c]=$wrk_rps
      p99[$name,$label,$c]=$wrk_p99
    done
  done
}

for name in nginx nginxlite; do
  if [ "$name" = nginx ]; then cmd=(nginx); else
    if [ -z "$nginxlite_bin" ] || [ ! -x "$nginxlite_bin" ]; then notes[$name]="no nginxlite executable"; continue; fi
    cmd=("$nginxlite_bin")
  fi
  echo "== $name: ${cmd[*]}" >&2
  if ! start_server "$name" "${cmd[@]}"; then notes[$name]="cannot serve: $server_error"; continue; fi
  sleep 0.5
  bench "$name"
  stop_pid "$server_pid"
done


echo
echo "upstreams, wrk -d $DURATION, 127.0.0.1, $(nproc) cores shared by client, front servers and backend"
print_rps_p99_table '%-12s %5s | %10s %9s | %10s %9s | %9s %9s\n' "${scenarios[@]%%:*}"
for name in nginx nginxlite; do
  [ -n "${notes[$name]:-}" ] && echo "note ($name): ${notes[$name]}"
done
exit 0
