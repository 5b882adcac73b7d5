#!/usr/bin/env bash
# qvip demo: a lab of network namespaces with 3 ZooKeeper servers, the coordinator and 3 quorum-vip agents on one
# VRID (VIP 192.0.2.200, priorities 150/100/50, quorum lease S = 6 s), then a short story told by the kernels'
# address lists (polled every 20 ms; the only judge of who owns the VIP): graceful hand-over, kill -9 of the owner,
# a heartbeat partition, a ZooKeeper leader kill. Then load balancing: n1 and n2 become the LVS-DR director pair of
# lb-samples/ in front of real nginx servers rs1 and rs2, under client traffic counted throughout: nginx stopped and
# started on rs1, the owning director killed. Every agent ships its journal to the coordinator; the forensics
# report is printed from the coordinator's copy, and the coordinator's page stays at a printed URL until Ctrl-C
# (or Enter). A progress line per step; everything is removed at the end, also on failure.
#
#   --no-wait   tear down at once after the report (also when stdin is not a terminal, or CI is set)
#   --port P    the host port for the page (default 9120, bound to 127.0.0.1 only)
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly lab=qdemo
readonly vip=192.0.2.200
readonly nodes=(n1 n2 n3)
readonly coordinator=192.0.2.30:9120
readonly bound_ms=20000
readonly partition_s=15
readonly lb_vip=192.0.2.210
shared=${QVIP_SHARED:-$root/../shared}
samples=$shared/keepalived-samples
lb_samples=$shared/lb-samples
state=/run/qvip-lab/$lab
wait_at_end=true
port=9120

while (($#)); do
  case "$1" in
    --no-wait) wait_at_end=false ;;
    --port) port=${2:?--port needs a value}; shift ;;
    -h | --help) sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "demo: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -t 0 && -z "${CI:-}" ]] || wait_at_end=false

step_number=0
step() { step_number=$((step_number + 1)); printf '\n[%s] %d. %s\n' "$(date +%T)" "$step_number" "$*"; }
note() { printf '             %s\n' "$*"; }
now_ms() { date +%s%3N; }

forwarder_pid=""
traffic_pid=""
cleanup() {
  [[ -z "$forwarder_pid" ]] || kill -TERM "$forwarder_pid" 2>/dev/null || true
  [[ -z "$traffic_pid" ]] || kill -TERM "$traffic_pid" 2>/dev/null || true
  "$root/scripts/lab.sh" down --name "$lab" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The address holders and watch_until look at: the VRRP acts' VIP, then the load-balancing act's.
watched_vip=$vip

# The nodes whose kernel has the VIP, e.g. "n1" or "n1 n2"; the ground truth, whatever the daemons say.
holders() {
  local n out=""
  for n in "${nodes[@]}"; do
    if ip -n "$lab-$n" -o -4 addr show dev eth0 2>/dev/null | grep -q " $watched_vip/"; then
      out+="${out:+ }$n"
    fi
  done
  echo "${out:-none}"
}

# watch_until EXPECTED [MIN_MS]: polls the holders every 20 ms until they are EXPECTED (and at least MIN_MS passed).
# Prints "<ms until EXPECTED> <ms with two holders> <ms with none> <holder changes>"; fails after bound_ms.
watch_until() {
  local expected=$1 min_ms=${2:-0} start now last h previous both=0 none=0 changes=0
  start=$(now_ms)
  last=$start
  previous=$(holders)
  while true; do
    h=$(holders)
    now=$(now_ms)
    [[ "$h" == *" "* ]] && both=$((both + now - last))
    [[ "$h" == none ]] && none=$((none + now - last))
    [[ "$h" != "$previous" ]] && changes=$((changes + 1))
    previous=$h
    last=$now
    if [[ "$h" == "$expected" ]] && ((now - start >= min_ms)); then
      echo "$((now - start)) $both $none $changes"
      return 0
    fi
    if ((now - start > bound_ms + min_ms)); then
      echo "demo: VIP holders never became '$expected' within $((bound_ms + min_ms)) ms (now: $h)" >&2
      return 1
    fi
    sleep 0.02
  done
}

status_line() {
  ip netns exec "$lab-$1" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
    | jq -r '.instances[0] | "\(.state), vip_owned=\(.vip_owned), lease held=\(.lease.held) epoch=\(.lease.epoch) (\(.reason))"' \
    2>/dev/null || echo unreachable
}

daemon_pid() { cat "$state/$1/pid"; }

# shipping_line NODE: waits up to 10 s for the coordinator to have every durable record of NODE, then says so.
shipping_line() {
  local line=""
  for _ in $(seq 50); do
    line=$(ip netns exec "$lab-$1" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
      | jq -r '.shipping[0] | "coordinator acked seq \(.acked_seq), \(.lag_records) records behind (\(.state))"' \
      2>/dev/null) || true
    [[ "$line" == *" 0 records behind"* ]] && break
    sleep 0.2
  done
  echo "${line:-unreachable}"
}

# agent_config NODE: the pair sample of the node's rank (n3 is a third, lower-priority copy of n2's), plus the
# quorum block and the coordinator block. Prints the file's path.
agent_config() {
  local node=$1 out=$state/$1/demo.conf
  case "$node" in
    n1) cat "$samples/pair-node1.conf" ;;
    n2) cat "$samples/pair-node2.conf" ;;
    n3) sed -e 's/priority 100/priority 50/' -e 's/router_id lb02/router_id lb03/' "$samples/pair-node2.conf" ;;
  esac >"$out"
  demo_blocks "$node" >>"$out"
  echo "$out"
}

# lb_agent_config NODE: lb-samples/lvs-dr-nodeI.conf unchanged, plus the same two blocks. Prints the file's path.
lb_agent_config() {
  local out=$state/$1/demo-lb.conf
  cat "$lb_samples/lvs-dr-node${1#n}.conf" >"$out"
  demo_blocks "$1" >>"$out"
  echo "$out"
}

# demo_blocks NODE: what the demo adds to a keepalived.conf: the quorum block and the coordinator block.
demo_blocks() {
  cat <<BLOCKS
quorum {
    connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181
    session_timeout 6000
    zk_tick_time 200
    path /quorum-vip/demo
    digest qvip:demo-secret
}
coordinator {
    url http://$coordinator
    token_file $state/$1/token
}
BLOCKS
}

start_agent() { "$root/scripts/lab.sh" start --name "$lab" --node "$1" --agent-config "$(agent_config "$1")" >/dev/null; }
start_director() { "$root/scripts/lab.sh" start --name "$lab" --node "$1" --agent-config "$(lb_agent_config "$1")" >/dev/null; }

# in_pool NODE ADDRESS: "true" while NODE's agent has real server ADDRESS in its pool, "false" out, "" unreachable.
in_pool() {
  ip netns exec "$lab-$1" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
    | jq -r --arg a "$2" '.virtual_servers[0].real_servers[] | select(.address == $a) | .in_pool' 2>/dev/null || true
}

# wait_in_pool NODE ADDRESS true|false BOUND_S: polls every 100 ms; prints the ms it took, fails after BOUND_S.
wait_in_pool() {
  local start
  start=$(now_ms)
  until [[ "$(in_pool "$1" "$2")" == "$3" ]]; do
    if (($(now_ms) - start > $4 * 1000)); then
      echo "demo: $2 in_pool never became $3 on $1 within $4 s" >&2
      return 1
    fi
    sleep 0.1
  done
  echo $(($(now_ms) - start))
}

# lvs NODE: `qvip lvs` (the ipvsadm -Ln view) of NODE's agent, indented.
lvs() { ip netns exec "$lab-$1" "$root/scripts/qvip" lvs | sed 's/^/               /'; }

# The client's traffic: one curl (a new connection) to the VIP every ~50 ms, each answer ("rs1", "rs2") or FAILED
# logged with its time in ms.
traffic_log=$state/client-traffic.log
start_traffic() {
  ip netns exec "$lab-client" bash -c 'while :; do
      answer=$(curl -s --max-time 2 "http://$1/") || answer=FAILED
      echo "$(date +%s%3N) ${answer:-FAILED}"
      sleep 0.05
    done' traffic "$lb_vip" >"$traffic_log" 2>/dev/null &
  traffic_pid=$!
}

# tally FROM_MS [TO_MS]: the client's answers per real server and its failures between two instants.
tally() {
  awk -v from="$1" -v to="${2:-99999999999999}" '$1 >= from && $1 < to { n[$2]++ }
    END { printf "rs1 %d, rs2 %d, failed %d", n["rs1"], n["rs2"], n["FAILED"] }' "$traffic_log"
}

# stop_and_wait PID SIGNAL: sends SIGNAL to PID and waits up to 10 s for it to exit.
stop_and_wait() {
  local pid=$1
  kill "-$2" "$pid"
  for _ in $(seq 100); do is_running "$pid" || return 0; sleep 0.1; done
  echo "demo: process $pid did not exit within 10 s of SIG$2" >&2
  return 1
}

# crash NODE: freezes every process of the node's agent, then SIGKILLs them (no goodbye of any kind).
crash() {
  local pids
  pids=$(echo "$(daemon_pid "$1")"; descendants "$(daemon_pid "$1")")
  # shellcheck disable=SC2086
  kill -STOP $pids
  # shellcheck disable=SC2086
  kill -KILL $pids
}

# The number of the ZooKeeper server that says it leads (lab.sh status asks each one with `srvr`).
zk_leader() {
  local server
  server=$("$root/scripts/lab.sh" status --name "$lab" | jq -r '.zookeeper[] | select(.mode == "leader") | .server')
  [[ -n "$server" ]] && echo "${server#zk}"
}

[[ $EUID -eq 0 ]] || { echo "demo: needs root for network namespaces (run as root)" >&2; exit 2; }
[[ -d "$samples" ]] || { echo "demo: $samples not found (set QVIP_SHARED to the shared/ directory)" >&2; exit 2; }
[[ -d "$lb_samples" ]] || { echo "demo: $lb_samples not found (set QVIP_SHARED to the shared/ directory)" >&2; exit 2; }

step "Preparing: system packages and the build"
"$root/scripts/install-deps"
"$root/scripts/qvip" build

step "Lab up: 3 ZooKeeper servers (192.0.2.21-23), the coordinator (192.0.2.30), 3 node namespaces, a client, 2 real servers"
"$root/scripts/lab.sh" up --name "$lab" --nodes 3 --zk 3 --coordinator --real-servers 2 --dr-vip "$lb_vip" \
  | sed 's/^/             /'
# Each connection to 127.0.0.1:PORT gets a socat inside the coordinator's namespace (colons escaped for socat).
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" \
  "SYSTEM:'exec ip netns exec $lab-coord socat STDIO TCP4\:${coordinator/:/\\:}'" >/dev/null 2>&1 &
forwarder_pid=$!
note "the coordinator's page: http://127.0.0.1:$port/  (live: open it now and watch the story)"

step "Lint: the three agents' configs (keepalived.conf + quorum { } + coordinator { }, cross-node checks included)"
for n in "${nodes[@]}"; do agent_config "$n" >/dev/null; done
"$root/scripts/qvip" lint "$state/n1/demo.conf" "$state/n2/demo.conf" "$state/n3/demo.conf" \
  | sed 's/^/             /' || true

step "Agents start: n1 (priority 150), n2 (100), n3 (50); VRID 66, VIP $vip; n1 must win VRRP and the lease"
for n in "${nodes[@]}"; do start_agent "$n"; done
read -r took _ < <(watch_until n1 2000)
note "VIP on: $(holders) after ${took} ms"
for n in "${nodes[@]}"; do note "$n: $(status_line "$n")"; done

step "Graceful hand-over: SIGTERM to n1 (VIP dropped, latch released, priority 0 sent)"
stop_and_wait "$(daemon_pid n1)" TERM &
stopper=$!
read -r handover both none changes < <(watch_until n2)
wait "$stopper"
note "n2 owns the VIP ${handover} ms after the SIGTERM (two holders: ${both} ms, none: ${none} ms)"
note "n2: $(status_line n2)"
start_agent n1
read -r back both none changes < <(watch_until n1)
note "n1 restarted and preempted with a new lease: it owns the VIP again after ${back} ms (two holders: ${both} ms)"

step "kill -9 of the owner n1 (its processes frozen, then killed: no goodbye)"
crash n1
read -r takeover both none changes < <(watch_until n2)
note "n1's kernel dropped the VIP by itself $((takeover - none)) ms after the crash: its lifetime ended before the lease could"
note "n2 owns the VIP ${takeover} ms after the crash, once ZooKeeper expired n1's session (S = 6 s); two holders: ${both} ms"
start_agent n1
read -r back both none changes < <(watch_until n1)
note "n1 restarted; it owns the VIP again after ${back} ms"

step "Heartbeat partition: VRRP (IP protocol 112) dropped both ways on n1 for ${partition_s} s"
ip netns exec "$lab-n1" nft -f - <<'NFT'
table ip qvip_demo {
  chain input { type filter hook input priority 0; policy accept; ip protocol 112 drop; }
  chain output { type filter hook output priority 0; policy accept; ip protocol 112 drop; }
}
NFT
read -r _ both none changes < <(watch_until n1 $((partition_s * 1000)))
note "n2 no longer hears n1 and became VRRP MASTER too: $(status_line n2)"
note "n1 still holds the lease: $(status_line n1)"
ip netns exec "$lab-n1" nft delete table ip qvip_demo
note "healed; during the partition the VIP holders changed $changes times (two holders: ${both} ms, none: ${none} ms)"
sleep 3
note "after healing: n1 $(status_line n1); n2 $(status_line n2)"

step "ZooKeeper leader killed: a new leader is elected; the VIP must neither move nor drop"
if leader=$(zk_leader); then
  kill -KILL "$(cat "$state/zk$leader/pid")"
  read -r _ both none changes < <(watch_until n1 5000)
  note "killed zk$leader; over 5 s the VIP holders changed $changes times (none: ${none} ms); n1: $(status_line n1)"
  "$root/scripts/lab.sh" start --name "$lab" --zk-server "$leader" >/dev/null
  note "zk$leader restarted"
else
  note "no ZooKeeper leader answered 'srvr'; step skipped"
fi

step "Load balancing: n1 and n2 become the LVS-DR director pair (lb-samples/lvs-dr-node{1,2}.conf + quorum { })"
note "VIP $lb_vip:80, rr over rs1 (192.0.2.51) and rs2 (192.0.2.52), real nginx; TCP_CHECK every 6 s, 3 retries 3 s apart"
for n in n1 n2; do stop_and_wait "$(daemon_pid "$n")" TERM; done
note "n1 and n2's VRRP agents stopped; n3 keeps $vip meanwhile"
watched_vip=$lb_vip
directors_started=$(now_ms)
for n in n1 n2; do start_director "$n"; done
watch_until n1 >/dev/null
note "n1 owns $lb_vip $(($(now_ms) - directors_started)) ms after its start (the JVM's start included)"
wait_in_pool n1 192.0.2.51 true 30 >/dev/null
wait_in_pool n1 192.0.2.52 true 30 >/dev/null
start_traffic
lb_start=$(now_ms)
sleep 3
note "both real servers in n1's pool; client traffic started (a new connection every ~50 ms, 2 s at most each)"
note "its first 3 s: $(tally "$lb_start")"
lvs n1

step "nginx stopped on rs1: its TCP_CHECK fails (connect refused) until rs1 leaves the pool"
rs1_stopped=$(now_ms)
stop_and_wait "$(cat "$state/rs1/pid")" TERM
left=$(wait_in_pool n1 192.0.2.51 false 40)
rs1_left=$(now_ms)
note "rs1 left n1's pool ${left} ms after nginx stopped; meanwhile: $(tally "$rs1_stopped" "$rs1_left")"
sleep 3
note "the 3 s after: $(tally "$rs1_left")"
lvs n1

step "nginx started again on rs1: its next TCP_CHECK succeeds and rs1 returns"
"$root/scripts/lab.sh" start --name "$lab" --real-server rs1 >/dev/null
rs1_started=$(now_ms)
back=$(wait_in_pool n1 192.0.2.51 true 20)
rs1_back=$(now_ms)
sleep 3
note "rs1 back in n1's pool ${back} ms after nginx started; the 3 s after: $(tally "$rs1_back")"
lvs n1

step "kill -9 of the owning director n1 under client traffic: n2 takes over with the same pool"
crashed=$(now_ms)
crash n1
read -r takeover both _ < <(watch_until n2)
taken=$(now_ms)
sleep 3
note "n2 owns $lb_vip ${takeover} ms after the crash (two holders: ${both} ms); meanwhile: $(tally "$crashed" "$taken")"
note "the 3 s after: $(tally "$taken")"
lvs n2
start_director n1
read -r back _ < <(watch_until n1)
kill -TERM "$traffic_pid"
wait "$traffic_pid" 2>/dev/null || true
traffic_pid=""
note "n1 restarted; it owns $lb_vip again after ${back} ms"
note "client traffic over the whole act: $(tally "$lb_start")"

step "What the coordinator received: every agent ships its journal; the coordinator acknowledges by seq"
for n in "${nodes[@]}"; do
  note "$n: $(shipping_line "$n")"
done

step "Forensics over the coordinator's copy of all journals (scripts/qvip forensics)"
forensics_status=0
"$root/scripts/qvip" forensics "$state"/coord/data/nodes/* | sed 's/^/             /' || forensics_status=$?
note "forensics exit status: $forensics_status (0: no dual ownership in the journals)"

if [[ "$wait_at_end" == true ]]; then
  step "The page stays at http://127.0.0.1:$port/ — press Enter or Ctrl-C to tear everything down"
  read -r _ || true
fi
step "Tearing the lab down"
