#!/usr/bin/env bash
# CPU µs and context switches per request of the front server, for app_pass, uwsgi_pass (uWSGI, 2 processes) and
# proxy_pass (keepalive 32 to an nginx on a Unix socket): nginx (master + workers) and two nginxlite binaries A and B
# (their own process; app workers not counted), wrk -c50 -d$D, $ROUNDS rounds interleaved. Per-request CPU and
# context switches move far less than req/s when other jobs load the 2 cores (docs/benchmarks/scheduling.md).
#   tools/bench/upstream-cpu.sh /usr/local/nginxlite/nginxlite src/NginxLite.Cli/bin/Release/net10.0/nginxlite
# Every process is started here and stopped by its PID (lib.sh).
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
A=$1; B=$2; ROUNDS=${ROUNDS:-2}; D=${D:-4s}
bench_workdir
hello_wsgi
# backends: uWSGI 2 procs, nginx http on unix socket
start_uwsgi_socket
mkdir -p "$work/be/logs"
cat >"$work/be/be.conf" <<CONF
worker_processes 1; error_log logs/error.log; pid logs/be.pid; events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000; server { listen unix:$work/http.sock; location / { return 200 "hello"; } } }
CONF
nginx -p "$work/be/" -c "$work/be/be.conf" -g "daemon off;" >/dev/null 2>&1 & started+=("$!")
sleep 1; chmod 666 "$work/http.sock" "$work/uwsgi.sock"
conf() { # NAME PORT ISLITE
  local app="" loc=""
  if [ "$3" = 1 ]; then app="app hello { module hello; chdir $work; processes 2; }"; loc="location /app { app_pass hello; }"; fi
  mkdir -p "$work/$1/conf" "$work/$1/logs"
  cat >"$work/$1/conf/s.conf" <<CONF
worker_processes auto; error_log logs/error.log; pid logs/s.pid; events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000; $app
  upstream backend { server unix:$work/http.sock; keepalive 32; }
  server { listen 127.0.0.1:$2;
    location /uwsgi { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$work/uwsgi.sock; }
    location /proxy { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }
    $loc } }
CONF
}
declare -A port pid
pn=$(free_port); conf nginx $pn 0
nginx -p "$work/nginx/" -c "$work/nginx/conf/s.conf" -g "daemon off;" >/dev/null 2>&1 & pid[nginx]=$!; started+=("$!"); port[nginx]=$pn
for n in A B; do
  p=$(free_port); conf $n $p 1; bin=${!n}
  "$bin" -p "$work/$n/" -c "$work/$n/conf/s.conf" -e "$work/$n/logs/error.log" >/dev/null 2>&1 & pid[$n]=$!; started+=("$!"); port[$n]=$p
done
sleep 3
for n in nginx A B; do curl -s -o /dev/null -w "$n %{http_code}\n" "http://127.0.0.1:${port[$n]}/uwsgi"; done
ticks() { # PID: utime+stime of the process and its children processes (nginx workers)
  local t=0 p
  for p in $1 $(cat /proc/$1/task/*/children 2>/dev/null); do
    [ "$2" = lite ] && [ "$p" != "$1" ] && continue
    t=$((t + $(awk '{print $14+$15}' /proc/$p/stat)))
  done; echo $t; }
cs() { local c=0 p
  for p in $1 $(cat /proc/$1/task/*/children 2>/dev/null); do
    [ "$2" = lite ] && [ "$p" != "$1" ] && continue
    c=$((c + $(cat /proc/$p/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s+=$2} END {print s+0}')))
  done; echo $c; }
printf '%-6s %-3s %-7s %9s %9s %10s %8s\n' path rnd server req/s p99 us_cpu/req cs/req
for r in $(seq $ROUNDS); do for path in /app /uwsgi /proxy; do for n in nginx A B; do
  [ $n = nginx ] && [ $path = /app ] && continue
  kind=lite; [ $n = nginx ] && kind=nginx
  t0=$(ticks ${pid[$n]} $kind); c0=$(cs ${pid[$n]} $kind)
  out=$(wrk -t2 -c50 -d$D --latency "http://127.0.0.1:${port[$n]}$path")
  t1=$(ticks ${pid[$n]} $kind); c1=$(cs ${pid[$n]} $kind)
  reqs=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out"); p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-6s %-3s %-7s %9s %9s %10.1f %8.2f\n' $path $r $n $rps $p99 $(awk -v t=$((t1-t0)) -v q=$reqs 'BEGIN{print t*10000/q}') $(awk -v c=$((c1-c0)) -v q=$reqs 'BEGIN{print c/q}')
done; done; done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
