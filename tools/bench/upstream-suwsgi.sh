#!/usr/bin/env bash
# uwsgi_pass over TLS (suwsgi://) against plain uwsgi over TCP, nginx (worker_processes auto) and NginxLite as the front
# server, one at a time on a free 127.0.0.1 port, in front of the same uWSGI (2 processes, hello.py) that serves one
# `--socket 127.0.0.1:P` and one `--ssl-socket 127.0.0.1:Q,cert,key`. uwsgi responses end with the connection, so every
# request is a new TCP connection and, for suwsgi, a new TLS handshake (session reuse on, both servers' default).
# Prints req/s and p99 per server and the NginxLite/nginx ratios, and the load average before and after.
#
#   tools/bench/upstream-suwsgi.sh
# Environment: DURATION (wrk -d, default 5s), CONNECTIONS (default "20"), NGINXLITE_BIN (as in upstream.sh).
# Every process is started in the foreground and stopped by its PID.
set -euo pipefail

DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-20}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools upstream-suwsgi.sh nginx wrk curl python3 openssl /usr/bin/uwsgi
nginxlite_bin=$(find_nginxlite)
bench_workdir
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

hello_wsgi
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=backend.test \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
plain_port=$(free_port)
tls_port=$(free_port)
/usr/bin/uwsgi --plugin python3 --socket "127.0.0.1:$plain_port" --ssl-socket "127.0.0.1:$tls_port,$work/cert.pem,$work/key.pem" \
  --wsgi-file "$work/hello.py" --processes 2 --master --die-on-term --disable-logging --need-app >"$work/uwsgi.out" 2>&1 &
started+=("$! INT")
for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$tls_port") 2>/dev/null && break; sleep 0.1; done

write_config() { # FILE PORT
  cat >"$1" <<CONF
worker_processes auto;
error_log logs/error.log;
pid logs/server.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$2;
        location /uwsgi-tcp { uwsgi_pass 127.0.0.1:$plain_port; }
        location /suwsgi { uwsgi_pass suwsgi://127.0.0.1:$tls_port; }
    }
}
CONF
}

start() { # NAME CMD...: sets $server_pid/$server_port, or returns 1
  local name=$1; shift
  local prefix="$work/$name"
  mkdir -p "$prefix/conf" "$prefix/logs"
  server_port=$(free_port)
  write_config "$prefix/conf/server.conf" "$server_port"
  local cmd=("$@" -p "$prefix/" -c "$prefix/conf/server.conf" -e "$prefix/logs/error.log")
  [ "$name" = nginxlite ] || cmd+=(-g "daemon off;")
  "${cmd[@]}" >"$prefix/stdout.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  for i in $(seq 100); do
    kill -0 "$server_pid" 2>/dev/null || return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$server_port") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

scenarios=(uwsgi-tcp suwsgi)
declare -A rps p99 notes
for name in nginx nginxlite; do
  if [ "$name" = nginx ]; then cmd=(nginx); else cmd=("$nginxlite_bin"); fi
  if ! start "$name" "${cmd[@]}"; then notes[$name]="cannot serve"; continue; fi
  sleep 0.5
  for label in "${scenarios[@]}"; do
    got=$(curl -s -m 5 "http://127.0.0.1:$server_port/$label" || true)
    if [ "$got" != "Hello, WSGI!" ]; then notes[$name]+="$label answered '$got'; "; continue; fi
    for c in $CONNECTIONS; do
      out=$(timeout 120 wrk -t2 -c"$c" -d"$DURATION" --timeout 5s --latency "http://127.0.0.1:$server_port/$label" 2>&1) || true
      grep -qE 'Non-2xx|Socket errors' <<<"$out" && notes[$name]+="$label c=$c: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' '); "
      rps[$name,$label,$c]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
      p99[$name,$label,$c]=$(awk '$1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : 1; printf "%.2f", v * f}' <<<"$out")
    done
  done
  stop_pid "$server_pid"
done

echo
echo "uwsgi_pass plain TCP vs suwsgi://, wrk -d $DURATION, $(nproc) cores shared; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %5s | %8s %8s | %9s %8s | %9s %8s\n' scenario conns nginx "p99 ms" nginxlite "p99 ms" "req/s l/n" "p99 l/n"
for label in "${scenarios[@]}"; do
  for c in $CONNECTIONS; do
    printf '%-10s %5s | %8s %8s | %9s %8s | %9s %8s\n' "$label" "$c" \
      "$(val "${rps[nginx,$label,$c]:-}")" "$(val "${p99[nginx,$label,$c]:-}")" \
      "$(val "${rps[nginxlite,$label,$c]:-}")" "$(val "${p99[nginxlite,$label,$c]:-}")" \
      "$(ratio "${rps[nginxlite,$label,$c]:-}" "${rps[nginx,$label,$c]:-}")" \
      "$(ratio "${p99[nginxlite,$label,$c]:-}" "${p99[nginx,$label,$c]:-}")"
  done
done
for name in nginx nginxlite; do
  [ -n "${notes[$name]:-}" ] && echo "note ($name): ${notes[$name]}"
done
exit 0
