#!/usr/bin/env bash
# qvip bench failover [--trials N] [--name L]: fail-over time of two keepalived nodes and of two quorum-vip agents,
# in one lab, same run, same configs (shared/keepalived-samples/pair-node{1,2}.conf: VRID 66, priority 150/100).
#
# Per trial: wait until n1 is MASTER with the VIP and n2 BACKUP without it; inject the fault just after one of n1's
# adverts (seen by tshark in n2's namespace; the real offset is measured and reported), so every trial starts at
# the same point of the advert cycle; then poll `ip -n` on both nodes every 20 ms. Faults: hard kill (SIGSTOP then
# SIGKILL every process of the daemon on n1) and graceful stop (SIGTERM to the daemon). Then n1 is restored for the
# next trial: a VIP left in a dead node's kernel is removed by hand (counted), and the daemon is started again.
#
# Output: a Markdown table (median of N, min-max) on stdout, and lab-runs/bench/failover-DATE.{json,md}.
# Lab name default qbf (labs made by benchmarks start with qb). Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail
export LC_ALL=C # EPOCHREALTIME and tshark print their decimal point as '.'

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
readonly lab=$root/scripts/lab.sh
readonly vip=192.0.2.200
readonly n1_address=192.0.2.11
readonly poll_us=20000
# After n2 first shows the VIP, keep polling this long to see whether n1 still holds it too.
readonly watch_after_takeover_us=2000000
# keepalived's slowest take-over is 3 x advert_int + skew = 3.6 s; past this the trial is recorded as failed.
readonly takeover_timeout_us=10000000
readonly settle_timeout_s=30
# advert_int of the pair samples.
readonly advert_interval_us=1000000
readonly fault_after_advert_us=10000

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench failover: $*" >&2
  exit 1
}

trials=5
name=qbf
while (($# > 0)); do
  case "$1" in
    --trials) (($# >= 2)) || usage; trials=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench failover: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$trials" =~ ^[1-9][0-9]?$ ]] || { echo "bench failover: --trials got '$trials' (expected 1-99)" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,6}$ ]] || { echo "bench failover: --name got '$name' (expected qb + up to 6 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
for tool in keepalived tshark jq ip; do
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
latest_advert_us=0
previous_advert_us=0

descendants() {
  local child
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
    echo "$child"
    descendants "$child"
  done
}

is_running() {
  local process_state
  process_state=$(awk '{print $3}' /proc/"$1"/stat 2>/dev/null) || return 1
  [[ -n "$process_state" && "$process_state" != Z ]]
}

# Waits until every PID given is gone (or a zombie), at most $1 tenths of a second; 1 if some still run.
await_exit() {
  local tenths=$1 pid attempt
  shift
  for attempt in $(seq "$tenths"); do
    for pid in "$@"; do
      if is_running "$pid"; then
        sleep 0.1
        continue 2
      fi
    done
    return 0
  done
  return 1
}

cleanup() {
  if [[ -n "$capture_pid" ]]; then
    local pids
    mapfile -t pids < <(echo "$capture_pid"; descendants "$capture_pid")
    kill -TERM "${pids[@]}" 2>/dev/null || true
    await_exit 30 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  "$lab" down --name "$name" || true
  rm -rf "$work"
}
trap cleanup EXIT

now_us() {
  echo "${EPOCHREALTIME/./}"
}

# A read with a timeout on a pipe nobody writes to: a sleep without forking a process.
exec {sleeper}<> <(:)
sleep_until_us() {
  local remaining=$(($1 - ${EPOCHREALTIME/./}))
  ((remaining <= 0)) || read -r -t "$((remaining / 1000000)).$(printf '%06d' $((remaining % 1000000)))" -u "$sleeper" || true
}

has_vip() {
  [[ "$(ip -n "$name-$1" -o -4 addr show dev eth0)" == *" $vip/"* ]]
}

daemon_pid() {
  cat "$state/$1/pid"
}

node_state() {
  "$lab" status --name "$name" | jq -r --arg node "$1" '.nodes[] | select(.node == $node) | .state'
}

start_daemon() {
  local node=$1 kind=$2 conf=$3
  "$lab" start --name "$name" --node "$node" "--$kind-config" "$conf" >/dev/null
}

# Graceful stop of a node's daemon and its children (used between the keepalived and the agent series).
stop_daemon() {
  local pid pids
  pid=$(daemon_pid "$1")
  is_running "$pid" || return 0
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  kill -TERM "${pids[@]}" 2>/dev/null || true
  await_exit 100 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
}

await_steady() {
  local deadline=$((SECONDS + settle_timeout_s))
  while ((SECONDS < deadline)); do
    if has_vip n1 && ! has_vip n2 && [[ "$(node_state n1)" == MASTER && "$(node_state n2)" == BACKUP ]]; then
      return 0
    fi
    sleep 0.5
  done
  "$lab" status --name "$name" >&2 || true
  fail "n1 did not become MASTER with $vip (and n2 BACKUP without it) within ${settle_timeout_s} s"
}

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

# One trial: fault on n1, poll both kernels, append one JSON line to $work/trials.jsonl, restore n1.
run_trial() {
  local kind=$1 fault=$2 trial=$3 conf=$4 pid pids fault_us t previous n1_vip n2_vip
  local first_none="" first_n2="" first_both="" n1_gone="" gaps=() stale_removed=false k=1
  await_steady
  pid=$(daemon_pid n1)
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  await_injection_time
  sleep_until_us "$injection_us"
  fault_us=$(now_us)
  case "$fault" in
    hard_kill)
      kill -STOP "${pids[@]}"
      kill -KILL "${pids[@]}"
      ;;
    graceful) kill -TERM "$pid" ;;
  esac

  previous=$fault_us
  while :; do
    sleep_until_us $((fault_us + k * poll_us))
    k=$((k + 1))
    t=$(now_us)
    gaps+=($((t - previous)))
    previous=$t
    n2_vip=false n1_vip=false
    has_vip n2 && n2_vip=true
    has_vip n1 && n1_vip=true
    [[ -z "$first_n2" && "$n2_vip" == true ]] && first_n2=$t
    [[ -z "$first_none" && -z "$first_n2" && "$n1_vip" == false && "$n2_vip" == false ]] && first_none=$t
    [[ -z "$first_both" && "$n1_vip" == true && "$n2_vip" == true ]] && first_both=$t
    [[ -z "$n1_gone" && "$n1_vip" == false ]] && n1_gone=$t
    if [[ -n "$first_n2" ]] && ((t - first_n2 >= watch_after_takeover_us)); then break; fi
    if ((t - fault_us >= takeover_timeout_us)); then break; fi
  done

  await_exit 100 "${pids[@]}" || fail "$kind on n1 (pid $pid) still runs 10 s after the $fault"
  take_adverts "$fault_us"
  if has_vip n1; then
    ip -n "$name-n1" addr del "$vip/24" dev eth0
    stale_removed=true
  fi
  printf '%s\n' "${gaps[@]}" >"$work/gaps"
  jq -cn --arg daemon "$kind" --arg fault "$fault" --argjson trial "$trial" --argjson fault_us "$fault_us" \
    --argjson advert_us "$latest_advert_us" --arg first_n2 "$first_n2" --arg first_none "$first_none" \
    --arg first_both "$first_both" --arg n1_gone "$n1_gone" --argjson stale "$stale_removed" \
    --slurpfile gaps "$work/gaps" '
      def s: if . == "" then null else tonumber end;
      def sec: . / 1e6 | . * 1000 | round / 1000;
      ($first_n2 | s) as $n2 | ($first_none | s) as $none | ($first_both | s) as $both | ($n1_gone | s) as $gone
      | ($gaps | sort) as $g
      | {daemon: $daemon, fault: $fault, trial: $trial,
         takeover_s: (if $n2 == null then null else ($n2 - $fault_us | sec) end),
         no_owner_s: (if $none == null then 0 else ((($n2 // ($fault_us + 1e7)) - $none) | sec) end),
         both_own_s: (if $both == null then 0 elif $gone != null and $gone > $both then ($gone - $both | sec)
                      else null end),
         both_own_until_removed: ($both != null and ($gone == null or $gone < $both)),
         advert_to_fault_ms: (($fault_us - $advert_us) / 1000 | . * 10 | round / 10),
         polls: ($g | length),
         poll_gap_median_ms: ($g[($g | length) / 2 | floor] / 1000 | . * 10 | round / 10),
         poll_gap_max_ms: ($g[-1] / 1000 | . * 10 | round / 10),
         stale_vip_removed_by_hand: $stale}' >>"$work/trials.jsonl"
  tail -n 1 "$work/trials.jsonl" >&2
  start_daemon n1 "$kind" "$conf"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$root/scripts/qvip" build
"$lab" up --name "$name" --nodes 2
start_capture
: >"$work/trials.jsonl"
for kind in keepalived agent; do
  echo "bench failover: $kind pair, $trials trials per fault" >&2
  start_daemon n1 "$kind" "$conf1"
  start_daemon n2 "$kind" "$conf2"
  for fault in hard_kill graceful; do
    for ((trial = 1; trial <= trials; trial++)); do
      run_trial "$kind" "$fault" "$trial" "$conf1"
    done
  done
  stop_daemon n1
  stop_daemon n2
  # A graceful stop removes the VIP; anything left is a finding, removed so the next series starts clean.
  for node in n1 n2; do
    if has_vip "$node"; then
      echo "bench failover: $node still held $vip after its $kind stopped; removed by hand" >&2
      ip -n "$name-$node" addr del "$vip/24" dev eth0
    fi
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

json=$out_dir/failover-$stamp.json
table=$out_dir/failover-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "qvip bench failover --trials $trials" \
  --argjson cores "$(nproc)" --arg kernel "$(uname -r)" --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg keepalived "$(keepalived --version 2>&1 | head -n 1)" \
  --arg agent "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --argjson poll_ms $((poll_us / 1000)) --argjson trials "$trials" '
  {benchmark: "failover", date: $date, command: $command,
   machine: {cores: $cores, kernel: $kernel, load_average_before: $load_before, load_average_after: $load_after},
   keepalived: $keepalived, agent_commit: $agent, configs: "pair-node1.conf (150) / pair-node2.conf (100), VRID 66",
   poll_interval_ms: $poll_ms, trials_per_case: $trials, results: .}' "$work/trials.jsonl" >"$json"

# Median of N (mean of the two middle values when N is even), then min-max.
jq -r '
  def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
              else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def summary: map(select(. != null)) | if length == 0 then "-"
               else "\(median | . * 1000 | round / 1000) (\(min)–\(max))" end;
  "| daemon | fault | new owner after, s | no owner, s | both own, s | advert → fault, ms | poll gap median / max, ms | stale VIP removed by hand |",
  "|---|---|---|---|---|---|---|---|",
  (.results | group_by(.daemon, .fault) | sort_by(.[0].daemon != "keepalived", .[0].fault)[] |
    "| \(.[0].daemon) | \(.[0].fault | sub("_"; " ")) | \(map(.takeover_s) | summary)"
    + (if any(.takeover_s == null) then " (\(map(select(.takeover_s == null)) | length) without take-over)" else "" end)
    + " | \(map(.no_owner_s) | summary)"
    + " | \(if any(.both_own_until_removed) then "until removed (\(map(select(.both_own_until_removed)) | length)/\(length))"
           else (map(.both_own_s) | summary) end)"
    + " | \(map(.advert_to_fault_ms) | summary)"
    + " | \(map(.poll_gap_median_ms) | median) / \(map(.poll_gap_max_ms) | max)"
    + " | \(map(select(.stale_vip_removed_by_hand)) | length)/\(length) |")' "$json" >"$table"
{
  echo
  echo "Fail-over, median of $trials (min–max); $(nproc) cores, load average $load_before before, $load_after after."
  cat "$table"
  echo "(raw: $json)"
}
