#!/usr/bin/env bash
# Static serving, side by side in one run: nginx (worker_processes 1), nginx (worker_processes auto) and
# NginxLite, each serving the same config on a free 127.0.0.1 port, one server at a time, measured with wrk.
# Scenarios: `return 200 "hello"`, a 1 KiB file, a 1 MiB file, each at 1 and 50 connections.
# Prints req/s and p99 latency per server, peak RSS (VmHWM summed over the server's processes), and the
# NginxLite/nginx(auto) ratios next to the goals of issue 3.
#
#   tools/bench/static.sh
# Environment: DURATION (wrk -d, default 5s), CONNECTIONS (default "1 50"), NGINXLITE_BIN (see below).
# Needs: nginx and wrk (./install.sh --test-peers), curl. nginxlite is found like the interop tests find it:
# $NGINXLITE_BIN, else nginxlite on PATH (./install.sh), else src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite.
# Every server is started in the foreground and stopped by its PID (SIGQUIT, SIGKILL after 5 s).
# When nginxlite cannot serve (yet), its columns say n/a and the reason is printed; the nginx rows still run.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-1 50}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools static.sh nginx wrk curl python3

nginxlite_bin=$(find_nginxlite)

bench_workdir

mkdir -m 755 -p "$work/www"
printf 'x%.0s' $(seq 1024) >"$work/www/1k.txt"
head -c 1048576 /dev/urandom >"$work/www/1m.bin"
chmod 644 "$work"/www/*


write_config() { # FILE PORT; worker_processes $workers
  cat >"$1" <<CONF
worker_processes $workers;
error_log logs/error.log;
pid logs/server.pid;
events { worker_connections 1024; }
http {
    include $here/conf/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$2;
        root $work/www;
        location = /hello { return 200 "hello"; }
        location / { }
    }
}
CONF
}

# Peak RSS in KiB: VmHWM of the server process plus its children (nginx's workers).
peak_rss() {
  local pid=$1 total=0 p v
  for p in "$pid" $(pgrep -P "$pid" || true); do
    v=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
current_rss() {
  local pid=$1 total=0 p v
  for p in "$pid" $(pgrep -P "$pid" || true); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

scenarios=("hello:/hello:5" "1KiB:/1k.txt:1024" "1MiB:/1m.bin:1048576")
declare -A rps p99 rss_idle rss_peak notes

# bench NAME: every scenario x connection count against the running server ($server_port).
bench() {
  local name=$1 s label path size c
  for s in "${scenarios[@]}"; do
    IFS=: read -r label path size <<<"$s"
    local got
    got=$(curl -s -o /dev/null -w '%{http_code} %{size_download}' "http://127.0.0.1:$server_port$path" || echo "000 0")
    if [ "$got" != "200 $size" ]; then
      notes[$name]+="$label answered '$got' (want '200 $size'); "
      for c in $CONNECTIONS; do rps[$name,$label,$c]=err; p99[$name,$label,$c]=err; done
      continue
    fi
    for c in $CONNECTIONS; do
      wrk_measure 0 "$c" "http://127.0.0.1:$server_port$path"
      [ -z "$wrk_errors" ] || notes[$name]+="$label c=$c: $wrk_errors; "
      rps[$name,$label,$c]=$wrk_rps
      p99[$name,$label,$c]=$wrk_p99
      [ -n "${rps[$name,$label,$c]}" ] || rps[$name,$label,$c]=err
      [ -n "${p99[$name,$label,$c]}" ] || p99[$name,$label,$c]=err
    done
  done
}

servers=(nginx-1 nginx-auto nginxlite)
for name in "${servers[@]}"; do
  case $name in
    nginx-1) cmd=(nginx); workers=1 ;;
    nginx-auto) cmd=(nginx); workers=auto ;;
    nginxlite)
      if [ -z "$nginxlite_bin" ] || [ ! -x "$nginxlite_bin" ]; then
        notes[$name]="no nginxlite executable (set NGINXLITE_BIN, run ./install.sh, or build src/NginxLite.Cli)"
        continue
      fi
      cmd=("$nginxlite_bin"); workers=auto ;;
  esac
  echo "== $name: ${cmd[*]} (worker_processes $workers)" >&2
  if ! start_server "$name" "${cmd[@]}"; then
    notes[$name]="cannot serve yet: $server_error"
    echo "   $name ${notes[$name]}" >&2
    continue
  fi
  sleep 0.5
  rss_idle[$name]=$(current_rss "$server_pid")
  bench "$name"
  rss_peak[$name]=$(peak_rss "$server_pid")
  stop_pid "$server_pid"
done


echo
echo "static serving, wrk -d $DURATION, 127.0.0.1, $(nproc) cores shared by client and servers"
printf '%-8s %5s | %10s %9s | %10s %9s | %10s %9s | %10s %10s\n' \
  scenario conns "nginx-1" "p99 ms" "nginx-auto" "p99 ms" nginxlite "p99 ms" "req/s lite/auto" "p99 lite/auto"
for s in "${scenarios[@]}"; do
  IFS=: read -r label _ _ <<<"$s"
  for c in $CONNECTIONS; do
    printf '%-8s %5s | %10s %9s | %10s %9s | %10s %9s | %10s %10s\n' "$label" "$c" \
      "$(val "${rps[nginx-1,$label,$c]:-}")" "$(val "${p99[nginx-1,$label,$c]:-}")" \
      "$(val "${rps[nginx-auto,$label,$c]:-}")" "$(val "${p99[nginx-auto,$label,$c]:-}")" \
      "$(val "${rps[nginxlite,$label,$c]:-}")" "$(val "${p99[nginxlite,$label,$c]:-}")" \
      "$(ratio "${rps[nginxlite,$label,$c]:-}" "${rps[nginx-auto,$label,$c]:-}")" \
      "$(ratio "${p99[nginxlite,$label,$c]:-}" "${p99[nginx-auto,$label,$c]:-}")"
  done
done
echo
printf '%-10s %14s %14s\n' server "idle RSS KiB" "peak RSS KiB"
for name in "${servers[@]}"; do
  printf '%-10s %14s %14s\n' "$name" "$(val "${rss_idle[$name]:-}")" "$(val "${rss_peak[$name]:-}")"
done
echo "peak RSS ratio nginxlite/nginx-auto: $(ratio "${rss_peak[nginxlite]:-}" "${rss_peak[nginx-auto]:-}")"
echo "goals (issue 3): req/s lite/auto >= 1.0 for hello and 1KiB at 50 conns, p99 <= 1.5x; 1MiB >= 0.9x;"
echo "                 idle RSS <= 65536 KiB, peak <= 131072 KiB under the 50-connection load"
for name in "${servers[@]}"; do
  [ -z "${notes[$name]:-}" ] || echo "note: $name: ${notes[$name]}"
done
