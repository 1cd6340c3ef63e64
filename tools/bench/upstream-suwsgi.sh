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

scenarios=(uwsgi-tcp suwsgi)
declare -A rps p99 notes
for name in nginx nginxlite; do
  if [ "$name" = nginx ]; then cmd=(nginx); else cmd=("$nginxlite_bin"); fi
  if ! start_server "$name" "${cmd[@]}"; then notes[$name]="cannot serve: $server_error"; continue; fi
  sleep 0.5
  for label in "${scenarios[@]}"; do
    got=$(curl -s -m 5 "http://127.0.0.1:$server_port/$label" || true)
    if [ "$got" != "Hello, WSGI!" ]; then notes[$name]+="$label answered '$got'; "; continue; fi
    for c in $CONNECTIONS; do
      wrk_measure 120 "$c" "http://127.0.0.1:$server_port/$label" --timeout 5s
      [ -z "$wrk_errors" ] || notes[$name]+="$label c=$c: $wrk_errors; "
      rps[$name,$label,$c]=$wrk_rps
      p99[$name,$label,$c]=$wrk_p99
    done
  done
  stop_pid "$server_pid"
done

echo
echo "uwsgi_pass plain TCP vs suwsgi://, wrk -d $DURATION, $(nproc) cores shared; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
print_rps_p99_table '%-10s %5s | %8s %8s | %9s %8s | %9s %8s\n' "${scenarios[@]}"
for name in nginx nginxlite; do
  [ -n "${notes[$name]:-}" ] && echo "note ($name): ${notes[$name]}"
done
exit 0
