#!/usr/bin/env bash
# qvip chaos [--quick] [--setups LIST] [--faults LIST]: the split-brain scoreboard (docs/reliability.md). The same
# faults against two keepalived nodes and two quorum-vip agents with the quorum lease (3 ZooKeeper servers,
# session_timeout 6000), same VRRP configs (shared/keepalived-samples/pair-node{1,2}.conf), in labs of their own
# (keepalived: qck; quorum-vip: qcq and qcr, each taking every other fault), all three at once. The sync-group set
# (lab qcs, at the same time) runs two agents with the NAT sample (shared/lb-samples/lvs-nat-node{1,2}.conf: front
# VIP 192.0.2.220 on eth0 and gateway VIP 198.51.100.1 on eth1 in one vrrp_sync_group; their VRRP part, without the
# virtual_server) and the same quorum block, under kill9, sigstop20 and partition15 (full mode: also oneway and
# zk_cutoff). Every fault hits the owner, n1; between runs the pair is restored to n1 MASTER with the VIPs, n2 BACKUP.
#
#   --quick          each fault once; faults on what keepalived does not use are reported n/a for it
#   --setups LIST    comma-separated, from keepalived,quorum-vip,sync-group (default all)
#   --faults LIST    comma-separated, from kill9,sigstop20,partition15,oneway,zk_cutoff,zk_leader_kill,
#                    zk_quorum_loss,link_flap,coordinator_down,journal_full (default all)
#
# A witness of its own (lib/chaos-observer.sh) samples both kernels, the client's ARP entry and the nodes' counters of
# the client's datagrams every 20 ms; lib/chaos-summary.jq turns each run into figures. For quorum-vip and the sync
# group, the forensics of both journals over the run must agree with the witness about dual ownership; for quorum-vip
# the coordinator in its lab (192.0.2.30, to which both agents ship their journals) must have every record of both
# within 30 s of each run. Output: a Markdown table on stdout, lab-runs/chaos/chaos-DATE.{json,md}. Exit codes: 0 ok;
# 1 when quorum-vip or the sync group shows dual ownership (the sync group: also its two VIPs on two nodes) or misses
# an expected outcome, a checker disagrees or a run fails to set up; 2 bad usage.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME prints its decimal point as '.'

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
# shellcheck source=lib/pair.sh
source "$root/scripts/lib/pair.sh"
readonly lab=$root/scripts/lab.sh
vip=192.0.2.200
vip2=""
sample_prefix=""
# shellcheck disable=SC2034 # lib/pair.sh asks the agents for their lease here
readonly agent_http=127.0.0.1:9110
readonly session_timeout=6000
readonly settle_timeout_s=40
# The first start of a lab's pair: four labs start their JVMs (ZooKeeper, coordinator, agents) at once on a shared
# machine, so the first settling may take much longer than a restore.
readonly start_settle_timeout_s=120
readonly all_setups="keepalived quorum-vip sync-group"
readonly all_faults="kill9 sigstop20 partition15 oneway zk_cutoff zk_leader_kill zk_quorum_loss link_flap coordinator_down journal_full"
readonly zookeeper_faults="zk_cutoff zk_leader_kill zk_quorum_loss"
# The sync group's faults: those that take the owner away or cut VRRP between the nodes.
readonly sync_group_faults_quick="kill9 sigstop20 partition15"
readonly sync_group_faults_full="kill9 sigstop20 partition15 oneway zk_cutoff"
readonly sync_vip=192.0.2.220
readonly sync_vip2=198.51.100.1
# quorum-vip's expected outcome beyond zero dual ownership: the owner keeps the VIP, or n2 takes it over.
readonly owner_stays="partition15 oneway zk_leader_kill coordinator_down journal_full"
readonly owner_moves="kill9 sigstop20 zk_cutoff"
readonly fault_table=qvip_chaos_fault
# Watched after the fault is lifted: preemption by n1, lease acquisition (S = 6 s after a lost session) and the
# announcements settle within this.
readonly after_fault_s=8
# After a kill -9 of the owner: a take-over needs up to max(3 x advert_int + skew, S) = 6 s.
readonly after_kill_s=12
# The forensics' durations and the witness's may differ by this much and still agree (sampling every 20 ms, the
# forensics' clock bound ±50 ms, the kernel lifetime's whole seconds on a crashed holder).
readonly agree_within_ms=200

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "chaos${setup:+ [$setup $name]}: $*" >&2
  exit 1
}

say() {
  echo "chaos [$setup $name] $(date -u +%T): $*" >&2
}

# --- one setup in its own lab (the parent runs this as a child process per setup) ---------------------------------

# The reason a fault does not apply to this setup in this mode, or nothing when it runs.
not_applicable() {
  local fault=$1
  if [[ "$setup" == keepalived && "$quick" == true ]] \
    && [[ " $zookeeper_faults coordinator_down journal_full " == *" $fault "* ]]; then
    echo "n/a (not used by keepalived)"
  elif [[ "$fault" == coordinator_down && "$setup" == keepalived ]]; then
    echo "n/a (keepalived ships nothing to a coordinator)"
  fi
}

coordinator_pid() {
  "$lab" status --name "$name" | jq -r '.coordinator.pid // empty'
}

zk_servers_where() {
  "$lab" status --name "$name" | jq -r --arg mode "$1" '.zookeeper[] | select(.mode == $mode) | .server'
}

# kill -9 of ZooKeeper servers (zk1..zk3) by the PIDs the lab recorded.
kill_zk() {
  local server
  for server in "$@"; do
    kill -KILL "$(cat "$state/$server/pid")"
    killed_zk+=("$server")
  done
}

restart_killed_zk() {
  local server
  for server in "${killed_zk[@]}"; do
    "$lab" start --name "$name" --zk-server "${server#zk}" >/dev/null
  done
  killed_zk=()
}

nft_fault() {
  ip netns exec "$name-n1" nft -f - <<NFT
table ip $fault_table {
  chain input { type filter hook input priority 0; policy accept; $1 }
  chain output { type filter hook output priority 0; policy accept; $2 }
}
NFT
  nft_fault_on=true
}

lift_nft_fault() {
  ip netns exec "$name-n1" nft delete table ip "$fault_table"
  nft_fault_on=false
}

freeze() {
  frozen=("$@")
  kill -STOP "$@"
}

thaw() {
  ((${#frozen[@]} == 0)) || kill -CONT "${frozen[@]}" 2>/dev/null || true
  frozen=()
}

# Sleeps while the fault holds, $1 seconds from the fault.
hold() {
  sleep_until_us $((fault_us + $1 * 1000000))
}

# Injects the fault on n1 at fault_us, lifts it, sets fault_end_us and how long to watch after it (watch_s).
inject() {
  local fault=$1 pid=$2 flap server
  shift 2
  fault_us=$(now_us)
  watch_s=$after_fault_s
  case "$fault" in
    kill9)
      kill -STOP "$@"
      kill -KILL "$@"
      watch_s=$after_kill_s
      ;;
    sigstop20)
      freeze "$@"
      hold 20
      thaw
      ;;
    partition15)
      nft_fault "ip protocol 112 drop;" "ip protocol 112 drop;"
      hold 15
      lift_nft_fault
      ;;
    oneway)
      nft_fault "" "ip protocol 112 drop;"
      hold 15
      lift_nft_fault
      ;;
    zk_cutoff)
      nft_fault "tcp sport 2181 drop;" "tcp dport 2181 drop;"
      hold 15
      lift_nft_fault
      watch_s=12
      ;;
    zk_leader_kill)
      server=$(zk_servers_where leader)
      [[ -n "$server" ]] || fail "zk_leader_kill: no ZooKeeper server of lab $name says it is the leader ($state/zk*/zookeeper.log)"
      kill_zk "$server"
      hold 10
      restart_killed_zk
      ;;
    zk_quorum_loss)
      mapfile -t servers < <(zk_servers_where leader; zk_servers_where follower)
      ((${#servers[@]} >= 2)) || fail "zk_quorum_loss: fewer than 2 serving ZooKeeper servers in lab $name"
      kill_zk "${servers[@]:0:2}"
      hold 10
      restart_killed_zk
      watch_s=15
      ;;
    link_flap)
      for flap in {1..10}; do
        ip -n "$name-n1" link set eth0 down
        sleep_until_us $((fault_us + flap * 1000000 - 500000))
        ip -n "$name-n1" link set eth0 up
        hold "$flap"
      done
      ;;
    coordinator_down)
      kill -KILL "$(coordinator_pid)"
      hold 15
      "$lab" start --name "$name" --coordinator >/dev/null
      ;;
    journal_full)
      # dd ends with "No space left on device": that is the point.
      dd if=/dev/zero of="$state/n1/journal/filler" bs=64k 2>/dev/null || true
      hold 15
      rm -f "$state/n1/journal/filler"
      ;;
  esac
  fault_end_us=$(now_us)
}

# Back to n1 MASTER with the VIP and n2 BACKUP; a VIP left in a dead node's kernel is removed by hand (counted).
restore() {
  local fault=$1
  shift
  if [[ "$fault" == kill9 ]]; then
    await_exit 100 "$@" || fail "the $setup daemon on n1 (pids $*) still runs 10 s after kill -9"
    remove_leftover_vip n1
    start_daemon n1 "$setup"
  fi
  await_steady "$setup" && return 0
  say "pair not back to n1 MASTER with $vip within ${settle_timeout_s} s after $fault; restarting both daemons"
  "$lab" status --name "$name" >&2 || true
  restart_pair "$setup" || fail "n1 did not become MASTER with $vip (n2 BACKUP) within ${settle_timeout_s} s of a restart after $fault"
}

# true once both agents say the coordinator acknowledged every durable record of theirs (within 30 s), else false:
# a coordinator that was down, or any fault, must not lose what the agents shipped.
shipping_caught_up() {
  local deadline=$((SECONDS + 30)) node lagging
  while ((SECONDS < deadline)); do
    lagging=0
    for node in n1 n2; do
      [[ "$(ip netns exec "$name-$node" curl -s --max-time 1 "http://$agent_http/v1/status" 2>/dev/null \
        | jq -r '.shipping[0].lag_records' 2>/dev/null)" == 0 ]] || lagging=1
    done
    ((lagging == 0)) && { echo true; return; }
    sleep 0.5
  done
  echo false
}

# The history checker: forensics over both journals for the run's window, as JSON in $1.
run_forensics() {
  local out=$1 copy=$work/journals node code=0
  rm -rf "$copy"
  for node in n1 n2; do
    mkdir -p "$copy/$node"
    cp -r "$state/$node/journal/." "$copy/$node/"
    rm -f "$copy/$node/filler"
  done
  "$root/scripts/qvip" forensics --json --from "$((fault_us / 1000))" --to "$((end_us / 1000))" \
    "$copy/n1" "$copy/n2" >"$out" 2>"$work/forensics.err" || code=$?
  ((code <= 1)) || fail "qvip forensics failed (exit $code): $(head -c 600 "$work/forensics.err")"
}

# One run: fault, watch, restore, figures (and, for quorum-vip, the checker) as one JSON line on the output.
run_fault() {
  local fault=$1 run=$2 reason pid pids end_us stale_removed=false pair_restarted=false summary verdict=null shipped=null
  reason=$(not_applicable "$fault")
  if [[ -n "$reason" ]]; then
    jq -cn --arg setup "$setup" --arg fault "$fault" --argjson run "$run" --arg reason "$reason" \
      '{setup: $setup, fault: $fault, run: $run, not_applicable: $reason}' >>"$out"
    return
  fi
  say "$fault, run $run"
  pid=$(daemon_pid n1)
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  inject "$fault" "$pid" "${pids[@]}"
  sleep_until_us $((fault_end_us + watch_s * 1000000))
  end_us=$(now_us)
  restore "$fault" "${pids[@]}"
  awk -v from="$fault_us" -v to="$end_us" '$1 < from { last = $0; next }
    $1 <= to { if (last != "") { print last; last = "" } print; next } { exit }' "$work/samples" >"$work/run-samples"
  summary=$(jq -cn --rawfile samples "$work/run-samples" --argjson fault_us "$fault_us" \
    --argjson fault_end_us "$fault_end_us" --arg mac1 "$mac1" --arg mac2 "$mac2" -f "$root/scripts/lib/chaos-summary.jq")
  if uses_lease "$setup"; then
    [[ -z "$coordinator_flag" ]] || shipped=$(shipping_caught_up)
    run_forensics "$work/forensics.json"
    verdict=$(jq -c --argjson observed "$(jq '.dual_ms + (.back_dual_ms // 0)' <<<"$summary")" \
      --argjson within "$agree_within_ms" '
      [.incidents[] | select(.kind == "DUAL_OWNERSHIP")] as $dual
      | ($dual | map(.min_duration_micros) | add // 0 | . / 1000 | round) as $min
      | ($dual | map(.max_duration_micros) | add // 0 | . / 1000 | round) as $max
      | {forensics_dual: ($dual | length > 0), forensics_dual_ms_min: $min, forensics_dual_ms_max: $max,
         forensics_incidents: (.incidents | map(.kind) | group_by(.) | map({(.[0]): length}) | add // {}),
         verdict: (if ($dual | length > 0) != ($observed > 0) then
             "DISAGREE: forensics \(if $dual | length > 0 then "found" else "found no" end) dual ownership, the observer saw \($observed) ms"
           elif $observed > 0 and ($observed < $min - $within or $observed > $max + $within) then
             "DISAGREE: dual ownership \($observed) ms observed, forensics \($min)-\($max) ms"
           else "agree" end)}' "$work/forensics.json")
  fi
  jq -cn --arg setup "$setup" --arg fault "$fault" --argjson run "$run" --argjson summary "$summary" \
    --argjson checker "$verdict" --argjson fault_us "$fault_us" --argjson fault_end_us "$fault_end_us" \
    --argjson end_us "$end_us" --argjson stale "$stale_removed" --argjson restarted "$pair_restarted" \
    --argjson shipped "$shipped" '
    {setup: $setup, fault: $fault, run: $run, fault_s: (($fault_end_us - $fault_us) / 1e6 | . * 10 | round / 10),
     watched_s: (($end_us - $fault_us) / 1e6 | . * 10 | round / 10), stale_vip_removed_by_hand: $stale,
     pair_restarted: $restarted} + $summary + (if $checker == null then {} else {checker: $checker} end)
    + (if $shipped == null then {} else {shipping_caught_up: $shipped} end)' >>"$out"
  tail -n 1 "$out" | jq -c 'del(.timeline_ms)' | sed "s/^/chaos [$setup]: /" >&2
}

setup_cleanup() {
  thaw
  [[ "$nft_fault_on" != true ]] || lift_nft_fault || true
  ((${#killed_zk[@]} == 0)) || restart_killed_zk || true
  [[ -z "$observer_pid" ]] || stop_tree "$observer_pid"
  [[ -z "$client_pid" ]] || stop_tree "$client_pid"
  # The daemons first, so nothing holds the journal's tmpfs.
  [[ ! -f "$state/n1/pid" ]] || stop_daemon n1 || true
  [[ ! -f "$state/n2/pid" ]] || stop_daemon n2 || true
  [[ "$tmpfs_mounted" != true ]] || umount "$state/n1/journal" || umount -l "$state/n1/journal" || true
  "$lab" down --name "$name" || true
  rm -rf "$work"
}

run_setup() {
  local fault run zk=0
  state=/run/qvip-lab/$name
  work=$(mktemp -d "/tmp/qvip-chaos-$setup.XXXXXX")
  frozen=()
  killed_zk=()
  nft_fault_on=false
  tmpfs_mounted=false
  observer_pid=""
  client_pid=""
  trap setup_cleanup EXIT
  trap 'exit 1' INT TERM
  if uses_lease "$setup" || [[ "$quick" != true && " $faults " == *" zk_"* ]]; then zk=3; fi
  extra=()
  coordinator_flag=""
  if [[ "$setup" == quorum-vip ]]; then
    coordinator_flag=--coordinator
    extra=(--coordinator)
  elif [[ "$setup" == sync-group ]]; then
    # The NAT sample's VRRP part (everything before its virtual_server: global_defs, the sync group, both
    # instances): the load balancing would only add health checks to a busy machine and moves no VIP. eth1 is on the
    # backend network, where the gateway VIP lives; the lab builds that network for real servers, so it gets one.
    vip=$sync_vip
    vip2=$sync_vip2
    for node in 1 2; do
      sed '/^virtual_server /,$d' "$shared/lb-samples/lvs-nat-node$node.conf" >"$work/lvs-nat-vrrp-node$node.conf"
    done
    sample_prefix=$work/lvs-nat-vrrp-node
    extra=(--real-servers 1 --backend)
  fi
  "$lab" up --name "$name" --nodes 2 --zk "$zk" "${extra[@]}" >&2
  # The owner's journal on a small tmpfs for journal_full (keepalived never writes there: it shows it is unaffected).
  mkdir -p "$state/n1/journal"
  mount -t tmpfs -o size=4m tmpfs "$state/n1/journal"
  tmpfs_mounted=true
  for node in n1 n2; do
    ip netns exec "$name-$node" nft -f - <<NFT
table ip qvip_chaos {
  counter to_vip { }
  chain prerouting { type filter hook prerouting priority -300; policy accept; ip daddr $vip udp dport 9 counter name to_vip; }
}
NFT
  done
  mac1=$(mac_of n1)
  mac2=$(mac_of n2)
  start_client
  "$root/scripts/lib/chaos-observer.sh" "$name" "$vip" "$work/samples" ${vip2:+"$vip2"} </dev/null &
  observer_pid=$!
  start_daemon n1 "$setup"
  start_daemon n2 "$setup"
  await_steady "$setup" "$start_settle_timeout_s" \
    || fail "n1 did not become MASTER with $vip $vip2 (n2 BACKUP without it) within ${start_settle_timeout_s} s of the start"
  for fault in $faults; do
    for ((run = 1; run <= runs; run++)); do
      run_fault "$fault" "$run"
    done
  done
  jq -cn --arg setup "$setup" --rawfile samples "$work/samples" '
    ($samples | split("\n") | map(select(. != "") | split(" "))) as $s
    | def span_ms(f): [range(0; ($s | length) - 1) as $i | select($s[$i] | f)
        | (($s[$i + 1][0] | tonumber) - ($s[$i][0] | tonumber))] | add // 0 | . / 1000 | round;
      {setup: $setup, session: true, samples: ($s | length), dual_ms_whole_session: span_ms(.[1] == "1" and .[2] == "1")}
      + if ($s[0] | length) > 6 then
          {back_dual_ms_whole_session: span_ms(.[6] == "1" and .[7] == "1"),
           split_ms_whole_session: span_ms(.[1] == "1" and .[7] == "1" or .[2] == "1" and .[6] == "1")}
        else {} end' >>"$out"
}

# --- the parent: both setups at once, then the table ---------------------------------------------------------------

setup=""
quick=false
runs=3
setups_arg=${all_setups// /,}
faults_arg=${all_faults// /,}
name=""
out=""
while (($# > 0)); do
  case "$1" in
    --quick) quick=true; runs=1; shift ;;
    --setups) (($# >= 2)) || usage; setups_arg=$2; shift 2 ;;
    --faults) (($# >= 2)) || usage; faults_arg=$2; shift 2 ;;
    # Internal: the parent starts one child per setup.
    --run-setup) (($# >= 4)) || usage; setup=$2; name=$3; out=$4; shift 4 ;;
    -h | --help) usage 0 ;;
    *) echo "chaos: unknown argument '$1'" >&2; usage ;;
  esac
done
setups=$(pick "$setups_arg" "$all_setups") \
  || { echo "chaos: --setups got '$setups_arg' (expected a comma-separated list of ${all_setups// /, })" >&2; usage; }
faults=$(pick "$faults_arg" "$all_faults") \
  || { echo "chaos: --faults got '$faults_arg' (expected a comma-separated list of ${all_faults// /, })" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces, nftables, a tmpfs); run it as root"
for tool in keepalived jq ip nft nsenter curl java; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done
shared=${QVIP_SHARED:-$root/../shared}
[[ -f "$shared/keepalived-samples/pair-node1.conf" && -f "$shared/keepalived-samples/pair-node2.conf" ]] \
  || fail "samples not found in $shared/keepalived-samples (put shared/ beside the repository or set QVIP_SHARED)"

if [[ -n "$setup" ]]; then
  run_setup
  exit 0
fi

"$root/scripts/qvip" build
# The code under test: taken before the run, as the checkout may move on while it runs.
agent_commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
started=$SECONDS
out_dir=$root/lab-runs/chaos
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
parent_work=$(mktemp -d /tmp/qvip-chaos.XXXXXX)
declare -A child_pid=()
parent_cleanup() {
  local s
  for s in "${!child_pid[@]}"; do
    kill -TERM "${child_pid[$s]}" 2>/dev/null || true
  done
  for s in "${!child_pid[@]}"; do
    wait "${child_pid[$s]}" 2>/dev/null || true
  done
  rm -rf "$parent_work"
}
trap parent_cleanup EXIT
trap 'echo "chaos: interrupted; the labs are being taken down" >&2; exit 1' INT TERM
mode=()
[[ "$quick" != true ]] || mode=(--quick)
# A child per lab: keepalived in qck; quorum-vip's faults dealt alternately to qcq and qcr, two labs at once, since
# its runs take longer (a restarted JVM, a new lease) and it has every fault to run even in --quick.
start_child() {
  local child=$1 setup_of_child=$2 lab_of_child=$3 faults_of_child=$4
  [[ -n "$faults_of_child" ]] || return 0
  "${BASH_SOURCE[0]}" "${mode[@]}" --faults "${faults_of_child// /,}" --run-setup "$setup_of_child" "$lab_of_child" \
    "$parent_work/$child.jsonl" &
  child_pid[$child]=$!
}
for s in $setups; do
  if [[ "$s" == keepalived ]]; then
    start_child keepalived keepalived qck "$faults"
  elif [[ "$s" == quorum-vip ]]; then
    dealt=(""  "")
    i=0
    for fault in $faults; do
      dealt[i % 2]+="${dealt[i % 2]:+ }$fault"
      i=$((i + 1))
    done
    start_child quorum-vip-a quorum-vip qcq "${dealt[0]}"
    start_child quorum-vip-b quorum-vip qcr "${dealt[1]}"
  else
    sync_faults=$sync_group_faults_full
    [[ "$quick" != true ]] || sync_faults=$sync_group_faults_quick
    start_child sync-group sync-group qcs "$(for fault in $faults; do
      [[ " $sync_faults " != *" $fault "* ]] || echo "$fault"; done | paste -sd ' ')"
  fi
done
failed=()
for child in "${!child_pid[@]}"; do
  wait "${child_pid[$child]}" || failed+=("$child")
  unset "child_pid[$child]"
done

command="qvip chaos"
[[ "$quick" != true ]] || command+=" --quick"
[[ "$setups" == "$all_setups" ]] || command+=" --setups ${setups// /,}"
[[ "$faults" == "$all_faults" ]] || command+=" --faults ${faults// /,}"
json=$out_dir/chaos-$stamp.json
table=$out_dir/chaos-$stamp.md
cat "$parent_work"/*.jsonl 2>/dev/null | jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "$command" \
  --argjson cores "$(nproc)" --arg kernel "$(uname -r)" --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
  --arg keepalived "$(keepalived --version 2>&1 | head -n 1)" --argjson wall_s $((SECONDS - started)) \
  --arg agent "$agent_commit" --arg failed "${failed[*]}" --argjson session_timeout "$session_timeout" '
  {benchmark: "chaos", date: $date, command: $command, wall_s: $wall_s,
   machine: {cores: $cores, kernel: $kernel, load_average_after: $load}, keepalived: $keepalived, agent_commit: $agent,
   configs: "pair-node1.conf (150) / pair-node2.conf (100), VRID 66, advert_int 1; quorum-vip: + quorum { 3 servers, session_timeout \($session_timeout) }; sync-group: lvs-nat-node1.conf (150) / lvs-nat-node2.conf (100), VRIDs 61 and 62 in one vrrp_sync_group, + the same quorum block",
   setups_failed: ($failed | split(" ") | map(select(. != ""))),
   sessions: map(select(.session)), results: map(select(.session | not))}' >"$json"

jq -r -f "$root/scripts/lib/chaos-table.jq" "$json" >"$table"
{
  echo
  echo "Chaos matrix ($command), $(jq -r '.date' "$json"), $(nproc) cores; $(jq -r '.wall_s' "$json") s wall time."
  cat "$table"
  echo "(raw: $json)"
}
status=0
if ((${#failed[@]} > 0)); then
  echo "chaos: FAILED: the ${failed[*]} setup did not complete (its messages above)" >&2
  status=1
fi
# The setups that promise never two owners: quorum-vip, and the sync group also never its two VIPs on two nodes.
readonly leased_setups='["quorum-vip", "sync-group"]'
jq -e --argjson leased "$leased_setups" '[.results[] | select((.setup | IN($leased[]))
    and ((.dual_ms // 0) + (.back_dual_ms // 0) + (.split_ms // 0)) > 0)] | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: quorum-vip or the sync group showed dual ownership or a split group (see $json)" >&2; status=1; }
jq -e --argjson leased "$leased_setups" '[.sessions[] | select((.setup | IN($leased[]))
    and (.dual_ms_whole_session + (.back_dual_ms_whole_session // 0) + (.split_ms_whole_session // 0)) > 0)]
    | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: quorum-vip or the sync group showed dual ownership while the pair was being restored (see $json)" >&2; status=1; }
jq -e '[.results[] | select(.checker and (.checker.verdict != "agree"))] | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: the history checker disagrees with the observer (see $json)" >&2; status=1; }
# What the design promises beyond "never two owners" (docs/reliability.md): faults that leave the lease holder able
# to prove its lease move nothing; faults that take the owner away hand the VIP to n2.
jq -e --arg stay "$owner_stays" --argjson leased "$leased_setups" '[.results[] | select((.setup | IN($leased[])) and (.fault | IN($stay | split(" ")[]))
    and ((.owner_changes // 0) > 0 or (.no_owner_ms // 0) > 0))] | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: under $owner_stays the quorum-vip owner must stay, but it moved or dropped (see $json)" >&2; status=1; }
jq -e --arg move "$owner_moves" --argjson leased "$leased_setups" '[.results[] | select((.setup | IN($leased[])) and (.fault | IN($move | split(" ")[]))
    and .new_owner_ms == null)] | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: under $owner_moves n2 must take the VIP over, but it never did (see $json)" >&2; status=1; }
jq -e '[.results[] | select(.shipping_caught_up == false)] | length == 0' "$json" >/dev/null \
  || { echo "chaos: FAILED: an agent's journal did not reach the coordinator within 30 s of a run (see $json)" >&2; status=1; }
exit "$status"
