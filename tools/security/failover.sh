# Issue 8 item 5, "beyond one machine": one run.sh row per server (nginxlite, and nginx 1.22 side by side when
# installed). Sourced by run.sh, not run. Three hosts made with `ip netns` + a veth pair each, a count_backend.py
# (tests/NginxLite.Interop.Tests/Failover/) in each, the server proxying to an `upstream` of the three
# (max_fails=1 fail_timeout=2s, proxy_connect_timeout 500ms) under wrk; at +4 s host b's end of its link goes down
# (packets to it are lost: connect timeouts, as when a host vanishes), at +9 s it comes back, wrk stops at +14 s.
#
# The issue asks for loopback-only addresses inside the namespaces; the kernel does not route 127.0.0.0/8 between
# namespaces, so each host gets a free private 10.231.X.0/24 that exists only on its veth pair (link-scope route, no
# forwarding); the pairs and namespaces are deleted by failover_cleanup (run.sh's EXIT trap), also on failure.
#
# Failures counted: wrk's failed requests beyond the 16 in flight, plus one for each broken expectation: b saw a
# request while cut, a or c saw none while b was cut, b saw none after it came back, no "temporarily disabled" /
# connect-failure line naming b in the error log, more connect attempts to b than the in-flight burst plus one
# probe per fail_timeout. Needs root (ip netns); without it the row says n/a.
#
# Needs: $nginxlite, $work, $root, add_row, fail_case (run.sh); stop_pid, free_port (tools/bench/lib.sh); wrk.

FAILOVER_CONNECTIONS=16
failover_netns=()
failover_links=()
failover_pids=()

failover_cleanup() {
  local i
  for ((i=${#failover_pids[@]}-1; i>=0; i--)); do
    stop_pid "${failover_pids[$i]}" TERM
    wait "${failover_pids[$i]}" 2>/dev/null || true
  done
  failover_pids=()
  for i in "${failover_links[@]}"; do ip link del "$i" 2>/dev/null || true; done
  for i in "${failover_netns[@]}"; do ip netns del "$i" 2>/dev/null || true; done
  failover_links=(); failover_netns=()
}

# failover_lab: three namespaces $tag-0..2 with hosts ${fo_addr[i]} (backend on :8080, counts in $work/failover/NAME.counts).
failover_lab() {
  local tag=nlxs$(( $$ % 100000 )) i x used octets=()
  used=$(ip -o addr)
  for x in $(shuf -i 16-239); do
    grep -q " 10\.231\.$x\." <<<"$used" || octets+=("$x")
    [ "${#octets[@]}" -eq 3 ] && break
  done
  fo_ns=(); fo_addr=()
  for i in 0 1 2; do
    local ns=$tag-$i r=${tag}r$i h=${tag}h$i net=10.231.${octets[$i]}
    ip netns add "$ns" || return 1
    failover_netns+=("$ns")
    ip link add "$r" type veth peer name "$h" || return 1
    failover_links+=("$r")
    ip link set "$h" netns "$ns" && ip addr add "$net.1/24" dev "$r" && ip link set "$r" up &&
      ip -n "$ns" addr add "$net.2/24" dev "$h" && ip -n "$ns" link set "$h" up && ip -n "$ns" link set lo up || return 1
    fo_ns+=("$ns"); fo_addr+=("$net.2"); fo_link+=("$h")
  done
}

# failover_run FLAVOR: one cut-and-restore run against nginxlite or nginx; adds its row.
failover_run() {
  local flavor=$1 label="failover: netns host cut + back ($1)" dir=$work/failover-$1 i name port out failed checks
  local script=$root/tests/NginxLite.Interop.Tests/Failover/count_backend.py
  if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then add_row "$label (n/a: needs root, ip)" 0 0; return; fi
  mkdir -p "$dir/conf" "$dir/logs"
  fo_link=()
  failover_lab || { fail_case "failover" "could not build the netns lab"; add_row "$label" 0 1; failover_cleanup; return; }
  local names=(a b c) ups=""
  for i in 0 1 2; do
    name=${names[$i]}
    ip netns exec "${fo_ns[$i]}" python3 "$script" "$name" "${fo_addr[$i]}" 8080 "$dir/$name.counts" >/dev/null 2>&1 &
    failover_pids+=("$!")
    ups+="        server ${fo_addr[$i]}:8080 max_fails=1 fail_timeout=2s;"$'\n'
  done
  for i in 0 1 2; do
    for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://${fo_addr[$i]}:8080/" && break; sleep 0.1; done
  done
  port=$(free_port)
  cat >"$dir/conf/nginx.conf" <<CONF
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    upstream three {
$ups    }
    server {
        listen 127.0.0.1:$port;
        location / { proxy_pass http://three; proxy_connect_timeout 500ms; proxy_read_timeout 2s; }
    }
}
CONF
  if [ "$flavor" = nginx ]; then
    /usr/sbin/nginx -p "$dir/" -c "$dir/conf/nginx.conf" -e "$dir/logs/error.log" -g 'daemon off; master_process off;' >"$dir/out.log" 2>&1 &
  else
    "$nginxlite" -p "$dir/" -c "$dir/conf/nginx.conf" -e "$dir/logs/error.log" >"$dir/out.log" 2>&1 &
  fi
  local srv=$!
  failover_pids+=("$srv")
  for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && break; sleep 0.1; done
  out=$dir/wrk.txt
  wrk -t 2 -c "$FAILOVER_CONNECTIONS" -d 14s --timeout 5s "http://127.0.0.1:$port/" >"$out" 2>&1 &
  local wrk_pid=$!
  failover_pids+=("$wrk_pid")
  sleep 4
  local cut_at restore_at end_at
  cut_at=$(date +%s%3N); ip -n "${fo_ns[1]}" link set "${fo_link[1]}" down
  sleep 5
  restore_at=$(date +%s%3N); ip -n "${fo_ns[1]}" link set "${fo_link[1]}" up
  wait "$wrk_pid" || true
  end_at=$(date +%s%3N)
  sleep 0.3
  failed=$(wrk_failures "$out")
  checks=$(python3 - "$dir" "${fo_addr[1]}:8080" "$cut_at" "$restore_at" "$end_at" "$FAILOVER_CONNECTIONS" <<'EOF2'
import sys
d, baddr, cut, restore, end, conns = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:])
def samples(n):
    return [tuple(map(int, l.split())) for l in open(f"{d}/{n}.counts") if len(l.split()) == 2]
s = {n: samples(n) for n in "abc"}
def at(n, ms):
    c = 0
    for t, k in s[n]:
        if t <= ms: c = k
    return c
log = [l for l in open(f"{d}/logs/error.log") if baddr in l]
connects = sum(1 for l in log if "while connecting to upstream" in l and "temporarily disabled" not in l)
disabled = sum(1 for l in log if "upstream server temporarily disabled" in l)
back = next((t - restore for t, k in s["b"] if t > restore and k > at("b", restore)), None)
bad = []
if at("b", cut + 300) != at("b", restore): bad.append("b saw %d requests while cut" % (at("b", restore) - at("b", cut + 300)))
if not (at("a", restore) > at("a", cut) and at("c", restore) > at("c", cut)): bad.append("a or c saw nothing while b was cut")
if not at("b", end) > at("b", restore): bad.append("b saw nothing after it came back")
if connects < 1 or disabled < 1: bad.append("error log: %d connect failures, %d temporarily-disabled lines naming b" % (connects, disabled))
if connects > conns + 5 // 2 + 2: bad.append("%d connects to the cut host (max_fails did not take it out)" % connects)
print("  per backend while b was cut: a %d, b %d, c %d; b back after the restore: %s; error log naming b: %d connect failures, %d temporarily disabled"
      % (at("a", restore) - at("a", cut), at("b", restore) - at("b", cut + 300), at("c", restore) - at("c", cut),
         "+%d ms" % back if back is not None else "never", connects, disabled), file=sys.stderr)
for b in bad: print(b)
EOF2
)
  echo "  failover ($flavor): $(wrk_requests "$out") requests, $failed failed" >&2
  local broken=0
  while IFS= read -r line; do [ -n "$line" ] && { broken=$((broken + 1)); fail_case "failover-$flavor" "$line"; }; done <<<"$checks"
  local beyond=$(( failed > FAILOVER_CONNECTIONS ? failed - FAILOVER_CONNECTIONS : 0 ))
  [ "$beyond" -eq 0 ] || fail_case "failover-$flavor" "$failed failed requests (see $out)"
  add_row "$label" "$(wrk_requests "$out")" "$((beyond + broken))"
  failover_cleanup
}

row_failover_nginxlite() { failover_run nginxlite; }
row_failover_nginx() { [ -x /usr/sbin/nginx ] && failover_run nginx || add_row "failover: netns host cut + back (nginx) (n/a: no nginx)" 0 0; }

FAILOVER_ROWS=(row_failover_nginxlite row_failover_nginx)
