#!/usr/bin/env bash
# CGI, side by side in one run: nginx (worker_processes auto) + fcgiwrap (the usual way to run CGI behind nginx;
# -c FCGIWRAP_CHILDREN preforked children) vs NginxLite's `cgi on;`, both running the scripts as `nobody`, on a
# shell hello and a Python hello, at 1 and 50 connections, measured with wrk (bounded: DURATION each).
# Prints req/s and p99 per side and the ratios nginxlite/fcgiwrap next to issue 7's goal (>= 1.5x req/s, p99 no worse).
#
#   tools/bench/cgi.sh
# Environment: DURATION (wrk -d, default 5s), CONNECTIONS (default "1 50"), FCGIWRAP_CHILDREN (default: nproc),
# CGI_MAX_PROCS (nginxlite's cgi_max_procs; default: the directive's default, 4 per core), PATHS (default both scripts),
# WARMUP (e.g. 3s: an unmeasured wrk run per side and script first; for JIT builds), CGI_PRELOAD=1 (adds a third side in the same run: a second nginxlite server with `cgi_preload python;`, the Python
# fork server; the shell script is spawned there as usual),
# NGINXLITE_BIN ($NGINXLITE_BIN, else nginxlite on PATH, else src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite).
# Needs root (scripts run as nobody), nginx, fcgiwrap, wrk, curl, setpriv. Every process is stopped by its PID.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-1 50}
FCGIWRAP_CHILDREN=${FCGIWRAP_CHILDREN:-$(nproc)}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STOP_SIGNAL=TERM
require_tools cgi.sh nginx wrk curl python3 setpriv /usr/sbin/fcgiwrap
[ "$(id -u)" = 0 ] || { echo "cgi.sh: run as root (the scripts run as nobody)" >&2; exit 1; }

nginxlite_bin=${NGINXLITE_BIN:-$(command -v nginxlite || ls -t "$here"/src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite 2>/dev/null | head -n 1)}
[ -x "$nginxlite_bin" ] || { echo "cgi.sh: no nginxlite executable (set NGINXLITE_BIN)" >&2; exit 1; }

bench_workdir
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
wait_port() { local i; for i in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

mkdir -p "$work/www/cgi-bin" "$work/fcgiwrap" "$work/nginx/logs" "$work/lite/logs"
chown nobody "$work/fcgiwrap"
printf '#!/bin/sh\necho "Content-Type: text/plain"\necho\necho "Hello, shell CGI!"\n' >"$work/www/cgi-bin/hello.sh"
printf '#!/usr/bin/python3\nprint("Content-Type: text/plain")\nprint()\nprint("Hello, Python CGI!")\n' >"$work/www/cgi-bin/hello.py"
chmod 755 "$work/www/cgi-bin/"*

# nginx + fcgiwrap
setpriv --reuid=nobody --regid=nogroup --init-groups -- /usr/sbin/fcgiwrap -c "$FCGIWRAP_CHILDREN" -s "unix:$work/fcgiwrap/sock" \
  >"$work/fcgiwrap/out.log" 2>&1 &
started+=($!)
nginx_port=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
        location /cgi-bin/ {
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME \$document_root\$fastcgi_script_name;
            fastcgi_pass unix:$work/fcgiwrap/sock;
        }
    }
}
CONF
for i in $(seq 100); do [ -S "$work/fcgiwrap/sock" ] && break; sleep 0.1; done
# fcgiwrap -c N forks N children that outlive a stopped master (found left running after a run): stopped first, by PID.
for child in $(pgrep -P "${started[0]}"); do started+=("$child TERM"); done
nginx -p "$work/nginx/" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" -g "daemon off;" >"$work/nginx/out.log" 2>&1 &
started+=($!)
wait_port "$nginx_port" || { echo "cgi.sh: nginx did not start" >&2; cat "$work/nginx/out.log" >&2; exit 1; }

# nginxlite
lite_port=$(free_port)
pre_port=$(free_port)
sides="fcgiwrap:$nginx_port nginxlite:$lite_port"
[ "${CGI_PRELOAD:-0}" = 1 ] && sides+=" preload:$pre_port"
cat >"$work/lite/nginx.conf" <<CONF
events {}
http {
    access_log off;
    server {
        listen 127.0.0.1:$lite_port;
        root $work/www;
        location /cgi-bin/ { cgi on; cgi_user nobody nogroup; ${CGI_MAX_PROCS:+cgi_max_procs $CGI_MAX_PROCS;} }
    }
    server {
        listen 127.0.0.1:$pre_port;
        root $work/www;
        location /cgi-bin/ { cgi on; cgi_user nobody nogroup; cgi_preload python; ${CGI_MAX_PROCS:+cgi_max_procs $CGI_MAX_PROCS;} }
    }
}
CONF
"$nginxlite_bin" -p "$work/lite/" -c "$work/lite/nginx.conf" -e "$work/lite/logs/error.log" >"$work/lite/out.log" 2>&1 &
started+=($!)
wait_port "$lite_port" || { echo "cgi.sh: nginxlite did not start" >&2; cat "$work/lite/out.log" >&2; exit 1; }

# Between runs: wait until no script is left running. fcgiwrap keeps working through its accept backlog after wrk
# stops (42 queued python runs took ~8 s here), for clients long gone; that load would land on the next measurement.
drain() {
  local quiet=0 i
  for i in $(seq 300); do
    if pgrep -f "$work/www/cgi-bin/" >/dev/null; then quiet=0; else quiet=$((quiet + 1)); fi
    [ "$quiet" -ge 3 ] && return 0
    sleep 0.2
  done
  echo "cgi.sh: scripts still running after 60 s" >&2
}

declare -A rps p99
run() { # NAME PORT PATH CONNECTIONS
  local out threads=$(( $4 < 2 ? 1 : 2 ))
  out=$(wrk -t"$threads" -c"$4" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:$2$3" 2>&1) || true
  grep -E 'Non-2xx|Socket errors' <<<"$out" | sed "s|^|   $1 $3 c=$4: |" >&2 || true
  rps[$1,$3,$4]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p99[$1,$3,$4]=$(awk '$1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : 1; printf "%.2f", v * f}' <<<"$out")
  drain
}

read -r -a paths <<<"${PATHS:-/cgi-bin/hello.sh /cgi-bin/hello.py}"
for path in "${paths[@]}"; do
  for side in $sides; do
    name=${side%%:*} port=${side##*:}
    body=$(curl -s "http://127.0.0.1:$port$path")
    case $body in Hello*) ;; *) echo "cgi.sh: $name $path answered: $body" >&2; exit 1 ;; esac
    # A JIT build compiles its hot path during the first seconds (the AOT build install.sh makes does not): WARMUP=3s
    # runs wrk that long first, unmeasured.
    if [ -n "${WARMUP:-}" ]; then wrk -t1 -c1 -d"$WARMUP" "http://127.0.0.1:$port$path" >/dev/null 2>&1 || true; drain; fi
    for c in $CONNECTIONS; do run "$name" "$port" "$path" "$c"; done
  done
done

echo
echo "CGI, wrk -d $DURATION, 127.0.0.1, $(nproc) cores shared by client, servers and scripts; fcgiwrap -c $FCGIWRAP_CHILDREN; cgi_max_procs ${CGI_MAX_PROCS:-default}; load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
printf '%-20s %5s | %12s %9s | %12s %9s | %12s %12s\n' script conns "fcgiwrap r/s" "p99 ms" "lite r/s" "p99 ms" "r/s lite/fw" "p99 lite/fw"
for path in "${paths[@]}"; do
  for c in $CONNECTIONS; do
    printf '%-20s %5s | %12s %9s | %12s %9s | %12s %12s\n' "$path" "$c" \
      "${rps[fcgiwrap,$path,$c]:-n/a}" "${p99[fcgiwrap,$path,$c]:-n/a}" "${rps[nginxlite,$path,$c]:-n/a}" "${p99[nginxlite,$path,$c]:-n/a}" \
      "$(ratio "${rps[nginxlite,$path,$c]:-}" "${rps[fcgiwrap,$path,$c]:-}")" "$(ratio "${p99[nginxlite,$path,$c]:-}" "${p99[fcgiwrap,$path,$c]:-}")"
  done
done
if [ "${CGI_PRELOAD:-0}" = 1 ]; then
  echo "nginxlite with cgi_preload python (same run):"
  printf '%-20s %5s | %12s %9s | %12s %12s | %12s\n' script conns "preload r/s" "p99 ms" "r/s pre/fw" "p99 pre/fw" "r/s pre/lite"
  for path in "${paths[@]}"; do
    for c in $CONNECTIONS; do
      printf '%-20s %5s | %12s %9s | %12s %12s | %12s\n' "$path" "$c" "${rps[preload,$path,$c]:-n/a}" "${p99[preload,$path,$c]:-n/a}" \
        "$(ratio "${rps[preload,$path,$c]:-}" "${rps[fcgiwrap,$path,$c]:-}")" "$(ratio "${p99[preload,$path,$c]:-}" "${p99[fcgiwrap,$path,$c]:-}")" \
        "$(ratio "${rps[preload,$path,$c]:-}" "${rps[nginxlite,$path,$c]:-}")"
    done
  done
fi
echo "goal (issue 7): r/s lite/fw >= 1.5, p99 lite/fw <= 1.0"
