#!/usr/bin/env bash
# qvip demo: a real keepalived and the quorum-vip agent on one VRID in network namespaces, a graceful stop, a
# preemption and a crash, with the kernel's address lists as the only judge of who owns the VIP.
# A progress line per step; the lab is removed at the end (after Enter when run from a terminal), also on failure.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
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
  ip netns exec "$lab-n2" curl -s --max-time 2 http://127.0.0.1:9110/v1/status 2>/dev/null \
    | jq -r '.instances[0] | "\(.state) priority \(.effective_priority) vip_owned=\(.vip_owned) (\(.reason))"' \
    2>/dev/null || echo unreachable
}

keepalived_pid() { cat "/run/qvip-lab/$lab/n1/pid"; }

tree() {
  local pid=$1 child
  echo "$pid"
  for child in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do tree "$child"; done
}

[[ $EUID -eq 0 ]] || { echo "demo: needs root for network namespaces (run as root)" >&2; exit 2; }
[[ -d "$samples" ]] || { echo "demo: $samples not found (set QVIP_SHARED to the shared/ directory)" >&2; exit 2; }

step "Preparing: system packages and the build"
"$root/scripts/install-deps"
"$root/scripts/qvip" build

step "Lint: the pair of configs the nodes will run (one file per node, cross-node checks included)"
"$root/scripts/qvip" lint "$samples/pair-node1.conf" "$samples/pair-node2.conf" | sed 's/^/           /'

step "Lab up: n1 = keepalived 2.2.7 (priority 150), n2 = quorum-vip agent (priority 100), VRID 66, VIP $vip"
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

step "Summary"
printf '           %-48s %8s\n' "event" "ms"
printf '           %-48s %8d\n' "keepalived SIGTERM -> quorum-vip owns the VIP" "$graceful"
printf '           %-48s %8d\n' "keepalived back -> keepalived owns it again" "$preempt"
printf '           %-48s %8d\n' "keepalived crash -> quorum-vip owns the VIP" "$crash"

if [[ -t 0 && -z "${CI:-}" ]]; then
  step "The lab stays up: try 'scripts/qvip lab status --name $lab'. Press Enter to tear it down."
  read -r _ || true
fi
step "Tearing the lab down"
