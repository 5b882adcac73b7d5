#!/usr/bin/env bash
# qvip bench footprint [--seconds S] [--settle S] [--only keepalived|agent|agent-lease] [--counts "1 100"] [--name L]: idle memory and CPU of
# keepalived and of the quorum-vip agent without and with the quorum lease, with 1 and with 100 vrrp_instance
# blocks (--counts: any of 1-1000), two nodes per lab (n1 priority 150 sends the adverts, n2 priority 100 with the same config receives them).
# agent-lease adds a quorum block (the lab's 3 ZooKeeper servers, session_timeout 6000) and records ZooKeeper
# packets per second received by the ensemble (sum of mntr's zk_packets_received over the servers; both nodes).
#
# Per case: start both nodes, wait until n1 holds every VIP and n2 none, let them idle --settle seconds (default 15:
# JVM start-up out of the way; a JVM still compiles the methods that run a few times a second for about two minutes,
# so --settle 120 gives the steady state), then measure over S seconds (default 60): CPU time (utime + stime from /proc/PID/stat) and RSS
# (VmRSS from /proc/PID/status, largest of one sample every 5 s), both summed over every process of the daemon
# (keepalived: parent + VRRP child; agent: its JVM). The agent runs with the launcher's JVM options, or
# QVIP_JAVA_OPTS when set (recorded in the output).
# Instances i = 1..100: on eth0, VRID i, VIP 192.0.2.(199 + i) for i <= 51 (.200-.250), then .151-.199. Past 100
# (one interface holds 255 VRIDs, and 192.0.2.0/24 has no room for more VIPs), on veths vr1..vr4 joining n1 and n2
# directly (n1 198.51.100.24K, n2 198.51.100.24(K+5)): instance 100 + 225 (K - 1) + j on vrK, VRID j, VIP
# 198.51.100.j (j = 1..225; the same addresses on every vrK, each a separate kernel address on its own device).
#
# Output: a Markdown table on stdout, and lab-runs/bench/footprint-DATE.{json,md}. Lab name default qbp.
# Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly root
readonly lab=$root/scripts/lab.sh
readonly settle_timeout_s=90
readonly rss_sample_s=5
# Instances past this many go to the extra interfaces, this many to each.
readonly eth0_instances=100
readonly per_extra_interface=225
readonly max_instances=$((eth0_instances + 4 * per_extra_interface))

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,20s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench footprint: $*" >&2
  exit 1
}

seconds=60
idle_before_s=15
instance_counts=(1 100)
daemons=(keepalived agent agent-lease)
name=qbp
only=""
while (($# > 0)); do
  case "$1" in
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --settle) (($# >= 2)) || usage; idle_before_s=$2; shift 2 ;;
    --only) (($# >= 2)) || usage; daemons=("$2"); only=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    --counts) (($# >= 2)) || usage; read -r -a instance_counts <<<"$2"; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench footprint: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench footprint: --seconds got '$seconds' (expected 1-9999)" >&2; usage; }
[[ "$idle_before_s" =~ ^[0-9]{1,4}$ ]] || { echo "bench footprint: --settle got '$idle_before_s' (expected 0-9999 seconds)" >&2; usage; }
[[ "${daemons[*]}" =~ ^(keepalived|agent|agent-lease)( agent agent-lease)?$ ]] || { echo "bench footprint: --only got '${daemons[*]}' (expected keepalived, agent or agent-lease)" >&2; usage; }
for count in "${instance_counts[@]}"; do
  [[ "$count" =~ ^[1-9][0-9]{0,3}$ ]] && ((count <= max_instances)) \
    || { echo "bench footprint: --counts got '$count' (expected 1-$max_instances per case: 100 on eth0, $per_extra_interface on each of vr1..vr4)" >&2; usage; }
done
((${#instance_counts[@]} > 0)) || { echo "bench footprint: --counts got no count (expected e.g. \"1 100\")" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,6}$ ]] || { echo "bench footprint: --name got '$name' (expected qb + up to 6 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
for tool in keepalived jq ip; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done

state=/run/qvip-lab/$name
out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d /tmp/qvip-bench-footprint.XXXXXX)
clock_ticks=$(getconf CLK_TCK)

cleanup() {
  "$lab" down --name "$name" || true
  rm -rf "$work"
}
trap cleanup EXIT



vip_of() {
  local i=$1
  if ((i <= 51)); then echo "192.0.2.$((199 + i))"; else echo "192.0.2.$((99 + i))"; fi
}

# Instance i as "interface VRID VIP".
placement_of() {
  local i=$1 k j
  if ((i <= eth0_instances)); then
    echo "eth0 $i $(vip_of "$i")"
  else
    k=$(((i - eth0_instances - 1) / per_extra_interface + 1))
    j=$(((i - eth0_instances - 1) % per_extra_interface + 1))
    echo "vr$k $j 198.51.100.$j"
  fi
}

# The veths vr1..vrN between n1 and n2 that instances past eth0_instances need (none for fewer).
add_extra_interfaces() {
  local count=$1 k
  for ((k = 1; (k - 1) * per_extra_interface < count - eth0_instances; k++)); do
    ip -n "$name-n1" link add "vr$k" type veth peer name "vr$k" netns "$name-n2"
    ip -n "$name-n1" addr add "198.51.100.$((240 + k))/24" dev "vr$k"
    ip -n "$name-n2" addr add "198.51.100.$((245 + k))/24" dev "vr$k"
    ip -n "$name-n1" link set "vr$k" up
    ip -n "$name-n2" link set "vr$k" up
  done
}

lab_up() {
  local largest=0 count
  "$lab" up --name "$name" --nodes 2
  for count in "${instance_counts[@]}"; do ((count > largest)) && largest=$count; done
  add_extra_interfaces "$largest"
}

# write_config FILE COUNT PRIORITY STATE ROUTER_ID LEASE: LEASE 1 adds the quorum block.
write_config() {
  local file=$1 count=$2 priority=$3 initial=$4 router_id=$5 lease=$6 i interface vrid vip
  {
    printf 'global_defs {\n    router_id %s\n}\n' "$router_id"
    if ((lease)); then
      printf '\nquorum {\n    connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181\n    session_timeout 6000\n    zk_tick_time 200\n    path /quorum-vip/bench\n}\n'
    fi
    for ((i = 1; i <= count; i++)); do
      read -r interface vrid vip < <(placement_of "$i")
      cat <<CONF

vrrp_instance VI_$i {
    state $initial
    interface $interface
    virtual_router_id $vrid
    priority $priority
    advert_int 1
    authentication {
        auth_type PASS
        auth_pass 1111
    }
    virtual_ipaddress {
        $vip/24 dev $interface
    }
}
CONF
    done
  } >"$file"
}

vip_count() {
  ip -n "$name-$1" -o -4 addr show | awk '$2 == "eth0" && $4 ~ /^192\.0\.2\.(1[5-9][0-9]|2[0-4][0-9]|250)\// { n++ }
    $2 ~ /^vr[0-9]$/ && $4 ~ /^198\.51\.100\./ { split($4, a, /[.\/]/); if (a[4] <= 225) n++ } END { print n + 0 }'
}

daemon_pids() {
  local pid
  pid=$(cat "$state/$1/pid")
  echo "$pid"
  descendants "$pid"
}

rss_kb() {
  local pid total=0 kb
  for pid in "$@"; do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status") || fail "process $pid is gone while being measured"
    total=$((total + kb))
  done
  echo "$total"
}

threads() {
  local pid total=0 count
  for pid in "$@"; do
    count=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
    total=$((total + count))
  done
  echo "$total"
}

stop_daemon() {
  local pids
  mapfile -t pids < <(daemon_pids "$1")
  kill -TERM "${pids[@]}" 2>/dev/null || true
  await_exit 100 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
}

await_settled() {
  # A thousand latches are created one after the other: more instances, more time to settle.
  local count=$1 deadline=$((SECONDS + settle_timeout_s + count / 5))
  while ((SECONDS < deadline)); do
    if (($(vip_count n1) == count && $(vip_count n2) == 0)); then return 0; fi
    sleep 1
  done
  "$lab" status --name "$name" >&2 || true
  fail "n1 did not hold all $count VIPs (n2 none) within $((settle_timeout_s + count / 5)) s: n1 $(vip_count n1), n2 $(vip_count n2)"
}

# node_json DAEMON COUNT NODE ROLE CPU_TICKS RSS_KB ELAPSED_US PID...: one JSON line into $work/cases.jsonl;
# $zk_per_s (the pair's ZooKeeper packets per second, agent-lease only) goes along.
node_json() {
  local kind=$1 count=$2 node=$3 role=$4 ticks=$5 rss=$6 elapsed_us=$7
  shift 7
  jq -cn --arg daemon "$kind" --argjson instances "$count" --arg node "$node" --arg role "$role" \
    --argjson zk_per_s "${zk_per_s:-0}" \
    --argjson processes $# --argjson threads "$(threads "$@")" --argjson rss_kb "$rss" --argjson ticks "$ticks" \
    --argjson hz "$clock_ticks" --argjson elapsed_us "$elapsed_us" --arg cmdline "$(tr '\0' ' ' <"/proc/$1/cmdline")" '
    {daemon: $daemon, instances: $instances, node: $node, role: $role, processes: $processes, threads: $threads,
     rss_mib: ($rss_kb / 1024 | . * 10 | round / 10),
     cpu_s: ($ticks / $hz), cpu_s_per_min: ($ticks / $hz * 60e6 / $elapsed_us | . * 100 | round / 100),
     window_s: ($elapsed_us / 1e6 | . * 10 | round / 10), zk_packets_per_s_both_nodes: $zk_per_s,
     cmdline: $cmdline}' >>"$work/cases.jsonl"
  tail -n 1 "$work/cases.jsonl" >&2
}

# zk_packets_received: the ensemble's received packets so far, summed over its servers (mntr).
zk_packets_received() {
  local i total=0 n
  for i in 1 2 3; do
    n=$(ip netns exec "$name-zk$i" timeout 2 bash -c \
      "exec 3<>/dev/tcp/192.0.2.$((20 + i))/2181 && printf mntr >&3 && cat <&3" 2>/dev/null \
      | awk '$1 == "zk_packets_received" {print $2}')
    total=$((total + ${n:-0}))
  done
  echo "$total"
}

# measure DAEMON COUNT: one JSON line per node into $work/cases.jsonl.
measure() {
  local kind=$1 count=$2 node n1_pids n2_pids start_n1 start_n2 end_n1 end_n2 rss1=0 rss2=0 r elapsed_us t0 waited
  local lease=0 daemon=$1 zk_before=0 zk_after=0
  if [[ "$kind" == agent-lease ]]; then lease=1; daemon=agent; fi
  write_config "$work/n1.conf" "$count" 150 MASTER qb-n1 "$lease"
  write_config "$work/n2.conf" "$count" 100 BACKUP qb-n2 "$lease"
  "$lab" start --name "$name" --node n1 "--$daemon-config" "$work/n1.conf" >/dev/null
  "$lab" start --name "$name" --node n2 "--$daemon-config" "$work/n2.conf" >/dev/null
  await_settled "$count"
  sleep "$idle_before_s"
  mapfile -t n1_pids < <(daemon_pids n1)
  mapfile -t n2_pids < <(daemon_pids n2)
  ((lease)) && zk_before=$(zk_packets_received)
  t0=${EPOCHREALTIME/./}
  start_n1=$(cpu_ticks "${n1_pids[@]}")
  start_n2=$(cpu_ticks "${n2_pids[@]}")
  for ((waited = 0; waited < seconds; waited += rss_sample_s)); do
    r=$(rss_kb "${n1_pids[@]}"); ((r > rss1)) && rss1=$r
    r=$(rss_kb "${n2_pids[@]}"); ((r > rss2)) && rss2=$r
    sleep $((seconds - waited < rss_sample_s ? seconds - waited : rss_sample_s))
  done
  end_n1=$(cpu_ticks "${n1_pids[@]}")
  end_n2=$(cpu_ticks "${n2_pids[@]}")
  elapsed_us=$((${EPOCHREALTIME/./} - t0))
  ((lease)) && zk_after=$(zk_packets_received)
  zk_per_s=$(jq -n --argjson p $((zk_after - zk_before)) --argjson us "$elapsed_us" '$p * 1e6 / $us | . * 10 | round / 10')
  r=$(rss_kb "${n1_pids[@]}"); ((r > rss1)) && rss1=$r
  r=$(rss_kb "${n2_pids[@]}"); ((r > rss2)) && rss2=$r
  (($(vip_count n1) == count && $(vip_count n2) == 0)) \
    || echo "bench footprint: $kind x$count: ownership changed during the measurement (n1 $(vip_count n1), n2 $(vip_count n2) VIPs)" >&2
  node_json "$kind" "$count" n1 "master (sends adverts)" $((end_n1 - start_n1)) "$rss1" "$elapsed_us" "${n1_pids[@]}"
  node_json "$kind" "$count" n2 "backup (receives adverts)" $((end_n2 - start_n2)) "$rss2" "$elapsed_us" "${n2_pids[@]}"
  stop_daemon n1
  stop_daemon n2
  for node in n1 n2; do
    if (($(vip_count "$node") > 0)); then
      echo "bench footprint: $node still held $(vip_count "$node") VIPs after its $kind stopped; lab reset" >&2
      return 1
    fi
  done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
if [[ " ${daemons[*]} " == *" agent"* ]]; then "$root/scripts/qvip" build; fi
lab_up
: >"$work/cases.jsonl"
for kind in "${daemons[@]}"; do
  for count in "${instance_counts[@]}"; do
    echo "bench footprint: $kind with $count instance(s), ${seconds} s" >&2
    if ! measure "$kind" "$count"; then
      lab_up
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

json=$out_dir/footprint-$stamp.json
table=$out_dir/footprint-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "qvip bench footprint --seconds $seconds --settle $idle_before_s --counts '${instance_counts[*]}'${only:+ --only $only}" \
  --argjson cores "$(nproc)" --arg kernel "$(uname -r)" --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg keepalived "$(keepalived --version 2>&1 | head -n 1)" --arg java_opts "${QVIP_JAVA_OPTS-launcher default}" \
  --arg agent "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" '
  {benchmark: "footprint", date: $date, command: $command,
   machine: {cores: $cores, kernel: $kernel, load_average_before: $load_before, load_average_after: $load_after},
   keepalived: $keepalived, agent_commit: $agent, agent_java_opts: $java_opts, results: .}' "$work/cases.jsonl" >"$json"
jq -r '
  "| daemon | instances | node | processes / threads | RSS, MiB (max) | CPU, s per minute | ZooKeeper packets/s (both nodes) |",
  "|---|---:|---|---|---:|---:|---:|",
  (.results[] | "| \(.daemon) | \(.instances) | \(.node) \(.role) | \(.processes) / \(.threads) | \(.rss_mib) | \(.cpu_s_per_min) | \(.zk_packets_per_s_both_nodes) |")' \
  "$json" >"$table"
{
  echo
  echo "Idle footprint over ${seconds} s after ${idle_before_s} s of settling; $(nproc) cores, load average $load_before before, $load_after after."
  cat "$table"
  echo "(raw: $json)"
}
