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

# start_server NAME CMD...: writes $work/NAME/conf/server.conf with the script's `write_config FILE PORT` on a free
# port, starts CMD on it in the foreground (nginx with daemon off; nginxlite stays in the foreground by itself), and
# sets $server_pid and $server_port; or returns 1 with $server_error when it exits or does not accept connections
# within 10 s. The PID goes to $started, so an early exit of the script stops it too.
start_server() {
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
  local i rc
  for i in $(seq 100); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      wait "$server_pid" && rc=0 || rc=$?
      server_error="exited with code $rc: $(head -n 3 "$prefix/stdout.log" | tr '\n' ' ')"
      return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$server_port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  server_error="did not accept connections on 127.0.0.1:$server_port within 10 s"
  stop_pid "$server_pid"
  return 1
}

# wrk_measure BOUND C URL [WRK OPTION...]: wrk --latency for $DURATION at C connections (one thread at 1 connection,
# else two: wrk wants no more threads than connections), killed after BOUND seconds (0: no bound). Sets $wrk_rps
# (req/s, whole), $wrk_p99 (99th percentile latency in ms, two decimals; both empty when wrk printed none) and
# $wrk_errors (its Non-2xx and Socket errors lines on one line, empty when there were none).
wrk_measure() {
  local bound=$1 c=$2 url=$3 out
  shift 3
  out=$(timeout "$bound" wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"$DURATION" "$@" --latency "$url" 2>&1) || true
  wrk_errors=$(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)
  wrk_rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' <<<"$out")
  wrk_p99=$(awk '$1 == "99%" {v=$2; u=v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.2f", v * f}' <<<"$out")
}

# print_rps_p99_table FORMAT LABEL...: the nginx vs nginxlite table of the upstream scripts, one row per LABEL and
# connection count in $CONNECTIONS, from the script's rps and p99 arrays (keyed SERVER,LABEL,C). FORMAT has eight %s:
# label, connections, nginx req/s and p99, nginxlite req/s and p99, the two NginxLite/nginx ratios.
print_rps_p99_table() {
  local format=$1 label c
  shift
  # shellcheck disable=SC2059 # the format is the caller's
  printf "$format" scenario conns nginx "p99 ms" nginxlite "p99 ms" "req/s l/n" "p99 l/n"
  for label in "$@"; do
    for c in $CONNECTIONS; do
      # shellcheck disable=SC2059
      printf "$format" "$label" "$c" \
        "$(val "${rps[nginx,$label,$c]:-}")" "$(val "${p99[nginx,$label,$c]:-}")" \
        "$(val "${rps[nginxlite,$label,$c]:-}")" "$(val "${p99[nginxlite,$label,$c]:-}")" \
        "$(ratio "${rps[nginxlite,$label,$c]:-}" "${rps[nginx,$label,$c]:-}")" \
        "$(ratio "${p99[nginxlite,$label,$c]:-}" "${p99[nginx,$label,$c]:-}")"
    done
  done
}
