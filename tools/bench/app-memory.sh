#!/usr/bin/env bash
# Worker memory and start-up of a Flask app and of a Rack app with 4 workers (issue 6, lazy_apps): uWSGI (lazy-apps
# false: its default, and true; the python3 and rack_ruby31 plugins) and nginxlite (lazy_apps on: its default, and off:
# one loader imports the app / parses config.ru, the workers are its forks).
#   app-memory.sh [flask|rack|both]      (default both)
# Per setup: the workers' summed RSS and PSS (/proc/PID/smaps_rollup: PSS splits each shared page among the processes
# sharing it, the fair figure with copy-on-write), the master's/loader's PSS, and the time from the launch until all 4
# workers are up and a request through the uwsgi socket is answered. Also the load average, since numbers on a busy
# machine are noisy: compare the setups of one run, not runs.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools app-memory.sh python3 /usr/bin/uwsgi
nginxlite_bin=$(find_nginxlite)
[ -x "$nginxlite_bin" ] || { echo "app-memory.sh: nginxlite binary not found" >&2; exit 1; }
which_apps=${1:-both}
case $which_apps in flask|rack|both) ;; *) echo "usage: app-memory.sh [flask|rack|both]" >&2; exit 2 ;; esac
if [ "$which_apps" != rack ]; then
  python3 -c 'import flask' 2>/dev/null || { echo "app-memory.sh: python3-flask is missing" >&2; exit 1; }
fi
if [ "$which_apps" != flask ]; then
  ruby -e 'require "rack"' 2>/dev/null || { echo "app-memory.sh: ruby-rack is missing" >&2; exit 1; }
  [ -e /usr/lib/uwsgi/plugins/rack_ruby31_plugin.so ] || { echo "app-memory.sh: uwsgi-plugin-rack-ruby3.1 is missing" >&2; exit 1; }
fi

bench_workdir
chmod 755 "$work"
cat >"$work/flaskapp.py" <<'PY'
from flask import Flask
app = Flask(__name__)

@app.route("/")
def index():
    return "Hello, Flask!\n"
PY
# A Rack app with some usual middleware (Rack::Builder, ContentLength, Deflater) and json and erb loaded:
# a little more code than a bare lambda, as a real app would bring.
cat >"$work/config.ru" <<'RU'
require 'json'
require 'erb'
use Rack::ContentLength
use Rack::Deflater
run ->(env) { [200, { 'Content-Type' => 'text/plain' }, ["Hello, Rack!\n"]] }
RU
chmod 644 "$work/flaskapp.py" "$work/config.ru"

kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }
descendants() { # PID: every process below PID
  local c
  for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do echo "$c"; descendants "$c"; done
}
# A request on the uwsgi socket (the same probe for every setup).
probe() { python3 - "$1" <<'PY'
import socket, struct, sys
kv = b"".join(struct.pack("<H", len(k)) + k + struct.pack("<H", len(v)) + v for k, v in
              [(b"REQUEST_METHOD", b"GET"), (b"PATH_INFO", b"/"), (b"SERVER_PROTOCOL", b"HTTP/1.1"),
               (b"SERVER_NAME", b"x"), (b"SERVER_PORT", b"80"), (b"QUERY_STRING", b"")])
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall(struct.pack("<BHB", 0, len(kv), 0) + kv)
sys.exit(0 if s.recv(64).startswith(b"HTTP/1.1 200") else 1)
PY
}
now_ms() { date +%s%3N; }

report() { # NAME ROOT_PID START_MS: workers = the processes that serve (the leaves), top = the rest
  local name=$1 root=$2 all workers rss=0 pss=0 top=0 p
  all=$(descendants "$root")
  workers=$(for p in $all; do [ -z "$(cat /proc/"$p"/task/*/children 2>/dev/null)" ] && echo "$p"; done)
  for p in $workers; do rss=$((rss + $(kib "$p" Rss))); pss=$((pss + $(kib "$p" Pss))); done
  for p in $root $all; do echo "$workers" | grep -qx "$p" || top=$((top + $(kib "$p" Pss))); done
  printf '%-34s %3d %10.1f %10.1f %14.1f %10d\n' "$name" "$(echo "$workers" | wc -w)" "$(echo "$rss/1024" | bc -l)" \
    "$(echo "$pss/1024" | bc -l)" "$(echo "$top/1024" | bc -l)" "$3"
}

wait_up() { # SOCKET PID: ms from now until 4 workers exist below PID and the socket answers
  local i
  for i in $(seq 600); do
    kill -0 "$2" 2>/dev/null || { echo "process $2 exited" >&2; return 1; }
    if [ -S "$1" ] && [ "$(descendants "$2" | while read -r p; do [ -z "$(cat /proc/"$p"/task/*/children 2>/dev/null)" ] && echo "$p"; done | wc -l)" -ge 4 ] \
       && probe "$1" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$1 did not come up" >&2; return 1
}

printf '%-34s %3s %10s %10s %14s %10s\n' setup n rss_MiB pss_MiB master_pss_MiB start_ms
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
run_app() { # flask|rack: the four setups of one app
  local app=$1 lazy pid t i uwsgi_app nginxlite_app
  if [ "$app" = flask ]; then
    uwsgi_app=(--plugin python3 --module flaskapp:app); nginxlite_app='module = flaskapp:app'
  else
    uwsgi_app=(--plugin rack_ruby31 --rack "$work/config.ru"); nginxlite_app='rack = config.ru'
  fi
  for lazy in false true; do
    rm -f "$work/u.sock"
    t0=$(now_ms)
    (cd "$work" && exec /usr/bin/uwsgi "${uwsgi_app[@]}" --master --processes 4 --socket "$work/u.sock" \
      $([ "$lazy" = true ] && echo --lazy-apps) --need-app --disable-logging --die-on-term) >"$work/uwsgi-$app-$lazy.out" 2>&1 &
    pid=$!; started+=("$pid")
    wait_up "$work/u.sock" "$pid" || { cat "$work/uwsgi-$app-$lazy.out" >&2; exit 1; }; t=$(( $(now_ms) - t0 ))
    for i in $(seq 20); do probe "$work/u.sock"; done
    report "$app uwsgi lazy-apps=$lazy" "$pid" "$t"
    stop_pid "$pid" INT
  done
  for lazy in off on; do
    rm -f "$work/n.sock"
    printf '[uwsgi]\n%s\nprocesses = 4\nsocket = n.sock\nlazy-apps = %s\n' "$nginxlite_app" "$([ $lazy = off ] && echo false || echo true)" >"$work/n.ini"
    t0=$(now_ms)
    (cd "$work" && exec "$nginxlite_bin" --ini n.ini) >"$work/nginxlite-$app-$lazy.out" 2>&1 &
    pid=$!; started+=("$pid")
    wait_up "$work/n.sock" "$pid" || { cat "$work/nginxlite-$app-$lazy.out" >&2; exit 1; }; t=$(( $(now_ms) - t0 ))
    for i in $(seq 20); do probe "$work/n.sock"; done
    report "$app nginxlite lazy_apps $lazy" "$pid" "$t"
    stop_pid "$pid" TERM
  done
}

[ "$which_apps" = rack ] || run_app flask
[ "$which_apps" = flask ] || run_app rack
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
