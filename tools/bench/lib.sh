# Shared by the tools/bench/*.sh scripts (sourced, not run): tool checks, the nginxlite under test, a temp work
# dir whose started processes are stopped by PID on exit, free loopback ports, ratios.

# require_tools SCRIPT TOOL...: exit 1 naming the first missing tool.
require_tools() {
  local name=$1 tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$name: $tool not found (run ./install.sh --test-peers)" >&2; exit 1; }
  done
}

# The nginxlite under test: $NGINXLITE_BIN, else nginxlite on PATH, else the newest build output.
find_nginxlite() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [ -n "${NGINXLITE_BIN:-}" ]; then echo "$NGINXLITE_BIN"; return; fi
  if command -v nginxlite >/dev/null; then command -v nginxlite; return; fi
  ls -t "$root"/src/NginxLite.Cli/bin/{Release,Debug}/net10.0/nginxlite 2>/dev/null | head -n 1
}

# stop_pid PID [SIGNAL]: SIGNAL (default QUIT, nginx's graceful stop), then KILL after 5 s.
stop_pid() {
  local pid=$1 sig=${2:-QUIT} i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# bench_workdir: $work (mode 755: nginx's workers run as nobody) and $started (entries "PID" or "PID SIGNAL", stopped
# last-first on exit with their SIGNAL, else $STOP_SIGNAL, default QUIT).
bench_workdir() {
  work=$(mktemp -d)
  chmod 755 "$work"
  started=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  local i
  local pid sig
  # An entry may name its signal ("PID TERM"): passed whole as one PID, kill -0 failed and the process was left running.
  for ((i=${#started[@]}-1; i>=0; i--)); do
    read -r pid sig <<<"${started[$i]}"
    stop_pid "$pid" "${sig:-${STOP_SIGNAL:-QUIT}}"
  done
  rm -rf "$work"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

val() { local v=${1:-}; [ -n "$v" ] && echo "$v" || echo "n/a"; }

# ratio A B: A/B with two decimals, n/a when either is missing.
ratio() { python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print("n/a")' "${1:-}" "${2:-}"; }

# hello_wsgi: $work/hello.py, the hello-world WSGI app the app benchmarks serve (mode 644: nginx's and the workers'
# accounts read it).
hello_wsgi() {
  cat >"$work/hello.py" <<'PY'
def application(environ, start_response):
    start_response('200 OK', [('Content-Type', 'text/plain')])
    return [b'Hello, WSGI!\n']
PY
  chmod 644 "$work/hello.py"
}

# start_uwsgi_socket: uWSGI, 2 processes and its master, serving hello.py on the uwsgi socket $work/uwsgi.sock (mode
# 666) as nginx's uwsgi_pass peer; its PID in $uwsgi_pid, stopped with INT on exit.
start_uwsgi_socket() {
  /usr/bin/uwsgi --plugin python3 --socket "$work/uwsgi.sock" --chmod-socket=666 --wsgi-file "$work/hello.py" \
    --processes 2 --master --die-on-term --disable-logging --need-app >"$work/uwsgi.out" 2>&1 &
  uwsgi_pid=$!; started+=("$uwsgi_pid INT")
}
