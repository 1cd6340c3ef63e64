#!/usr/bin/env bash
# FastCGI and uwsgi upstreams, side by side in one run: nginx (worker_processes auto) and NginxLite in front of the
# same backends, one server at a time, measured with wrk (50 connections by default):
#   fastcgi_pass to php-fpm (static pool, hello.php), fastcgi_pass to a C libfcgi responder (built with gcc into the
#   temp dir), uwsgi_pass to uWSGI (python3 plugin, 2 processes, a hello WSGI app). All on Unix sockets.
# Prints req/s and p99 per server and NginxLite/nginx ratios (goal of issue 4: req/s >= 1.0x, p99 <= 1.5x).
#
#   tools/bench/upstream-fastcgi.sh            (tools/bench/upstream.sh may call it as its FastCGI/uwsgi section)
# Environment: DURATION (wrk -d, default 5s), CONNECTIONS (default 50), NGINXLITE_BIN (else nginxlite on PATH,
# else the newest src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite).
# Every process is started in the foreground and stopped by its PID; every wrk run is bounded by DURATION.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-50}
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools upstream-fastcgi.sh nginx wrk gcc python3 /usr/sbin/php-fpm8.2 /usr/bin/uwsgi
[ -e /usr/include/fcgiapp.h ] || { echo "upstream-fastcgi.sh: libfcgi-dev not installed" >&2; exit 1; }

nginxlite_bin=$(find_nginxlite)

bench_workdir

wait_socket() { # PATH
  local i
  for i in $(seq 100); do [ -S "$1" ] && return 0; sleep 0.1; done
  echo "socket $1 did not appear" >&2; return 1
}

# --- backends -------------------------------------------------------------------------------------------------
mkdir -m 755 -p "$work/www"
echo '<?php echo "Hello, PHP!\n";' >"$work/www/hello.php"
chmod 644 "$work/www/hello.php"
cat >"$work/fpm.conf" <<CONF
[global]
pid = $work/fpm.pid
error_log = $work/fpm.log
daemonize = no
[www]
listen = $work/php.sock
listen.mode = 0666
pm = static
pm.max_children = 4
clear_env = yes
CONF
/usr/sbin/php-fpm8.2 -F -R -y "$work/fpm.conf" >"$work/fpm.out" 2>&1 &
started+=("$! QUIT")
wait_socket "$work/php.sock"

cat >"$work/responder.c" <<'C'
#include <fcgiapp.h>
#include <sys/stat.h>
int main(int argc, char **argv) {
    FCGX_Init();
    int fd = FCGX_OpenSocket(argv[1], 1024);
    chmod(argv[1], 0666);
    FCGX_Request r;
    FCGX_InitRequest(&r, fd, 0);
    while (FCGX_Accept_r(&r) == 0) {
        FCGX_FPrintF(r.out, "Content-Type: text/plain\r\n\r\nHello, libfcgi!\n");
        FCGX_Finish_r(&r);
    }
    return 0;
}
C
gcc -O2 -o "$work/responder" "$work/responder.c" -lfcgi
"$work/responder" "$work/libfcgi.sock" &
started+=("$! TERM")
wait_socket "$work/libfcgi.sock"

cat >"$work/hello_wsgi.py" <<'PY'
def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello, WSGI!\n']
PY
/usr/bin/uwsgi --plugin python3 --socket "$work/uwsgi.sock" --chmod-socket=666 --wsgi-file "$work/hello_wsgi.py" \
  --processes 2 --master --die-on-term --disable-logging --need-app >"$work/uwsgi.out" 2>&1 &
started+=("$! INT")
wait_socket "$work/uwsgi.sock"

# --- servers --------------------------------------------------------------------------------------------------

write_config() { # FILE PORT
  cat >"$1" <<CONF
worker_processes auto;
error_log logs/error.log;
pid logs/server.pid;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$2;
        root $work/www;
        location = /php { fastcgi_pass unix:$work/php.sock; include $here/conf/fastcgi_params;
                          fastcgi_param SCRIPT_FILENAME $work/www/hello.php; }
        location = /libfcgi { fastcgi_pass unix:$work/libfcgi.sock; include $here/conf/fastcgi_params; }
        location = /uwsgi { uwsgi_pass unix:$work/uwsgi.sock; include $here/conf/uwsgi_params; }
    }
}
CONF
}

start() { # NAME CMD...: start_server, saying on stderr why it could not serve
  start_server "$@" || { echo "$1 $server_error" >&2; return 1; }
}

declare -A rps p99
run_wrk() { # NAME PATH
  local out
  curl -sf "http://127.0.0.1:$server_port$2" >/dev/null || { echo "$1 $2: request failed" >&2; rps[$1,$2]=n/a; p99[$1,$2]=n/a; return; }
  out=$(timeout 120 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$server_port$2")
  rps[$1,$2]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  p99[$1,$2]=$(awk '$1 == "99%" {print $2}' <<<"$out")
  local errors; errors=$(grep -E "Non-2xx|Socket errors" <<<"$out" || true)
  [ -z "$errors" ] || echo "  $1 $2: $errors" >&2
}

to_ms() { # wrk latency (123.45us | 1.23ms | 1.02s) -> ms
  awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v/1000; else if (v ~ /ms$/) printf "%.3f", v+0; else if (v ~ /s$/) printf "%.3f", v*1000; else print "n/a" }'
}

paths=(/php /libfcgi /uwsgi)
for name in nginx nginxlite; do
  if [ "$name" = nginx ]; then start nginx nginx; else
    [ -x "$nginxlite_bin" ] || { echo "nginxlite binary not found" >&2; exit 1; }
    start nginxlite "$nginxlite_bin"
  fi
  for p in "${paths[@]}"; do run_wrk "$name" "$p"; done
  stop_pid "$server_pid"
done

echo
echo "upstreams, $CONNECTIONS connections, $DURATION each (nginx: worker_processes auto; nginxlite: $nginxlite_bin)"
printf '%-10s %12s %10s %12s %10s %10s %10s\n' path nginx_rps nginx_p99 lite_rps lite_p99 rps_ratio p99_ratio
for p in "${paths[@]}"; do
  n=${rps[nginx,$p]}; l=${rps[nginxlite,$p]}
  np=$(to_ms "${p99[nginx,$p]}"); lp=$(to_ms "${p99[nginxlite,$p]}")
  ratio=$(awk -v a="$l" -v b="$n" 'BEGIN { if (b+0 > 0 && a+0 > 0) printf "%.2fx", a/b; else print "n/a" }')
  pratio=$(awk -v a="$lp" -v b="$np" 'BEGIN { if (b+0 > 0 && a+0 > 0) printf "%.2fx", a/b; else print "n/a" }')
  printf '%-10s %12s %9sms %12s %9sms %10s %10s\n' "$p" "$n" "$np" "$l" "$lp" "$ratio" "$pratio"
done
