# Issue 8 item 4, "faults under load": one run.sh row each (sourced by run.sh, not run). Every row is bounded in
# time, binds 127.0.0.1 only, and every process it starts is recorded in $fault_pids and stopped by its PID
# (faults_cleanup, run from run.sh's EXIT trap). Failed requests are what wrk reports: non-2xx/3xx responses plus
# socket errors (connect, read, write, timeout).
#
# Needs: $nginxlite, $work, add_row, fail_case (run.sh); stop_pid, free_port (tools/bench/lib.sh); wrk, curl.

FAULT_CONNECTIONS=${FAULT_CONNECTIONS:-50}
FAULT_SECONDS=${FAULT_SECONDS:-10}
fault_pids=()
fault_mounts=()

faults_cleanup() {
  local i m
  for ((i=${#fault_pids[@]}-1; i>=0; i--)); do
    stop_pid "${fault_pids[$i]}" TERM   # nginx: fast shutdown (its app workers stopped with it); KILL after 5 s
    wait "${fault_pids[$i]}" 2>/dev/null || true   # reaped quietly (no "Killed" job notice)
  done
  for m in "${fault_mounts[@]}"; do umount "$m" 2>/dev/null || true; done
}

# fault_server NAME CONF_BODY: a prefix dir $work/NAME with conf/nginx.conf holding CONF_BODY, nginxlite started on
# it (pid in $srv_pid, port in $srv_port, prefix in $srv_dir). CONF_BODY may use @PORT@ and @DIR@.
fault_server() {
  local name=$1 body=$2 i
  srv_dir=$work/$name
  srv_port=$(free_port)
  mkdir -p "$srv_dir/conf" "$srv_dir/logs" "$srv_dir/www"
  echo "hello" >"$srv_dir/www/index.html"
  body=${body//@PORT@/$srv_port}
  body=${body//@DIR@/$srv_dir}
  printf '%s\n' "$body" >"$srv_dir/conf/nginx.conf"
  "$nginxlite" -p "$srv_dir/" -c "$srv_dir/conf/nginx.conf" -e "$srv_dir/logs/error.log" >"$srv_dir/out.log" 2>&1 &
  srv_pid=$!
  fault_pids+=("$srv_pid")
  for i in $(seq 100); do
    curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$srv_port/" 2>/dev/null && return 0
    kill -0 "$srv_pid" 2>/dev/null || break
    sleep 0.2
  done
  echo "faults: nginxlite ($name) did not start; $srv_dir/logs/error.log:" >&2
  tail -n 5 "$srv_dir/logs/error.log" "$srv_dir/out.log" >&2 || true
  return 1
}

# wrk_failures FILE: non-2xx/3xx responses + socket errors in a wrk report.
wrk_failures() {
  python3 - "$1" <<'EOF'
import re, sys
t = open(sys.argv[1]).read()
n = 0
m = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
if m: n += int(m.group(1))
m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", t)
if m: n += sum(int(x) for x in m.groups())
if not re.search(r"requests in", t): n += 1000000   # wrk did not run at all
print(n)
EOF
}
wrk_requests() { sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' "$1"; }

# fault_wrk OUT SECONDS URL: wrk in the background (pid in $wrk_pid).
fault_wrk() {
  wrk -t 2 -c "$FAULT_CONNECTIONS" -d "$2s" --timeout 5s "$3" >"$1" 2>&1 &
  wrk_pid=$!
  fault_pids+=("$wrk_pid")
}

alive() { curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$1${2:-/}" 2>/dev/null; }

# Row: SIGHUP 20 times a second, every other one with a config that fails to load, under wrk.
row_fault_reload_storm() {
  local valid invalid out=$work/reload.wrk sent=0 failed i end
  fault_server reload 'events {}
http {
    server {
        listen 127.0.0.1:@PORT@;
        root @DIR@/www;
    }
}' || { add_row "fault: reload storm (HUP 20/s)" 0 1; return; }
  valid=$srv_dir/conf/valid.conf
  invalid=$srv_dir/conf/invalid.conf
  cp "$srv_dir/conf/nginx.conf" "$valid"
  sed 's/root /no_such_directive /' "$valid" >"$invalid"
  fault_wrk "$out" "$FAULT_SECONDS" "http://127.0.0.1:$srv_port/index.html"
  sleep 0.5
  # 20 a second without a fork per HUP (bash builtins only: $EPOCHREALTIME, printf >, read -t on a silent pipe).
  local vtext itext fd next now
  vtext=$(<"$valid"); itext=$(<"$invalid")
  exec {fd}<> <(:)
  now=${EPOCHREALTIME/./}
  next=$now
  end=$(( now + (FAULT_SECONDS - 1) * 1000000 ))
  i=0
  while [ "$now" -lt "$end" ]; do
    if (( i % 2 )); then printf '%s\n' "$itext" >"$srv_dir/conf/nginx.conf"; else printf '%s\n' "$vtext" >"$srv_dir/conf/nginx.conf"; fi
    kill -HUP "$srv_pid" 2>/dev/null || break
    sent=$((sent + 1)); i=$((i + 1))
    next=$((next + 50000))
    now=${EPOCHREALTIME/./}
    if [ "$next" -gt "$now" ]; then read -r -t "0.$(printf '%06d' $((next - now)))" -u "$fd" || true; fi
    now=${EPOCHREALTIME/./}
  done
  exec {fd}<&-
  cp "$valid" "$srv_dir/conf/nginx.conf"
  wait "$wrk_pid" || true
  failed=$(wrk_failures "$out")
  echo "  reload storm: $(wrk_requests "$out") requests, $failed failed, $sent HUPs;" \
    "error-log lines naming the invalid directive: $(grep -c no_such_directive "$srv_dir/logs/error.log" || true)" >&2
  kill -HUP "$srv_pid" 2>/dev/null || true; sleep 0.5
  if ! alive "$srv_port"; then failed=$((failed + 1)); fail_case "fault-reload" "server not answering after the storm"; fi
  [ "$failed" -eq 0 ] || fail_case "fault-reload" "$failed failed requests (see $out)"
  add_row "fault: reload storm (HUP 20/s)" "$sent" "$failed"
  stop_pid "$srv_pid"
}

# fault_backend PORT DIR: python3 http.server on 127.0.0.1:PORT serving DIR (pid in $be_pid).
fault_backend() {
  python3 -m http.server --bind 127.0.0.1 --directory "$2" "$1" >/dev/null 2>&1 &
  be_pid=$!
  fault_pids+=("$be_pid")
  local i
  for i in $(seq 50); do alive "$1" /index.html && return 0; sleep 0.1; done
  return 1
}

# Row: one backend of a two-backend upstream kill -9'd mid-run, restarted on the same port later.
row_fault_upstream_kill() {
  local p1 p2 b1 b2 out=$work/upstream.wrk failed beyond
  p1=$(free_port); p2=$(free_port)
  mkdir -p "$work/be"; echo "backend" >"$work/be/index.html"
  fault_backend "$p1" "$work/be"; b1=$be_pid
  fault_backend "$p2" "$work/be"; b2=$be_pid
  fault_server upstream "events {}
http {
    upstream backends {
        server 127.0.0.1:$p1 max_fails=1 fail_timeout=2s;
        server 127.0.0.1:$p2 max_fails=1 fail_timeout=2s;
    }
    server {
        listen 127.0.0.1:@PORT@;
        location / { proxy_pass http://backends; }
    }
}" || { add_row "fault: upstream kill -9 + restart" 0 1; return; }
  fault_wrk "$out" "$FAULT_SECONDS" "http://127.0.0.1:$srv_port/index.html"
  sleep $((FAULT_SECONDS / 3))
  kill -KILL "$b1"; wait "$b1" 2>/dev/null || true
  sleep $((FAULT_SECONDS / 3))
  fault_backend "$p1" "$work/be"; b1=$be_pid
  wait "$wrk_pid" || true
  failed=$(wrk_failures "$out")
  beyond=$(( failed > FAULT_CONNECTIONS ? failed - FAULT_CONNECTIONS : 0 ))
  echo "  upstream kill: $(wrk_requests "$out") requests, $failed failed (allowed $FAULT_CONNECTIONS in flight)" >&2
  if ! alive "$srv_port" /index.html; then beyond=$((beyond + 1)); fail_case "fault-upstream" "not answering at the end"; fi
  [ "$beyond" -eq 0 ] || fail_case "fault-upstream" "$failed failed requests (see $out)"
  add_row "fault: upstream kill -9 + restart" 1 "$beyond"
  stop_pid "$srv_pid"; stop_pid "$b1" KILL; stop_pid "$b2" KILL
  wait "$b1" "$b2" 2>/dev/null || true
}

# Row: an app worker kill -9'd twice under wrk; the pool must be back to its size.
row_fault_app_worker_kill() {
  local out=$work/app.wrk failed beyond kills=0 w n i
  fault_server app 'events {}
http {
    app seed {
        module    simple_app:simple_app;
        chdir     /work/shared/examples/seed;
        processes 2;
    }
    server {
        listen 127.0.0.1:@PORT@;
        location / { app_pass seed; }
    }
}' || { add_row "fault: app worker kill -9 (x2)" 0 1; return; }
  fault_wrk "$out" "$FAULT_SECONDS" "http://127.0.0.1:$srv_port/"
  for i in 1 2; do
    sleep $((FAULT_SECONDS / 3))
    w=$(pgrep -P "$srv_pid" | head -n 1)
    if [ -n "$w" ]; then kill -KILL "$w" && kills=$((kills + 1)); echo "  app worker kill: killed worker $w" >&2; fi
  done
  wait "$wrk_pid" || true
  failed=$(wrk_failures "$out")
  beyond=$(( failed > kills * FAULT_CONNECTIONS ? failed - kills * FAULT_CONNECTIONS : 0 ))
  [ "$kills" -eq 2 ] || { beyond=$((beyond + 1)); fail_case "fault-app" "found $kills workers to kill, wanted 2"; }
  for i in $(seq 50); do n=$(pgrep -P "$srv_pid" | wc -l); [ "$n" -eq 2 ] && break; sleep 0.2; done
  echo "  app worker kill: $(wrk_requests "$out") requests, $failed failed (allowed $((kills * FAULT_CONNECTIONS))), workers at the end: $n" >&2
  [ "$n" -eq 2 ] || { beyond=$((beyond + 1)); fail_case "fault-app" "$n workers at the end, wanted 2"; }
  alive "$srv_port" || { beyond=$((beyond + 1)); fail_case "fault-app" "not answering at the end"; }
  [ "$beyond" -eq 0 ] || fail_case "fault-app" "$failed failed requests (see $out)"
  add_row "fault: app worker kill -9 (x2)" "$kills" "$beyond"
  stop_pid "$srv_pid"
}

# running PID: the process exists and is not a zombie. A killed script's `sleep` child is orphaned to PID 1, which
# may reap it late (this machine's init does): a zombie has been killed, so it does not count as left running.
running() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# Row: 20 clients on a CGI script that never answers (cgi_timeout 2s) while wrk loads a static location: 504 each,
# 0 static failures, no script process (nor its child) left.
row_fault_cgi_hang() {
  local out=$work/cgi.wrk failed=0 codes p left=0 i wrkf tried=20
  mkdir -p "$work/cgi/www/cgi-bin" "$work/cgi/pids"
  chmod 777 "$work/cgi/pids"
  # The script records its PID and its child's, then waits forever without writing a byte.
  printf '#!/bin/sh\necho $$ >> %s/pids/pids\nsleep 1000 &\necho $! >> %s/pids/pids\nwait\n' "$work/cgi" "$work/cgi" \
    >"$work/cgi/www/cgi-bin/hang.cgi"
  chmod 755 "$work/cgi/www/cgi-bin/hang.cgi"
  fault_server cgi 'events {}
http {
    server {
        listen 127.0.0.1:@PORT@;
        root @DIR@/www;
        location /cgi-bin/ { cgi on; cgi_timeout 2s; }
    }
}' || { add_row "fault: CGI script hangs (20 clients)" 0 1; return; }
  fault_wrk "$out" 6 "http://127.0.0.1:$srv_port/index.html"
  sleep 1
  for i in $(seq "$tried"); do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 15 "http://127.0.0.1:$srv_port/cgi-bin/hang.cgi" \
      >"$work/cgi/code.$i" &
    fault_pids+=("$!")
  done
  wait "$wrk_pid" || true
  for i in $(seq "$tried"); do
    for _ in $(seq 150); do [ -s "$work/cgi/code.$i" ] && break; sleep 0.1; done
  done
  codes=$(cat "$work"/cgi/code.* | sort | uniq -c | tr -s ' ' | tr '\n' ',')
  failed=$(cat "$work"/cgi/code.* | grep -vcx 504 || true)
  wrkf=$(wrk_failures "$out")
  sleep 0.5
  if [ -f "$work/cgi/pids/pids" ]; then
    while read -r p; do running "$p" && { left=$((left + 1)); fail_case "fault-cgi" "script process $p still running"; }; done \
      <"$work/cgi/pids/pids"
  else
    left=1; fail_case "fault-cgi" "the script never ran"
  fi
  echo "  cgi hang: statuses [$codes] static: $(wrk_requests "$out") requests, $wrkf failed; processes left: $left" >&2
  [ "$failed" -eq 0 ] || fail_case "fault-cgi" "$failed hanging requests not answered 504 ($codes)"
  add_row "fault: CGI script hangs (20 clients)" "$tried" "$((failed + wrkf + left))"
  stop_pid "$srv_pid"
}

# Row: the access log on a full 1 MiB tmpfs, wrk 5 s: requests still served; the error log says why.
row_fault_disk_full() {
  local out=$work/full.wrk mnt=$work/fullfs failed why
  mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>/dev/null; then
    add_row "fault: access log disk full (n/a: no mount)" 0 0; return
  fi
  fault_mounts+=("$mnt")
  fault_server full "events {}
http {
    access_log $mnt/access.log;
    server {
        listen 127.0.0.1:@PORT@;
        root @DIR@/www;
    }
}" || { add_row "fault: access log disk full" 0 1; return; }
  dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null || true
  fault_wrk "$out" 5 "http://127.0.0.1:$srv_port/index.html"
  wait "$wrk_pid" || true
  failed=$(wrk_failures "$out")
  alive "$srv_port" || { failed=$((failed + 1)); fail_case "fault-disk-full" "not answering at the end"; }
  # nginx (ngx_http_log_write): a failed access-log write is an [alert] "write() to "FILE" failed (28: No space left
  # on device)" at most once a minute; the request is served either way.
  why=$(grep -ci 'no space\|ENOSPC\|access.log' "$srv_dir/logs/error.log" || true)
  echo "  disk full: $(wrk_requests "$out") requests, $failed failed; error-log lines about the log write: $why" >&2
  grep -i 'no space\|ENOSPC\|access.log' "$srv_dir/logs/error.log" | head -n 2 | sed 's/^/    /' >&2 || true
  add_row "fault: access log disk full" 1 "$failed"
  [ "$why" -gt 0 ] || fail_case "fault-disk-full" "access-log lines dropped on ENOSPC, nothing in the error log"
  add_row "fault: disk full named in error log" 1 "$(( why > 0 ? 0 : 1 ))"
  stop_pid "$srv_pid"
  umount "$mnt" 2>/dev/null || true
}

FAULT_ROWS=(row_fault_reload_storm row_fault_upstream_kill row_fault_app_worker_kill row_fault_cgi_hang row_fault_disk_full)
