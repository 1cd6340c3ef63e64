#!/usr/bin/env bash
# Where the CPU of one app request goes (issue 6's speed goal): hello-world WSGI, 2 workers, wrk -c50 for $D, as
# (a) nginx -> uwsgi_pass -> uWSGI and (d) nginxlite app_pass. Per request: µs of CPU of the front (nginx master +
# workers / the nginxlite process), the app workers (uWSGI master + workers / nginxlite's worker processes), wrk, and
# their sum. On 2 cores the sum bounds req/s: 2,000,000 µs / sum. The row "const" is nginxlite answering the same body
# itself (return 200): the front's floor, what Kestrel and the router cost with no app behind them. Every process is started here and stopped by its PID.
#   tools/bench/app-cpu.sh            (nginxlite: $NGINXLITE_BIN, else nginxlite on PATH)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools app-cpu.sh nginx wrk python3 curl /usr/bin/uwsgi /usr/bin/time
nginxlite_bin=$(find_nginxlite)
D=${D:-8s}; ROUNDS=${ROUNDS:-2}
bench_workdir
hello_wsgi
start_uwsgi_socket
declare -A port front back
mkdir -p "$work/nginx/logs" "$work/lite/logs" "$work/lite/conf"
port[nginx]=$(free_port)
cat >"$work/nginx/n.conf" <<CONF
worker_processes 1; error_log logs/error.log; pid logs/n.pid; events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000;
  server { listen 127.0.0.1:${port[nginx]}; location / { include /etc/nginx/uwsgi_params; uwsgi_pass unix:$work/uwsgi.sock; } } }
CONF
nginx -p "$work/nginx/" -c "$work/nginx/n.conf" -g "daemon off;" >/dev/null 2>&1 & front[nginx]=$!; started+=("$!")
port[lite]=$(free_port)
cat >"$work/lite/conf/s.conf" <<CONF
worker_processes auto; error_log logs/error.log; pid logs/s.pid; events { worker_connections 4096; }
http { access_log off; keepalive_requests 100000; app hello { module hello; chdir $work; processes 2; }
  server { listen 127.0.0.1:${port[lite]}; location / { app_pass hello; } location = /const { return 200 "Hello, WSGI!\n"; } } }
CONF
"$nginxlite_bin" -p "$work/lite/" -c "$work/lite/conf/s.conf" -e "$work/lite/logs/error.log" >/dev/null 2>&1 &
front[lite]=$!; started+=("$!")
back[nginx]=$uwsgi_pid; back[lite]=${front[lite]}; front[const]=${front[lite]}; back[const]=${front[lite]}; port[const]=${port[lite]}
sleep 3
for n in nginx lite; do curl -s -o /dev/null -w "$n %{http_code}\n" "http://127.0.0.1:${port[$n]}/"; done
tree() { # PID [children-only]: utime+stime ticks of the process (unless children-only) and its child processes
  local t=0 p
  [ "${2:-}" = children ] || t=$(awk '{print $14+$15}' /proc/$1/stat)
  for p in $(cat /proc/$1/task/*/children 2>/dev/null); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done
  echo $t; }
hz=$(getconf CLK_TCK)
printf '%-6s %-3s %8s %9s %9s %9s %9s %9s\n' setup rnd req/s front_us app_us wrk_us sum_us bound_rps
for r in $(seq "$ROUNDS"); do for n in nginx lite const; do
  path=/; [ $n = const ] && path=/const
  # nginx: front = master + its worker; app = uWSGI master + workers. nginxlite: front = its own process; app = its
  # children (the Python workers).
  f0=$( [ $n = nginx ] && tree ${front[$n]} || awk '{print $14+$15}' /proc/${front[$n]}/stat )
  b0=$( [ $n = nginx ] && tree ${back[$n]} || tree ${back[$n]} children )
  out=$( { /usr/bin/time -f "WRKCPU %U %S" timeout 60 wrk -t2 -c50 -d"$D" "http://127.0.0.1:${port[$n]}$path"; } 2>&1 )
  f1=$( [ $n = nginx ] && tree ${front[$n]} || awk '{print $14+$15}' /proc/${front[$n]}/stat )
  b1=$( [ $n = nginx ] && tree ${back[$n]} || tree ${back[$n]} children )
  reqs=$(awk '/requests in/ {print $1}' <<<"$out"); rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  wrk=$(awk '/^WRKCPU/ {print $2+$3}' <<<"$out")
  awk -v n=$n -v r=$r -v rps=$rps -v q=$reqs -v f=$((f1-f0)) -v b=$((b1-b0)) -v w=$wrk -v hz=$hz 'BEGIN {
    fu=f*1e6/hz/q; bu=b*1e6/hz/q; wu=w*1e6/q; s=fu+bu+wu
    printf "%-6s %-3s %8d %9.1f %9.1f %9.1f %9.1f %9.0f\n", n, r, rps, fu, bu, wu, s, 2e6/s }'
done; done
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
