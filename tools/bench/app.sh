#!/usr/bin/env bash
# App serving side by side (issue 6): hello-world WSGI, 2 workers each, wrk at $CONNECTIONS connections for $DURATION:
#   (a) nginx -> uwsgi_pass -> uWSGI (2 processes)   (b) uWSGI --http-socket (2 processes)
#   (c) gunicorn -w 2 (sync)                          (d) nginxlite app_pass (processes 2)
# then the RSS of the nginxlite process (master) with processes 4, its workers' and uWSGI's workers' RSS.
# Goals (issue 6): (d) >= 1.2x (a) req/s, >= 1.0x (b) and (c); p99 <= (a)'s; master RSS <= 96 MiB with 4 workers.
set -euo pipefail

DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools app.sh nginx wrk python3 curl /usr/bin/uwsgi /usr/bin/gunicorn
nginxlite_bin=$(find_nginxlite)
[ -x "$nginxlite_bin" ] || { echo "app.sh: nginxlite binary not found" >&2; exit 1; }

bench_workdir

wait_port() { # PORT PID NAME
  local i
  for i in $(seq 150); do
    kill -0 "$2" 2>/dev/null || { echo "$3 exited" >&2; return 1; }
    if curl -sf "http://127.0.0.1:$1/" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  echo "$3 did not answer on $1" >&2; return 1
}

wait_socket() { # PATH
  local i
  for i in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done
  echo "socket $1 did not appear" >&2; return 1
}

hello_wsgi

declare -A rps p99
run_wrk() { # NAME PORT
  local out errors
  curl -sf "http://127.0.0.1:$2/" >/dev/null || { echo "$1: request failed" >&2; rps[$1]=n/a; p99[$1]=n/a; return; }
  out=$(timeout 120 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$2/")
  rps[$1]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p99[$1]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  [ -z "$errors" ] || echo "  $1: $errors" >&2
}

to_ms() { # wrk latency (123.45us | 1.23ms | 1.02s) -> ms
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; else print "n/a" }'
}

rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo n/a; }
children_rss_mib() { # PID: sum of the direct children's RSS
  local sum=0 c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    sum=$(awk -v s="$sum" '/^VmRSS:/ {print s + $2}' "/proc/$c/status" 2>/dev/null || echo "$sum")
  done
  awk -v s="$sum" 'BEGIN {printf "%.1f", s/1024}'
}
children_pss_mib() { # PID: sum of the direct children's PSS (/proc/PID/smaps_rollup: shared pages split among sharers)
  local sum=0 c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    sum=$(awk -v s="$sum" '/^Pss:/ {print s + $2}' "/proc/$c/smaps_rollup" 2>/dev/null || echo "$sum")
  done
  awk -v s="$sum" 'BEGIN {printf "%.1f", s/1024}'
}

# (a) nginx -> uWSGI
start_uwsgi_socket
wait_socket "$work/uwsgi.sock"
mkdir -p "$work/nginx/logs"
port=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
error_log logs/error.log;
pid logs/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$port; location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$work/uwsgi.sock; } }
}
CONF
nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf" -g "daemon off;" >"$work/nginx.out" 2>&1 &
pid=$!; started+=("$pid")
wait_port "$port" "$pid" nginx
run_wrk nginx_uwsgi "$port"
uwsgi_workers_rss=$(children_rss_mib "$uwsgi_pid")
uwsgi_workers_pss=$(children_pss_mib "$uwsgi_pid")
stop_pid "$pid"; stop_pid "$uwsgi_pid" INT

# (b) uWSGI --http-socket
port=$(free_port)
/usr/bin/uwsgi --plugin python3 --http-socket "127.0.0.1:$port" --wsgi-file "$work/hello.py" \
  --processes 2 --master --die-on-term --disable-logging --need-app >"$work/uwsgi-http.out" 2>&1 &
pid=$!; started+=("$pid")
wait_port "$port" "$pid" uwsgi-http
run_wrk uwsgi_http "$port"
stop_pid "$pid" INT

# (c) gunicorn -w 2
port=$(free_port)
(cd "$work" && exec /usr/bin/gunicorn -w 2 --bind "127.0.0.1:$port" --log-level warning hello:application) >"$work/gunicorn.out" 2>&1 &
pid=$!; started+=("$pid")
wait_port "$port" "$pid" gunicorn
run_wrk gunicorn "$port"
stop_pid "$pid" TERM

# (d) nginxlite app_pass
lite() { # PROCESSES
  mkdir -p "$work/lite/conf" "$work/lite/logs"
  port=$(free_port)
  cat >"$work/lite/conf/server.conf" <<CONF
error_log logs/error.log;
pid logs/nginxlite.pid;
events {}
http {
    access_log off;
    keepalive_requests 100000;
    app hello { module hello; chdir $work; processes $1; }
    server { listen 127.0.0.1:$port; location / { app_pass hello; } }
}
CONF
  "$nginxlite_bin" -p "$work/lite/" -c "$work/lite/conf/server.conf" -e "$work/lite/logs/error.log" >"$work/lite.out" 2>&1 &
  pid=$!; started+=("$pid")
  wait_port "$port" "$pid" nginxlite
}
lite 2
run_wrk nginxlite "$port"
stop_pid "$pid"

lite 4
for i in $(seq 200); do curl -s "http://127.0.0.1:$port/" >/dev/null; done
master_rss=$(rss_mib "$pid")
lite_workers_rss=$(children_rss_mib "$pid")
lite_workers_pss=$(children_pss_mib "$pid")
stop_pid "$pid"

echo
echo "hello WSGI, 2 workers, $CONNECTIONS connections, $DURATION each (nginxlite: $nginxlite_bin)"
printf '%-26s %10s %10s %12s %12s\n' setup req/s p99 rps_vs_d p99_vs_a
for n in nginx_uwsgi uwsgi_http gunicorn nginxlite; do
  r=${rps[$n]}; p=$(to_ms "${p99[$n]}")
  printf '%-26s %10s %8sms %12s %12s\n' "$n" "$r" "$p" "$(ratio "${rps[nginxlite]}" "$r")x" \
    "$(ratio "$p" "$(to_ms "${p99[nginx_uwsgi]}")")x"
done
echo
echo "goals: nginxlite/nginx_uwsgi = $(ratio "${rps[nginxlite]}" "${rps[nginx_uwsgi]}") (>= 1.2), nginxlite/uwsgi_http = $(ratio "${rps[nginxlite]}" "${rps[uwsgi_http]}") (>= 1.0), nginxlite/gunicorn = $(ratio "${rps[nginxlite]}" "${rps[gunicorn]}") (>= 1.0)"
echo "nginxlite master RSS with 4 workers: ${master_rss} MiB (goal <= 96); its 4 workers: ${lite_workers_rss} MiB RSS, ${lite_workers_pss} MiB PSS; uWSGI's 2 workers + master children: ${uwsgi_workers_rss} MiB RSS, ${uwsgi_workers_pss} MiB PSS"
echo "(lazy_apps off vs on, Flask, 4 workers, PSS and start-up: tools/bench/app-memory.sh)"
