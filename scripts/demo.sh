#!/usr/bin/env bash
# qvip demo: network namespaces, a 3-server ZooKeeper ensemble, and two acts with the kernel's address lists as the
# only judge of who owns the VIP. Act 1: a real keepalived and the quorum-vip agent on one VRID (graceful stop,
# preemption, crash: keepalived's split brain). Act 2: two quorum-vip agents with the quorum lease (graceful
# hand-over, a ZooKeeper leader kill, the same crash: one owner throughout).
# A progress line per step; the lab is removed at the end (after Enter when run from a terminal), also on failure.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly lab=qdemo
readonly vip=192.0.2.200
readonly bound_ms=15000
shared=${QVIP_SHARED:-$root/../shared}
samples=$shared/keepalived-samples

step() { printf '\n[%s] %s\n' "$(date +%T)" "$*"; }
note() { printf '           %s\n' "$*"; }
now_ms() { date +%s%3N; }

cleanup() {
  "$root/scripts/lab.sh" down --name "$lab" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The nodes whose kernel has the VIP, e.g. "n1 n2"; the ground truth, whatever the daemons say.
holders() {
  local n out=""
  for n in n1 n2; do
    if ip -n "$lab-$n" -o -4 addr show dev eth0 2>/dev/null | grep -q " $vip/"; then
      out+="${out:+ }$n"
    fi
  done
  echo "${out:-none}"
}

# wait_for WHAT EXPECTED: polls holders every 20 ms; prints the ms it took, fails after bound_ms.
wait_for() {
  local what=$1 expected=$2 start now
  start=$(now_ms)
  while true; do
    [[ "$(holders)" == "$expected" ]] && { echo $(($(now_ms) - start)); return 0; }
    now=$(now_ms)
    if ((now - start > bound_ms)); then
      echo "demo: $what did not happen within ${bound_ms} ms (VIP holders: $(holders))" >&2
      return 1
    fi
    sleep 0.02
  done
}

agent_state() {
  ip netns exec "$lab-${1:-n2}" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
    | jq -r '.instances[0] | "\(.state) priority \(.effective_priority) vip_owned=\(.vip_owned) (\(.reason))"' \
    2>/dev/null || echo unreachable
}

keepalived_pid() { cat "/run/qvip-lab/$lab/n1/pid"; }
daemon_pid() { cat "/run/qvip-lab/$lab/$1/pid"; }

# watch_until EXPECTED: like wait_for, but also counts the ms during which both nodes held the VIP.
# Prints "<ms until EXPECTED> <ms of double ownership>".
watch_until() {
  local expected=$1 start now last both=0 h
  start=$(now_ms)
  last=$start
  while true; do
    h=$(holders)
    now=$(now_ms)
    [[ "$h" == "n1 n2" ]] && both=$((both + now - last))
    last=$now
    [[ "$h" == "$expected" ]] && { echo "$((now - start)) $both"; return 0; }
    if ((now - start > bound_ms)); then
      echo "demo: VIP holders never became '$expected' within ${bound_ms} ms (now: $h)" >&2
      return 1
    fi
    sleep 0.02
  done
}

quorum_config() {
  local node=$1 out=/run/qvip-lab/$lab/$1/quorum.conf
  cat "$samples/pair-node${node#n}.conf" - >"$out" <<QUORUM
quorum {
    connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181
    session_timeout 6000
    path /quorum-vip/demo
    digest qvip:demo-secret
}
QUORUM
  echo "$out"
}

lease_line() {
  ip netns exec "$lab-$1" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
    | jq -r '.instances[0] | "\(.state), vip_owned=\(.vip_owned), lease held=\(.lease.held) epoch=\(.lease.epoch) valid for \(.lease.valid_for_ms) ms (\(.reason))"' \
    2>/dev/null || echo unreachable
}

# tree PID: the process and all its descendants.
tree() {
  echo "$1"
  descendants "$1"
}

[[ $EUID -eq 0 ]] || { echo "demo: needs root for network namespaces (run as root)" >&2; exit 2; }
[[ -d "$samples" ]] || { echo "demo: $samples not found (set QVIP_SHARED to the shared/ directory)" >&2; exit 2; }

step "Preparing: system packages and the build"
"$root/scripts/install-deps"
"$root/scripts/qvip" build

step "Lint: the pair of configs the nodes will run (one file per node, cross-node checks included)"
"$root/scripts/qvip" lint "$samples/pair-node1.conf" "$samples/pair-node2.conf" | sed 's/^/           /'

step "Act 1, lab up: 3 ZooKeeper servers; n1 = keepalived 2.2.7 (priority 150), n2 = quorum-vip agent without a quorum block (priority 100); VRID 66, VIP $vip"
"$root/scripts/lab.sh" up --name "$lab" --nodes 2 --config-set pair --keepalived 1 | sed 's/^/           /'
took=$(wait_for "n1 owning the VIP" n1)
sleep 1
note "VIP on: $(holders) after ${took} ms; agent on n2 says: $(agent_state)"

step "Graceful stop of keepalived on n1 (SIGTERM: it sends priority 0 and drops the VIP)"
stopped_pid=$(keepalived_pid)
kill -TERM "$stopped_pid"
graceful=$(wait_for "the agent taking over" n2)
note "n2 (quorum-vip) owns the VIP ${graceful} ms later; agent: $(agent_state)"
for _ in $(seq 100); do [[ -d /proc/$stopped_pid ]] || break; sleep 0.1; done
[[ ! -d /proc/$stopped_pid ]] || { echo "demo: keepalived $stopped_pid did not exit within 10 s of SIGTERM" >&2; exit 1; }

step "keepalived returns on n1 with the higher priority: it preempts, the agent steps down"
"$root/scripts/lab.sh" start --name "$lab" --node n1 --keepalived-config "$samples/pair-node1.conf" >/dev/null
preempt=$(wait_for "keepalived preempting" n1)
note "VIP back on n1 after ${preempt} ms; agent: $(agent_state)"

step "Crash of keepalived on n1 (freeze every process, then SIGKILL: no goodbye)"
pids=$(tree "$(keepalived_pid)")
# shellcheck disable=SC2086
kill -STOP $pids
# shellcheck disable=SC2086
kill -KILL $pids
crash=$(wait_for "the agent taking over after the crash" "n1 n2")
note "n2 (quorum-vip) owns the VIP ${crash} ms after the crash; agent: $(agent_state)"
note "but the dead node's kernel kept it: VIP holders = $(holders)"
macs=$(ip netns exec "$lab-client" arping -c 1 -w 2 -i eth0 "$vip" 2>/dev/null | grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | sort -u | tr '\n' ' ')
note "ARP replies for $vip seen from the client: ${macs:-none}"
note "That is keepalived's split brain after a crash. The quorum lease (DESIGN.md §3) makes a crashed"
note "owner's kernel drop the VIP by itself; until it is configured, quorum-vip behaves like keepalived."

step "Metrics of the agent on n2 (Prometheus text, excerpt)"
ip netns exec "$lab-n2" curl -s http://127.0.0.1:9110/metrics \
  | grep -E '^qvip_(vrrp_state|vrrp_transitions_total|vip_owned|garp_sent_total|vrrp_adverts_(sent|received)_total)' \
  | grep -v ' 0.0$' | sed 's/^/           /'

step "Act 2: the same two nodes, both quorum-vip agents, with the quorum lease (S = 6 s)"
kill -TERM "$(daemon_pid n2)"
for _ in $(seq 100); do [[ -d /proc/$(daemon_pid n2) ]] || break; sleep 0.1; done
ip -n "$lab-n1" addr del "$vip/24" dev eth0 2>/dev/null || true
note "stopped act 1's agent, removed the VIP the dead keepalived left on n1 by hand"
"$root/scripts/lab.sh" start --name "$lab" --node n1 --agent-config "$(quorum_config n1)" >/dev/null
"$root/scripts/lab.sh" start --name "$lab" --node n2 --agent-config "$(quorum_config n2)" >/dev/null
took=$(wait_for "n1 owning the VIP with a lease" n1)
sleep 1
note "VIP on: $(holders) after ${took} ms"
note "n1: $(lease_line n1)"
note "n2: $(lease_line n2)"
note "n1's kernel: $(ip -n "$lab-n1" addr show dev eth0 | grep -A1 " $vip/" | tail -1 | xargs)"

step "Graceful stop of n1 (SIGTERM: VIP dropped, latch closed, priority 0 sent; n2 sees the lease free)"
stopped_pid=$(daemon_pid n1)
kill -TERM "$stopped_pid"
read -r handover handover_both < <(watch_until n2)
note "n2 owns the VIP ${handover} ms after the SIGTERM (both held it for ${handover_both} ms); n2: $(lease_line n2)"
for _ in $(seq 100); do [[ -d /proc/$stopped_pid ]] || break; sleep 0.1; done
"$root/scripts/lab.sh" start --name "$lab" --node n1 --agent-config "$(quorum_config n1)" >/dev/null
read -r back back_both < <(watch_until n1)
note "n1 is back and preempts: it owns the VIP again after ${back} ms (both: ${back_both} ms)"
sleep 2

step "Kill the ZooKeeper leader: a new leader is elected; the VIP must neither move nor drop"
leader=""
for i in 1 2 3; do
  mode=$(ip netns exec "$lab-zk$i" timeout 2 bash -c "exec 3<>/dev/tcp/192.0.2.2$i/2181 && printf srvr >&3 && cat <&3" 2>/dev/null | sed -n 's/^Mode: //p')
  [[ "$mode" == leader ]] && leader=$i
done
if [[ -n "$leader" ]]; then
  kill -KILL "$(cat "/run/qvip-lab/$lab/zk$leader/pid")"
  changes=0 last=$(holders)
  for _ in $(seq 250); do h=$(holders); [[ "$h" != "$last" ]] && changes=$((changes + 1)); last=$h; sleep 0.02; done
  note "killed zk$leader; over the next 5 s the VIP holders changed $changes times (now: $(holders)); n1: $(lease_line n1)"
  "$root/scripts/lab.sh" start --name "$lab" --zk-server "$leader" >/dev/null
else
  note "no ZooKeeper leader found; skipped"
fi

step "Crash of n1 (freeze, then SIGKILL: no goodbye)"
pids=$(tree "$(daemon_pid n1)")
# shellcheck disable=SC2086
kill -STOP $pids
crash_at=$(now_ms)
# shellcheck disable=SC2086
kill -KILL $pids
gone=""
both2=0
while true; do
  h=$(holders)
  el=$(($(now_ms) - crash_at))
  [[ "$h" == "n1 n2" ]] && both2=$((both2 + 20))
  [[ -z "$gone" && "$h" != "n1" && "$h" != "n1 n2" ]] && gone=$el
  [[ "$h" == n2 ]] && break
  ((el > bound_ms)) && { echo "demo: n2 did not take over within ${bound_ms} ms (holders: $h)" >&2; exit 1; }
  sleep 0.02
done
crash2=$el
note "n1's kernel dropped the VIP by itself after ${gone} ms (its lifetime ran out)"
note "n2 owns the VIP ${crash2} ms after the crash, once ZooKeeper expired n1's session; both held it for ${both2} ms"
macs=$(ip netns exec "$lab-client" arping -c 1 -w 2 -i eth0 "$vip" 2>/dev/null | grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | sort -u | tr '\n' ' ')
note "ARP replies for $vip seen from the client: ${macs:-none}"

step "Forensics over both agents' journals (what each node recorded, merged): scripts/qvip forensics"
forensics_status=0
"$root/scripts/qvip" forensics "/run/qvip-lab/$lab/n1/journal" "/run/qvip-lab/$lab/n2/journal" \
  | sed 's/^/           /' || forensics_status=$?
note "forensics exit status: $forensics_status (0: no dual ownership found in the journals)"

step "Summary (ms; ground truth: ip addr in each namespace, polled every 20 ms)"
printf '           %-58s %8s\n' "event" "ms"
printf '           %-58s %8d\n' "act 1: keepalived SIGTERM -> agent owns the VIP" "$graceful"
printf '           %-58s %8d\n' "act 1: keepalived crash -> agent owns the VIP" "$crash"
printf '           %-58s %8s\n' "act 1: both hold the VIP after the crash" "until removed by hand"
printf '           %-58s %8d\n' "act 2: agent SIGTERM -> the other agent owns the VIP" "$handover"
printf '           %-58s %8d\n' "act 2: agent crash -> crashed node's kernel drops the VIP" "$gone"
printf '           %-58s %8d\n' "act 2: agent crash -> the other agent owns the VIP" "$crash2"
printf '           %-58s %8d\n' "act 2: both hold the VIP, all steps" "$((handover_both + back_both + both2))"

if [[ -t 0 && -z "${CI:-}" ]]; then
  step "The lab stays up: try 'scripts/qvip lab status --name $lab'. Press Enter to tear it down."
  read -r _ || true
fi
step "Tearing the lab down"
