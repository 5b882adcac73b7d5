#!/usr/bin/env bash
# qvip bench failover [--trials N] [--long-trials N] [--setups LIST] [--faults LIST] [--session-timeout MS]
# [--name L]: fail-over of a
# keepalived pair, an agent pair without quorum and an agent pair with the quorum lease, in one lab, same run, same
# VRRP configs (shared/keepalived-samples/pair-node{1,2}.conf: VRID 66, priority 150/100; the leased pair adds a
# quorum block for the lab's 3 ZooKeeper servers, session_timeout 6000 unless --session-timeout says otherwise).
#
# Faults, each injected on n1 just after one of its adverts (predicted from a capture in n2's namespace; the real
# offset is reported): hard_kill (SIGSTOP then SIGKILL every process of the daemon), graceful (SIGTERM), partition
# (VRRP, IP protocol 112, dropped both ways on n1 by nftables for 10 s, then healed), pause (SIGSTOP every process
# of the daemon for 20 s, then SIGCONT); only when asked for, with --setups leased: zk_leader_kill (SIGKILL to the
# ZooKeeper leader, restarted S + 1 s later: any drop of the VIP by n1 is a flap) and zk_leader_isolate (nftables
# drops everything in and out of the leader's namespace for S + 1 s, as when its host dies or its network goes:
# no RST tells the clients, they wait for their timeouts). Both kernels are polled with `ip -n` every 20 ms; after a partition or a
# pause ends, the client's ARP entry for the VIP too (a UDP sender in the client namespace keeps it in use), and
# then the client ARPs for the VIP once. Between trials n1 is restored: a VIP left in a dead node's kernel is removed
# by hand (counted), the daemon is started again, and the next trial waits until n1 owns the VIP and n2 is BACKUP
# (leased: until n1 holds the lease too). A double ownership with the lease stops the run and keeps the evidence.
#
#   --trials N        trials per setup and fault (default 5)
#   --long-trials N   trials for partition, pause and the zk_ faults (default: --trials)
#   --setups LIST     comma-separated, from keepalived,agent,leased (default all)
#   --faults LIST     comma-separated, from hard_kill,graceful,partition,pause,zk_leader_kill,zk_leader_isolate
#                     (default all but the zk_ ones)
#   --session-timeout MS  the leased pair's quorum session_timeout (default 6000, the agent's default)
#   --zk-tick MS      the lab's ZooKeeper tickTime (default 200; 2000 is ZooKeeper's sample config)
#
# Output: a Markdown table (median of N, min-max) on stdout, and lab-runs/bench/failover-DATE.{json,md}.
# Lab name default qbf (labs made by benchmarks start with qb). Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME and tshark print their decimal point as '.'

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
# shellcheck source=lib/pair.sh
source "$root/scripts/lib/pair.sh"
readonly root
readonly lab=$root/scripts/lab.sh
readonly vip=192.0.2.200
readonly n1_address=192.0.2.11
readonly agent_http=127.0.0.1:9110
readonly poll_us=20000
# After n2 first shows the VIP, keep polling this long to see whether n1 still holds it too.
readonly watch_after_takeover_us=2000000
# The slowest take-over expected is max(3 x advert_int + skew, S) = 4 s; past this the trial has no take-over.
readonly takeover_timeout_us=10000000
readonly partition_us=10000000
readonly pause_us=20000000
# After a partition heals or a pause ends: long enough for preemption and the announcements to settle.
readonly after_fault_end_us=6000000
readonly settle_timeout_s=30
# advert_int of the pair samples.
readonly advert_interval_us=1000000
readonly fault_after_advert_us=10000
readonly nft_table=qvip_bench
readonly all_setups="keepalived agent leased"
readonly all_faults="hard_kill graceful partition pause"
# Faults run only when named: they need the ZooKeeper ensemble, which only the leased setup has.
readonly known_faults="$all_faults zk_leader_kill zk_leader_isolate"
readonly zk_nft_table=qvip_bench_zk
# After the killed ZooKeeper leader is restarted: long enough to see a late drop or re-acquisition.
readonly after_leader_restart_us=2000000

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,29s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench failover: $*" >&2
  exit 1
}

trials=5
long_trials=""
setups_arg=${all_setups// /,}
faults_arg=${all_faults// /,}
name=qbf
session_timeout=6000
zk_tick=200
while (($# > 0)); do
  case "$1" in
    --trials) (($# >= 2)) || usage; trials=$2; shift 2 ;;
    --long-trials) (($# >= 2)) || usage; long_trials=$2; shift 2 ;;
    --setups) (($# >= 2)) || usage; setups_arg=$2; shift 2 ;;
    --faults) (($# >= 2)) || usage; faults_arg=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    --session-timeout) (($# >= 2)) || usage; session_timeout=$2; shift 2 ;;
    --zk-tick) (($# >= 2)) || usage; zk_tick=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench failover: unknown argument '$1'" >&2; usage ;;
  esac
done
long_trials=${long_trials:-$trials}
[[ "$session_timeout" =~ ^[0-9]{4,6}$ ]] && ((session_timeout >= 3000)) \
  || { echo "bench failover: --session-timeout got '$session_timeout' (expected milliseconds, at least 3000)" >&2; usage; }
[[ "$zk_tick" =~ ^[1-9][0-9]{2,3}$ ]] && ((zk_tick <= 3000)) \
  || { echo "bench failover: --zk-tick got '$zk_tick' (expected 100-3000 milliseconds)" >&2; usage; }
[[ "$trials" =~ ^[1-9][0-9]?$ ]] || { echo "bench failover: --trials got '$trials' (expected 1-99)" >&2; usage; }
[[ "$long_trials" =~ ^[1-9][0-9]?$ ]] || { echo "bench failover: --long-trials got '$long_trials' (expected 1-99)" >&2; usage; }
setups=$(pick "$setups_arg" "$all_setups") \
  || { echo "bench failover: --setups got '$setups_arg' (expected a comma-separated list of ${all_setups// /, })" >&2; usage; }
faults=$(pick "$faults_arg" "$known_faults") \
  || { echo "bench failover: --faults got '$faults_arg' (expected a comma-separated list of ${known_faults// /, })" >&2; usage; }
[[ " $faults " != *" zk_"* || "$setups" == leased ]] \
  || { echo "bench failover: --faults zk_leader_kill and zk_leader_isolate need --setups leased (got '$setups_arg'): only the leased pair has ZooKeeper" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,6}$ ]] || { echo "bench failover: --name got '$name' (expected qb + up to 6 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
for tool in keepalived tshark jq ip nft arping curl; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done
shared=${QVIP_SHARED:-$root/../shared}
conf1=$shared/keepalived-samples/pair-node1.conf
conf2=$shared/keepalived-samples/pair-node2.conf
[[ -f "$conf1" && -f "$conf2" ]] || fail "samples not found: $conf1, $conf2 (put shared/ beside the repository or set QVIP_SHARED)"

state=/run/qvip-lab/$name
out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d /tmp/qvip-bench-failover.XXXXXX)
capture_pid=""
client_pid=""
paused_pids=()
killed_zk=""
isolated_zk=""
zk_starter_pid=""
latest_advert_us=0
previous_advert_us=0

cleanup() {
  # A daemon left frozen by an interrupted pause could not act on the lab's SIGTERM.
  ((${#paused_pids[@]} == 0)) || kill -CONT "${paused_pids[@]}" 2>/dev/null || true
  [[ -z "$killed_zk" ]] || "$lab" start --name "$name" --zk-server "${killed_zk#zk}" >/dev/null 2>&1 || true
  [[ -z "$isolated_zk" ]] || ip netns exec "$name-$isolated_zk" nft delete table inet "$zk_nft_table" 2>/dev/null || true
  [[ -z "$client_pid" ]] || stop_tree "$client_pid"
  [[ -z "$capture_pid" ]] || stop_tree "$capture_pid"
  "$lab" down --name "$name" || true
  rm -rf "$work"
}
trap cleanup EXIT

# tshark prints one line per advert from n1: "epoch-seconds<TAB>priority".
start_capture() {
  coproc capture { exec ip netns exec "$name-n2" tshark -l -n -i eth0 -f "ip proto 112 and src host $n1_address" \
    -T fields -e frame.time_epoch -e vrrp.prio 2>"$work/tshark.log"; }
  capture_pid=$capture_PID
}

# Takes every advert line tshark has printed so far; latest_advert_us becomes the newest advert from n1 with a real
# priority (not its priority-0 goodbye) sent no later than $1 (microseconds since the epoch).
take_adverts() {
  local limit=$1 line
  while read -r -t 0 -u "${capture[0]}"; do
    read -r -u "${capture[0]}" line || break
    note_advert "$line" "$limit"
  done
}

note_advert() {
  local line=$1 limit=$2 seconds fraction us
  seconds=${line%%.*}
  fraction=${line#*.}
  fraction=${fraction%%$'\t'*}000000
  us=$((10#$seconds${fraction:0:6}))
  if [[ "${line##*$'\t'}" != 0 ]] && ((us <= limit && us > latest_advert_us)); then
    previous_advert_us=$latest_advert_us
    latest_advert_us=$us
  fi
}

# tshark hands packets over in batches (dumpcap's read timeout): a line arrives 0.1-0.6 s after its advert, too late
# to react to. The adverts are periodic, so once the last two were one interval apart (a master that just took over
# may not be in step yet), the next one is predicted and the fault is injected fault_after_advert_us after it;
# run_trial then measures the real offset from the capture.
await_injection_time() {
  local line deadline now
  take_adverts "$(now_us)"
  deadline=$(($(now_us) + 5000000))
  while (($(now_us) - latest_advert_us > 1500000)) \
    || ((latest_advert_us - previous_advert_us - advert_interval_us > 50000)) \
    || ((previous_advert_us - latest_advert_us + advert_interval_us > 50000)); do
    (($(now_us) < deadline)) || fail "no steady adverts from n1 ($n1_address) seen in n2's namespace within 5 s (tshark log: $(tail -n 3 "$work/tshark.log"))"
    read -r -t 1 -u "${capture[0]}" line || continue
    note_advert "$line" "$(now_us)"
  done
  now=$(now_us)
  injection_us=$((latest_advert_us + ((now + 20000 - latest_advert_us) / advert_interval_us + 1) * advert_interval_us
    + fault_after_advert_us))
}

begin_fault() {
  local fault=$1 pid=$2
  shift 2
  case "$fault" in
    hard_kill)
      kill -STOP "$@"
      kill -KILL "$@"
      ;;
    graceful) kill -TERM "$pid" ;;
    partition)
      ip netns exec "$name-n1" nft -f - <<NFT
table ip $nft_table {
  chain input { type filter hook input priority 0; policy accept; ip protocol 112 drop; }
  chain output { type filter hook output priority 0; policy accept; ip protocol 112 drop; }
}
NFT
      ;;
    pause)
      paused_pids=("$@")
      kill -STOP "$@"
      ;;
    zk_leader_kill)
      kill -KILL "$(cat "$state/$leader/pid")"
      killed_zk=$leader
      ;;
    zk_leader_isolate)
      ip netns exec "$name-$leader" nft -f - <<NFT
table inet $zk_nft_table {
  chain input { type filter hook input priority 0; policy drop; iif lo accept; }
  chain output { type filter hook output priority 0; policy drop; oif lo accept; }
}
NFT
      isolated_zk=$leader
      ;;
  esac
}

end_fault() {
  case "$1" in
    partition) ip netns exec "$name-n1" nft delete table ip "$nft_table" ;;
    pause)
      kill -CONT "${paused_pids[@]}"
      paused_pids=()
      ;;
    zk_leader_kill)
      # In the background: lab start watches the new server for a second, a gap the polls must not have.
      "$lab" start --name "$name" --zk-server "${killed_zk#zk}" >/dev/null &
      zk_starter_pid=$!
      killed_zk=""
      ;;
    zk_leader_isolate)
      ip netns exec "$name-$isolated_zk" nft delete table inet "$zk_nft_table"
      isolated_zk=""
      ;;
  esac
}

zk_leader() {
  "$lab" status --name "$name" | jq -r '.zookeeper[] | select(.mode == "leader") | .server'
}

# 0 once every ZooKeeper server of the lab serves as leader or follower (a restarted one has rejoined), within 30 s:
# killing the next leader before that would take the quorum away, not just the leader.
await_ensemble() {
  local deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)); do
    [[ "$("$lab" status --name "$name" | jq -r '[.zookeeper[] | .mode] | length == 3 and all(. == "leader" or . == "follower")')" == true ]] \
      && return 0
    sleep 0.5
  done
  return 1
}

# Keeps what shows a double ownership with the lease (it must never happen) before n1 is restarted over it.
keep_evidence() {
  local setup=$1 fault=$2 trial=$3 dir node
  shift 3
  dir=$out_dir/failover-$stamp-double-ownership-$setup-$fault-$trial
  mkdir -p "$dir"
  for node in n1 n2; do
    cp "$state/$node/agent.log" "$dir/$node-agent.log" 2>/dev/null || true
    cp -r "$state/$node/journal" "$dir/$node-journal" 2>/dev/null || true
    ip netns exec "$name-$node" curl -s --max-time 1 "http://$agent_http/v1/status" >"$dir/$node-status.json" || true
  done
  printf '%s\n' "$@" >"$dir/polls.txt"
  cp "$work/trials.jsonl" "$dir/"
  fail "$setup, $fault, trial $trial: both nodes held $vip at once with the quorum lease; evidence (agent logs, journals, polls 'time_us n1 n2 client_mac') in $dir"
}

# One trial: fault on n1, poll both kernels (and the client's ARP entry once the fault has ended), ARP from the
# client, restore n1, append one JSON line to $work/trials.jsonl.
run_trial() {
  local setup=$1 fault=$2 trial=$3 pid pids fault_us fault_length_us="" fault_end_us="" t line mac n1_vip n2_vip
  local polls=() first_n2="" both_seen=false k=1 arp_answers="" stale_removed=false pair_restarted=false
  local after_end_us=$after_fault_end_us leader=""
  pid=$(daemon_pid n1)
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  case "$fault" in
    partition) fault_length_us=$partition_us ;;
    pause) fault_length_us=$pause_us ;;
    zk_leader_kill | zk_leader_isolate)
      # Found before the injection time is awaited: lab status asks every server, which takes a while.
      leader=$(zk_leader)
      [[ -n "$leader" ]] || fail "zk_leader_kill: no ZooKeeper server of lab $name says it is the leader ($state/zk*/zookeeper.log)"
      # A flap happens within S of the kill (the lease lapses S - margin after the last answer) or not at all.
      fault_length_us=$(((session_timeout + 1000) * 1000))
      after_end_us=$after_leader_restart_us
      ;;
  esac
  await_injection_time
  sleep_until_us "$injection_us"
  fault_us=$(now_us)
  begin_fault "$fault" "$pid" "${pids[@]}"

  while :; do
    sleep_until_us $((fault_us + k * poll_us))
    k=$((k + 1))
    t=$(now_us)
    n1_vip=0 n2_vip=0 mac=-
    has_vip n2 && n2_vip=1
    has_vip n1 && n1_vip=1
    if [[ -n "$fault_end_us" ]]; then
      line=$(ip -n "$name-client" neigh show "$vip" dev eth0)
      [[ "$line" =~ lladdr\ ([0-9a-f:]+) ]] && mac=${BASH_REMATCH[1]}
    fi
    polls+=("$t $n1_vip $n2_vip $mac")
    [[ "$n1_vip$n2_vip" == 11 ]] && both_seen=true
    [[ -z "$first_n2" && "$n2_vip" == 1 ]] && first_n2=$t
    if [[ -n "$fault_length_us" ]]; then
      if [[ -z "$fault_end_us" ]] && ((t - fault_us >= fault_length_us)); then
        end_fault "$fault"
        fault_end_us=$(now_us)
      fi
      if [[ -n "$fault_end_us" ]] && ((t - fault_end_us >= after_end_us)); then break; fi
    else
      if [[ -n "$first_n2" ]] && ((t - first_n2 >= watch_after_takeover_us)); then break; fi
      if ((t - fault_us >= takeover_timeout_us)); then break; fi
    fi
  done
  if [[ -n "$fault_end_us" ]]; then
    arp_answers=$(ip netns exec "$name-client" arping -c 2 -w 2 -i eth0 "$vip" 2>/dev/null \
      | grep -oE '([0-9a-f]{2}:){5}[0-9a-f]{2}' | sort -u | tr '\n' ' ' || true)
  fi
  if [[ "$setup" == leased && "$both_seen" == true ]]; then
    keep_evidence "$setup" "$fault" "$trial" "${polls[@]}"
  fi

  take_adverts "$fault_us"
  if [[ "$fault" == hard_kill || "$fault" == graceful ]]; then
    await_exit 100 "${pids[@]}" || fail "$setup on n1 (pid $pid) still runs 10 s after the $fault"
    remove_leftover_vip n1
    start_daemon n1 "$setup"
  fi
  if ! await_steady "$setup"; then
    echo "bench failover: $setup pair not back to n1 MASTER with $vip within ${settle_timeout_s} s after $fault trial $trial; restarting both daemons" >&2
    "$lab" status --name "$name" >&2 || true
    restart_pair "$setup" || fail "$setup pair: n1 did not become MASTER with $vip (n2 BACKUP without it) within ${settle_timeout_s} s of a restart"
  fi
  if [[ "$fault" == zk_leader_kill ]]; then
    wait "$zk_starter_pid" || fail "zk_leader_kill: restarting $leader failed (log: $state/$leader/zookeeper.log)"
    zk_starter_pid=""
  fi
  if [[ "$fault" == zk_* ]]; then
    await_ensemble || fail "the ZooKeeper ensemble of lab $name has not 3 serving servers 30 s after $leader came back (logs: $state/zk*/zookeeper.log)"
  fi

  printf '%s\n' "${polls[@]}" >"$work/polls"
  jq -cn --arg setup "$setup" --arg daemon "$(daemon_of "$setup")" --arg fault "$fault" --argjson trial "$trial" \
    --argjson fault_us "$fault_us" --arg fault_end_us "$fault_end_us" --argjson advert_us "$latest_advert_us" \
    --arg mac1 "$mac1" --arg mac2 "$mac2" --arg arp "$arp_answers" --argjson stale "$stale_removed" \
    --argjson restarted "$pair_restarted" --rawfile polls "$work/polls" '
      def sec: . / 1e6 | . * 1000 | round / 1000;
      def ms1: . / 1000 | . * 10 | round / 10;
      {($mac1): "n1", ($mac2): "n2"} as $names
      | def holders: if .n1 and .n2 then "n1+n2" elif .n1 then "n1" elif .n2 then "n2" else "none" end;
        def misdirected: .mac != "-" and (.[$names[.mac] // "unknown"] | not);
      ($polls | split("\n") | map(select(. != "") | split(" ")
        | {t: (.[0] | tonumber), n1: (.[1] == "1"), n2: (.[2] == "1"), mac: .[3]})) as $p
      | ($fault_end_us | if . == "" then null else tonumber end) as $ended
      | [range(0; ($p | length) - 1) as $i | $p[$i] + {dt: ($p[$i + 1].t - $p[$i].t)}] as $spans
      | ([$fault_us] + ($p | map(.t))) as $ts | [range(1; $ts | length) as $i | $ts[$i] - $ts[$i - 1]] | sort as $g
      | ($p | map(select(.n2)) | first | .t?) as $n2
      | ($p | map(select(.n1 | not)) | first | .t?) as $n1_gone
      | ([{n1: true, n2: false}] + $p) as $seq
      | {setup: $setup, daemon: $daemon, fault: $fault, trial: $trial,
         takeover_s: (if $n2 == null then null else ($n2 - $fault_us | sec) end),
         no_owner_s: ($spans | map(select((.n1 or .n2) | not) | .dt) | add // 0 | sec),
         both_own_s: ($spans | map(select(.n1 and .n2) | .dt) | add // 0 | sec),
         both_own_at_end: ($p[-1] | .n1 and .n2),
         old_owner_dropped_s: (if $n1_gone == null then null else ($n1_gone - $fault_us | sec) end),
         owner_changes: ([range(1; $seq | length) as $i
           | ($seq[$i].n1 and ($seq[$i - 1].n1 | not)), ($seq[$i].n2 and ($seq[$i - 1].n2 | not)) | select(.)] | length),
         fault_end_s: (if $ended == null then null else ($ended - $fault_us | sec) end),
         client_misdirected_s: (if $ended == null then null
           else ($spans | map(select(.t >= $ended and misdirected) | .dt) | add // 0 | sec) end),
         client_misdirected_at_end: (if $ended == null then null else ($p[-1] | misdirected) end),
         client_entry_at_end: (if $ended == null then null else ($p[-1].mac | if . == "-" then "none" else $names[.] // . end) end),
         arp_answers_after: (if $ended == null then null
           else ($arp | split(" ") | map(select(. != "") | $names[.] // .) | sort) end),
         advert_to_fault_ms: ($fault_us - $advert_us | ms1),
         polls: ($g | length),
         poll_gap_median_ms: ($g[($g | length) / 2 | floor] | ms1),
         poll_gap_max_ms: ($g[-1] | ms1),
         stale_vip_removed_by_hand: $stale,
         pair_restarted: $restarted,
         timeline_ms: [range(0; $p | length) as $i
           | select($i == 0 or ($p[$i] | [holders, .mac]) != ($p[$i - 1] | [holders, .mac]))
           | [($p[$i].t - $fault_us) / 1000 | round, ($p[$i] | holders)
              + (if $p[$i].mac == "-" then "" else ", client -> \($names[$p[$i].mac] // $p[$i].mac)" end)]]}' \
    >>"$work/trials.jsonl"
  tail -n 1 "$work/trials.jsonl" | jq -c 'del(.timeline_ms)' >&2
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$root/scripts/qvip" build
zk_servers=0
[[ " $setups " == *" leased "* ]] && zk_servers=3
"$lab" up --name "$name" --nodes 2 --zk "$zk_servers" --zk-tick "$zk_tick"
mac1=$(mac_of n1)
mac2=$(mac_of n2)
start_capture
start_client
load_samples=()
: >"$work/trials.jsonl"
for setup in $setups; do
  echo "bench failover: $setup pair; $trials trials per fault, $long_trials for partition and pause" >&2
  start_daemon n1 "$setup"
  start_daemon n2 "$setup"
  await_steady "$setup" || fail "$setup pair: n1 did not become MASTER with $vip (n2 BACKUP without it) within ${settle_timeout_s} s of the start"
  for fault in $faults; do
    count=$trials
    [[ "$fault" == partition || "$fault" == pause || "$fault" == zk_* ]] && count=$long_trials
    for ((trial = 1; trial <= count; trial++)); do
      run_trial "$setup" "$fault" "$trial"
    done
    load_samples+=("$(cut -d' ' -f1 /proc/loadavg)")
  done
  stop_daemon n1
  stop_daemon n2
  # A graceful stop removes the VIP; anything left is a finding, removed so the next series starts clean.
  for node in n1 n2; do
    if has_vip "$node"; then
      echo "bench failover: $node still held $vip after its $setup daemon stopped; removed by hand" >&2
      ip -n "$name-$node" addr del "$vip/24" dev eth0
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

command="qvip bench failover --trials $trials"
[[ "$long_trials" == "$trials" ]] || command+=" --long-trials $long_trials"
[[ "$session_timeout" == 6000 ]] || command+=" --session-timeout $session_timeout"
[[ "$zk_tick" == 200 ]] || command+=" --zk-tick $zk_tick"
[[ "$setups" == "$all_setups" ]] || command+=" --setups ${setups// /,}"
[[ "$faults" == "$all_faults" ]] || command+=" --faults ${faults// /,}"
json=$out_dir/failover-$stamp.json
table=$out_dir/failover-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "$command" \
  --argjson cores "$(nproc)" --arg kernel "$(uname -r)" --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg load_samples "${load_samples[*]}" \
  --arg keepalived "$(keepalived --version 2>&1 | head -n 1)" \
  --arg agent "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --argjson poll_ms $((poll_us / 1000)) --argjson trials "$trials" --argjson long_trials "$long_trials" \
  --argjson partition_s $((partition_us / 1000000)) --argjson pause_s $((pause_us / 1000000)) \
  --argjson after_s $((after_fault_end_us / 1000000)) '
  {benchmark: "failover", date: $date, command: $command,
   machine: {cores: $cores, kernel: $kernel, load_average_before: $load_before, load_average_after: $load_after,
             load_average_1min_after_each_fault: $load_samples},
   keepalived: $keepalived, agent_commit: $agent,
   configs: "pair-node1.conf (150) / pair-node2.conf (100), VRID 66, advert_int 1; leased: + quorum { 3 servers (tickTime '"$zk_tick"' ms), session_timeout '"$session_timeout"' }",
   poll_interval_ms: $poll_ms, trials_per_case: $trials, trials_partition_pause: $long_trials,
   partition_s: $partition_s, pause_s: $pause_s, watched_after_fault_end_s: $after_s, results: .}' \
  "$work/trials.jsonl" >"$json"

# Median of N (mean of the two middle values when N is even), then min-max.
jq -r '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
              else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def summary: map(select(. != null)) | if length == 0 then "-"
               else "\(median | . * 1000 | round / 1000) (\(min)–\(max))" end;
  def count(f): "\(map(select(f)) | length)/\(length)";
  def setup_name: {keepalived: "keepalived", agent: "agent", leased: "agent + lease"}[.];
  def order: ({keepalived: 0, agent: 1, leased: 2}[.[0].setup]),
             ({hard_kill: 0, graceful: 1, partition: 2, pause: 3, zk_leader_kill: 4, zk_leader_isolate: 5}[.[0].fault]);
  "| setup | fault | new owner after, s | no owner, s | both own, s | advert → fault, ms | poll gap median / max, ms | stale VIP removed by hand | n1 dropped the VIP after, s | owner changes | client → non-owner after the fault ended, s | ARP answers after |",
  "|---|---|---|---|---|---|---|---|---|---|---|---|",
  (.results | group_by(.setup, .fault) | sort_by(order)[] |
    "| \(.[0].setup | setup_name) | \(.[0].fault | gsub("_"; " "))"
    + " | \(map(.takeover_s) | summary)"
    + (if any(.takeover_s == null) then " (no take-over: \(count(.takeover_s == null)))" else "" end)
    + " | \(map(.no_owner_s) | summary)"
    + " | \(if .[0].fault == "hard_kill" and any(.both_own_at_end) then "until removed (\(count(.both_own_at_end)))"
           else (map(.both_own_s) | summary)
             + (if any(.both_own_at_end) then " (both still at the end: \(count(.both_own_at_end)))" else "" end) end)"
    + " | \(map(.advert_to_fault_ms) | summary)"
    + " | \(map(.poll_gap_median_ms) | median) / \(map(.poll_gap_max_ms) | max)"
    + " | \(count(.stale_vip_removed_by_hand))"
    + (if any(.pair_restarted) then ", pair restarted \(count(.pair_restarted))" else "" end)
    + " | \(map(.old_owner_dropped_s) | summary)"
    + (if any(.old_owner_dropped_s == null) then " (kept: \(count(.old_owner_dropped_s == null)))" else "" end)
    + " | \(map(.owner_changes) | summary)"
    + " | \(if .[0].fault_end_s == null then "n/a" else (map(.client_misdirected_s) | summary)
           + (if any(.client_misdirected_at_end) then " (still at the end: \(count(.client_misdirected_at_end)))" else "" end) end)"
    + " | \(if .[0].fault_end_s == null then "n/a"
           else (length as $n | map(.arp_answers_after | if length == 0 then "none" else join("+") end) | group_by(.)
                 | map("\(.[0]) (\(length)/\($n))") | join(", ")) end) |")' "$json" >"$table"
{
  echo
  echo "Fail-over, median of $trials (partition, pause and ZooKeeper faults: $long_trials) (min–max); $(nproc) cores, load average $load_before before, $load_after after."
  cat "$table"
  echo "(raw: $json)"
}
