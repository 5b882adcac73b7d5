#!/usr/bin/env bash
# qvip bench fleet [--pairs P] [--instances N] [--seconds S] [--name L]: what one 3-server ZooKeeper ensemble pays
# for a fleet of leased agents, so the docs can say how many nodes one ensemble carries. P pairs of agents (default
# 10, so 20 agents), each agent with N leased vrrp_instance blocks (default 100), all against the lab's ensemble.
#
# The agents share the lab's two node namespaces: pair p runs one agent in n1 (priority 150, the master) and one in
# n2 (priority 100), on a veth vrP of its own joining n1 and n2 (n1 198.51.100.(200 + p), n2 198.51.100.(220 + p)),
# VRIDs 1..N, VIPs 198.51.100.1..N on vrP, lease path /quorum-vip/fleetP, session_timeout 6000, HTTP on
# 127.0.0.1:(9200 + p) in its namespace, no packet capture (the fleet's subject is the ensemble; 20 captures would
# only load the shared machine).
#
# Two windows of S seconds (default 60): the ensemble alone (no agent), then the fleet, once every pair has settled
# (n1 holds all P x N VIPs, n2 none) and idled 15 s. Per ZooKeeper server and window: CPU time (utime + stime,
# /proc/PID/stat), RSS, and from mntr the growth of zk_packets_received and zk_packets_sent per second, the
# connections, znodes and average / maximum latency. The agents' CPU is summed over all of them.
#
# Output: a Markdown table on stdout, and lab-runs/bench/fleet-DATE.{json,md}. Lab name default qbfl.
# Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly lab=$root/scripts/lab.sh
readonly idle_before_s=15
readonly session_timeout=6000

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench fleet: $*" >&2
  exit 1
}

pairs=10
instances=100
seconds=60
name=qbfl
while (($# > 0)); do
  case "$1" in
    --pairs) (($# >= 2)) || usage; pairs=$2; shift 2 ;;
    --instances) (($# >= 2)) || usage; instances=$2; shift 2 ;;
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench fleet: unknown argument '$1'" >&2; usage ;;
  esac
done
# Pairs up to 19 keep the veths' addresses (198.51.100.201-219 and .221-239) apart; VIPs .1-.199 below them.
[[ "$pairs" =~ ^[1-9][0-9]?$ ]] && ((pairs <= 19)) || { echo "bench fleet: --pairs got '$pairs' (expected 1-19)" >&2; usage; }
[[ "$instances" =~ ^[1-9][0-9]{0,2}$ ]] && ((instances <= 199)) \
  || { echo "bench fleet: --instances got '$instances' (expected 1-199: VIPs 198.51.100.1-199 on each pair's veth)" >&2; usage; }
[[ "$seconds" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench fleet: --seconds got '$seconds' (expected 1-9999)" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,6}$ ]] || { echo "bench fleet: --name got '$name' (expected qb + up to 6 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
for tool in jq ip java; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done

state=/run/qvip-lab/$name
out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d /tmp/qvip-bench-fleet.XXXXXX)
clock_ticks=$(getconf CLK_TCK)
agent_pids=()

cleanup() {
  local pid
  for pid in "${agent_pids[@]}"; do
    is_running "$pid" && kill -TERM "$pid" 2>/dev/null || true
  done
  ((${#agent_pids[@]} == 0)) || await_exit 150 "${agent_pids[@]}" || kill -KILL "${agent_pids[@]}" 2>/dev/null || true
  "$lab" down --name "$name" || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# write_config FILE PAIR PRIORITY STATE
write_config() {
  local file=$1 pair=$2 priority=$3 initial=$4 i
  {
    printf 'global_defs {\n    router_id fleet%s-%s\n}\n' "$pair" "$priority"
    printf '\nquorum {\n    connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181\n    session_timeout %s\n    zk_tick_time 200\n    path /quorum-vip/fleet%s\n}\n' \
      "$session_timeout" "$pair"
    for ((i = 1; i <= instances; i++)); do
      cat <<CONF

vrrp_instance VI_$i {
    state $initial
    interface vr$pair
    virtual_router_id $i
    priority $priority
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        198.51.100.$i/24 dev vr$pair
    }
}
CONF
    done
  } >"$file"
}

add_pair_interfaces() {
  local p
  for ((p = 1; p <= pairs; p++)); do
    ip -n "$name-n1" link add "vr$p" type veth peer name "vr$p" netns "$name-n2"
    ip -n "$name-n1" addr add "198.51.100.$((200 + p))/24" dev "vr$p"
    ip -n "$name-n2" addr add "198.51.100.$((220 + p))/24" dev "vr$p"
    ip -n "$name-n1" link set "vr$p" up
    ip -n "$name-n2" link set "vr$p" up
  done
}

# start_agent NODE PAIR: one agent of the pair in the node's namespace; its PID joins agent_pids.
start_agent() {
  local node=$1 pair=$2 dir=$work/$1-$2 priority=100 initial=BACKUP
  [[ "$node" == n1 ]] && { priority=150; initial=MASTER; }
  mkdir -p "$dir"
  write_config "$dir/agent.conf" "$pair" "$priority" "$initial"
  setsid ip netns exec "$name-$node" "$root/scripts/qvip" agent --config "$dir/agent.conf" \
    --http "127.0.0.1:$((9200 + pair))" --node-id "$node-fleet$pair" --journal "$dir/journal" --no-capture \
    </dev/null >"$dir/agent.log" 2>&1 &
  agent_pids+=($!)
}

vip_count() {
  ip -n "$name-$1" -o -4 addr show | awk -v max="$instances" '$2 ~ /^vr[0-9]+$/ && $4 ~ /^198\.51\.100\./ {
    split($4, a, /[.\/]/); if (a[4] <= max) n++ } END { print n + 0 }'
}

await_settled() {
  local want=$((pairs * instances)) deadline=$((SECONDS + 120 + pairs * instances / 10)) pid
  while ((SECONDS < deadline)); do
    for pid in "${agent_pids[@]}"; do
      is_running "$pid" || fail "agent $pid exited (logs: $work/n*-*/agent.log): $(tail -n 3 "$work"/n*-*/agent.log | head -c 600)"
    done
    (($(vip_count n1) == want && $(vip_count n2) == 0)) && return 0
    sleep 2
  done
  fail "n1 did not hold all $want VIPs (n2 none) in time: n1 $(vip_count n1), n2 $(vip_count n2)"
}

mntr() {
  local i=$1
  ip netns exec "$name-zk$i" timeout 2 bash -c \
    "exec 3<>/dev/tcp/192.0.2.$((20 + i))/2181 && printf mntr >&3 && cat <&3" 2>/dev/null || true
}

zk_pid() {
  cat "$state/zk$1/pid"
}

# window PHASE: measures the ensemble (and the agents, if any) for $seconds; one JSON line per server into
# $work/servers.jsonl.
window() {
  local phase=$1 i t0 elapsed_us agents_before=0 agents_after=0
  local -a before_ticks after_ticks
  for i in 1 2 3; do
    mntr "$i" >"$work/mntr-$phase-$i-before"
    before_ticks[i]=$(cpu_ticks "$(zk_pid "$i")")
  done
  ((${#agent_pids[@]} == 0)) || agents_before=$(cpu_ticks "${agent_pids[@]}")
  t0=${EPOCHREALTIME/./}
  sleep "$seconds"
  for i in 1 2 3; do
    after_ticks[i]=$(cpu_ticks "$(zk_pid "$i")")
    mntr "$i" >"$work/mntr-$phase-$i-after"
  done
  ((${#agent_pids[@]} == 0)) || agents_after=$(cpu_ticks "${agent_pids[@]}")
  elapsed_us=$((${EPOCHREALTIME/./} - t0))
  for i in 1 2 3; do
    jq -cn --arg phase "$phase" --argjson server "$i" --argjson agents "${#agent_pids[@]}" \
      --argjson ticks $((after_ticks[i] - before_ticks[i])) --argjson hz "$clock_ticks" \
      --argjson agent_ticks $((agents_after - agents_before)) --argjson elapsed_us "$elapsed_us" \
      --argjson rss_kb "$(awk '/^VmRSS:/ {print $2}' "/proc/$(zk_pid "$i")/status")" \
      --rawfile before "$work/mntr-$phase-$i-before" --rawfile after "$work/mntr-$phase-$i-after" '
      def fields: split("\n") | map(select(. != "") | split("\t") | {(.[0]): .[1]}) | add // {};
      ($before | fields) as $b | ($after | fields) as $a
      | def num(k): $a[k] | if . == null then null else tonumber end;
        def rate(k): if $a[k] == null or $b[k] == null then null
          else (($a[k] | tonumber) - ($b[k] | tonumber)) * 1e6 / $elapsed_us | . * 10 | round / 10 end;
      {phase: $phase, agents: $agents, server: "zk\($server)", mode: $a.zk_server_state,
       cpu_s_per_min: ($ticks / $hz * 60e6 / $elapsed_us | . * 100 | round / 100),
       rss_mib: ($rss_kb / 1024 | . * 10 | round / 10),
       packets_received_per_s: rate("zk_packets_received"), packets_sent_per_s: rate("zk_packets_sent"),
       connections: num("zk_num_alive_connections"), znodes: num("zk_znode_count"),
       latency_avg_ms: num("zk_avg_latency"), latency_max_ms: num("zk_max_latency"),
       agents_cpu_s_per_min: ($agent_ticks / $hz * 60e6 / $elapsed_us | . * 100 | round / 100),
       window_s: ($elapsed_us / 1e6 | . * 10 | round / 10)}' >>"$work/servers.jsonl"
    tail -n 1 "$work/servers.jsonl" >&2
  done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$root/scripts/qvip" build
"$lab" up --name "$name" --nodes 2 --zk 3
add_pair_interfaces
: >"$work/servers.jsonl"
echo "bench fleet: the ensemble alone, ${seconds} s" >&2
window alone
echo "bench fleet: starting $pairs pairs of agents, $instances leased instances each" >&2
for ((p = 1; p <= pairs; p++)); do
  start_agent n1 "$p"
  start_agent n2 "$p"
done
await_settled
sleep "$idle_before_s"
load_fleet=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench fleet: $((2 * pairs)) agents settled, ${seconds} s" >&2
window fleet
(($(vip_count n1) == pairs * instances && $(vip_count n2) == 0)) \
  || echo "bench fleet: ownership changed during the measurement (n1 $(vip_count n1), n2 $(vip_count n2) VIPs)" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

command="qvip bench fleet --pairs $pairs --instances $instances --seconds $seconds"
json=$out_dir/fleet-$stamp.json
table=$out_dir/fleet-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "$command" \
  --argjson cores "$(nproc)" --arg kernel "$(uname -r)" --arg load_before "$load_before" \
  --arg load_fleet "$load_fleet" --arg load_after "$load_after" \
  --arg agent "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" '
  {benchmark: "fleet", date: $date, command: $command, agent_commit: $agent,
   machine: {cores: $cores, kernel: $kernel, load_average_before: $load_before,
             load_average_fleet_settled: $load_fleet, load_average_after: $load_after},
   ensemble: "3 ZooKeeper servers, tickTime 200 ms (scripts/lab.sh)", session_timeout_ms: '"$session_timeout"',
   results: .}' "$work/servers.jsonl" >"$json"
jq -r '
  "| window | agents | server | mode | CPU, s per minute | RSS, MiB | packets in / out per s | connections | znodes | latency avg / max, ms |",
  "|---|---:|---|---|---:|---:|---:|---:|---:|---:|",
  (.results[] | "| \(.phase) | \(.agents) | \(.server) | \(.mode) | \(.cpu_s_per_min) | \(.rss_mib) | \(.packets_received_per_s) / \(.packets_sent_per_s) | \(.connections) | \(.znodes) | \(.latency_avg_ms) / \(.latency_max_ms) |"),
  "",
  (.results | group_by(.phase) | map("\(.[0].phase): ensemble \(map(.cpu_s_per_min) | add | . * 100 | round / 100) s CPU per minute, \(map(.packets_received_per_s) | add | . * 10 | round / 10) packets/s in; \(.[0].agents) agents \(.[0].agents_cpu_s_per_min) s CPU per minute together") | .[])' \
  "$json" >"$table"
{
  echo
  echo "ZooKeeper ensemble under a fleet of leased agents, ${seconds} s windows; $(nproc) cores, load average $load_before before, $load_fleet with the fleet settled, $load_after after."
  cat "$table"
  echo "(raw: $json)"
}
