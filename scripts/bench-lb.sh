#!/usr/bin/env bash
# qvip bench lb [--seconds S] [--connections C] [--rounds R] [--detection-trials T] [--name L]: new TCP connections/s
# and HTTP requests/s from the lab's client to real nginx servers: straight to them, through HAProxy 2.6 (TCP mode,
# health checks) on director n1, and through the quorum-vip agent on n1 running the LVS samples (shared/lb-samples:
# lvs-dr-node1.conf, its checks at delay_loop 1 / retry 1; lvs-nat-node1.conf unchanged), its nftables program
# applied through libnftables. Then T times (default 3, 0: none) for HAProxy and for the agent's DR service, rs1's
# nginx is killed (SIGKILL) while the client asks the director every 10 ms: detection is the time from the kill to
# the last request that still went to rs1 (failed).
#
# Load: wrk (Debian package), two processes of one thread and C/2 connections each (default C 32), S seconds per
# phase (default 10): "new connections" sends Connection: close, so every request is a new TCP connection;
# "requests" keeps the connections open. Direct: one wrk per real server. Director CPU: utime + stime of HAProxy's
# or the agent's process (/proc/PID/stat; the agent only checks, the kernel forwards); nftables runs in the
# kernel's softirq, which no process is charged for, so every setup also gets the whole machine's softirq and total
# busy CPU seconds (/proc/stat) during its new-connections phase: what a director adds is that figure minus the
# direct one. The machine is shared: its load average is recorded.
# Rounds: every setup runs once per round, in turn (direct, HAProxy, DR, NAT, direct, ...; default R 1), so a
# change in the machine's speed falls on all of them; the tables give each figure's median over the rounds with its
# range, and each setup's share of direct as the median of its share in each round (against that round's direct).
# Labs: Ld (DR: real servers on the nodes' bridge) for direct, HAProxy and DR; Ln (NAT: backend network, rs1..rs3
# weighted 3:1:1 and a sorry server, as the sample says) for NAT; both up for the whole run.
#
# Output: Markdown tables on stdout, and lab-runs/bench/lb-DATE.{json,md}. Lab name default qblb.
# Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly root
readonly lab=$root/scripts/lab.sh
readonly dr_vip=192.0.2.210
readonly nat_vip=192.0.2.220
readonly haproxy_address=192.0.2.11

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench lb: $*" >&2
  exit 1
}

seconds=10
connections=32
rounds=1
detection_trials=3
name=qblb
while (($# > 0)); do
  case "$1" in
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --connections) (($# >= 2)) || usage; connections=$2; shift 2 ;;
    --rounds) (($# >= 2)) || usage; rounds=$2; shift 2 ;;
    --detection-trials) (($# >= 2)) || usage; detection_trials=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench lb: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "bench lb: --seconds got '$seconds' (expected 1-999)" >&2; usage; }
[[ "$connections" =~ ^[1-9][0-9]{0,3}$ ]] && ((connections % 2 == 0)) \
  || { echo "bench lb: --connections got '$connections' (expected an even number 2-9998)" >&2; usage; }
[[ "$rounds" =~ ^[1-9]$ ]] || { echo "bench lb: --rounds got '$rounds' (expected 1-9)" >&2; usage; }
[[ "$detection_trials" =~ ^[0-9]$ ]] \
  || { echo "bench lb: --detection-trials got '$detection_trials' (expected 0-9)" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,5}$ ]] || { echo "bench lb: --name got '$name' (expected qb + up to 5 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
shared=${QVIP_SHARED:-$root/../shared}
[[ -f "$shared/lb-samples/lvs-dr-node1.conf" && -f "$shared/lb-samples/lvs-nat-node1.conf" ]] \
  || fail "samples not found in $shared/lb-samples (put shared/ beside the repository or set QVIP_SHARED)"
for tool in wrk nginx haproxy nft jq ip curl; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done

out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d /tmp/qvip-bench-lb.XXXXXX)
clock_ticks=$(getconf CLK_TCK)
haproxy_pid=""
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

cleanup() {
  if [[ -n "$haproxy_pid" ]] && is_running "$haproxy_pid"; then kill -TERM "$haproxy_pid" 2>/dev/null || true; fi
  "$lab" down --name "${name}d" || true
  "$lab" down --name "${name}n" || true
  rm -rf "$work"
}
trap cleanup EXIT

# busy SOFTIRQ: jiffies from /proc/stat's cpu line (busy = everything but idle and iowait).
machine_cpu() {
  awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9, $8}' /proc/stat
}

process_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# wrk_run NS MODE URL...: one wrk (1 thread, C/n connections) per URL at once, S seconds; prints
# "requests errors" summed over them. MODE close sends Connection: close (a new connection per request).
wrk_run() {
  local ns=$1 mode=$2 i=0 url pids=() header=()
  shift 2
  local per=$((connections / $#))
  if [[ "$mode" == close ]]; then header=(-H "Connection: close"); fi
  for url in "$@"; do
    ip netns exec "$ns" wrk -t1 -c"$per" -d"${seconds}s" --timeout 2s "${header[@]}" "$url" >"$work/wrk.$mode.$i" 2>&1 &
    pids+=($!)
    i=$((i + 1))
  done
  wait "${pids[@]}"
  # Named by mode: the caller reads this function's output through a process substitution, so the shell may
  # already run the next call while this one finishes.
  cat "$work"/wrk."$mode".* | awk '
    / requests in / {requests += $1}
    /Socket errors:/ {gsub(",", ""); errors += $4 + $6 + $8 + $10}
    /Non-2xx or 3xx responses:/ {errors += $5}
    END {print requests + 0, errors + 0}'
  rm -f "$work"/wrk."$mode".*
}

# measure SETUP NS DIRECTOR_PID URL...: both phases, one JSON line (of round $round) into $work/results.jsonl.
measure() {
  local setup=$1 ns=$2 director_pid=$3 before after p0 p1 new_requests new_errors requests errors
  shift 3
  read -r -a before < <(machine_cpu)
  p0=0
  if [[ -n "$director_pid" ]]; then p0=$(process_ticks "$director_pid"); fi
  read -r new_requests new_errors < <(wrk_run "$ns" close "$@")
  read -r -a after < <(machine_cpu)
  p1=0
  if [[ -n "$director_pid" ]]; then p1=$(process_ticks "$director_pid"); fi
  read -r requests errors < <(wrk_run "$ns" keepalive "$@")
  jq -cn --arg setup "$setup" --argjson round "$round" --argjson seconds "$seconds" --argjson hz "$clock_ticks" \
    --argjson new "$new_requests" --argjson new_errors "$new_errors" --argjson requests "$requests" \
    --argjson errors "$errors" --argjson busy "$((after[0] - before[0]))" --argjson softirq "$((after[1] - before[1]))" \
    --argjson director "$((p1 - p0))" --arg has_director "${director_pid:+yes}" '
    def per100k(ticks): if $new > 0 then (ticks / $hz / $new * 100000 * 100 | round / 100) else null end;
    {setup: $setup, round: $round, new_connections_per_s: ($new / $seconds | round), new_connection_errors: $new_errors,
     requests_per_s: ($requests / $seconds | round), request_errors: $errors,
     director_process_cpu_s_per_100k: (if $has_director == "yes" then per100k($director) else null end),
     machine_softirq_cpu_s_per_100k: per100k($softirq), machine_busy_cpu_s_per_100k: per100k($busy)}' \
    | tee -a "$work/results.jsonl" >&2
}

# detection_trial I URL FILE: kills rs1's nginx (master and worker at once) while the client GETs URL every 10 ms,
# and starts it again; one JSON line into $work/FILE. Every request whose answer is not a name failed: the
# last one is the last that the director still sent to rs1.
detection_trial() {
  local trial=$1 url=$2 out=$work/$3 loop_pid rs_pid kill_ns log=$work/detect.$1
  ip netns exec "$client" bash -c "while :; do t=\$(date +%s%N); r=\$(curl -s --max-time 1 $url); \
    echo \"\$t \${r:-FAILED}\"; sleep 0.01; done" >"$log" 2>/dev/null &
  loop_pid=$!
  sleep 3
  rs_pid=$(cat "/run/qvip-lab/${name}d/rs1/pid")
  kill_ns=$(date +%s%N)
  # shellcheck disable=SC2046 # one PID per word
  kill -KILL "$rs_pid" $(descendants "$rs_pid") 2>/dev/null || true
  sleep 6
  # shellcheck disable=SC2046
  kill -TERM $(descendants "$loop_pid") "$loop_pid" 2>/dev/null || true
  await_exit 30 "$loop_pid" || true
  "$lab" start --name "${name}d" --real-server rs1 >/dev/null
  sleep 3 # the director sees it up again (a check every second, one success)
  awk -v kill="$kill_ns" -v trial="$trial" '
    $1 > kill && $2 != "rs1" && $2 != "rs2" {failed++; last = $1}
    $1 > kill {after++}
    END {printf "{\"trial\": %d, \"detection_ms\": %s, \"failed_requests\": %d, \"requests_after_kill\": %d}\n",
         trial, (failed ? int((last - kill) / 1e6) : "null"), failed, after}' "$log" \
    | tee -a "$out" >&2
}

# await_answers NS URL NAME...: until GETs of URL from NS have been answered by every real server NAME (60 s).
await_answers() {
  local ns=$1 url=$2 seen=" " answer wanted
  shift 2
  for _ in {1..600}; do
    answer=$(ip netns exec "$ns" curl -s --max-time 1 "$url" || true)
    [[ -n "$answer" && "$seen" != *" $answer "* ]] && seen="$seen$answer "
    for wanted in "$@"; do [[ "$seen" == *" $wanted "* ]] || continue 2; done
    return 0
  done
  fail "$url from $ns: answered by [$seen], expected $*"
}

# start_agent LAB CONFIG VIP NAME...: the agent on the lab's n1 with CONFIG, until the client reaches VIP and
# every real server NAME has answered through it.
start_agent() {
  local lab_name=$1 config=$2 vip=$3
  shift 3
  "$lab" start --name "$lab_name" --node n1 --agent-config "$config" >&2
  local addresses=""
  for _ in {1..300}; do
    addresses=$(ip -n "$lab_name-n1" -o addr show)
    [[ "$addresses" == *" $vip/"* ]] && break
    sleep 0.1
  done
  [[ "$addresses" == *" $vip/"* ]] \
    || { tail -n 20 "/run/qvip-lab/$lab_name/n1/agent.log" >&2; fail "the agent on $lab_name-n1 did not bind $vip in 30 s"; }
  await_answers "$lab_name-client" "http://$vip/" "$@"
}

# agent_jvm LAB: the JVM under the lab's agent pid on n1 (the launcher execs java, or runs it as its child).
agent_jvm() {
  local pid p
  pid=$(cat "/run/qvip-lab/$1/n1/pid")
  for p in "$pid" $(descendants "$pid"); do
    if grep -q java "/proc/$p/comm" 2>/dev/null; then echo "$p"; return; fi
  done
  echo "$pid"
}

# --- both labs, HAProxy and the agents ------------------------------------------------------------------------------

"$lab" up --name "${name}d" --nodes 1 --zk 0 --real-servers 2 >&2
"$lab" up --name "${name}n" --nodes 1 --zk 0 --real-servers 3 --backend --smtp >&2
client=${name}d-client
director=${name}d-n1

cat >"$work/haproxy.cfg" <<CFG
global
    maxconn 8000
    pidfile $work/haproxy.pid
defaults
    mode tcp
    timeout connect 2s
    timeout client 30s
    timeout server 30s
frontend vip
    bind $haproxy_address:80
    default_backend real_servers
backend real_servers
    balance roundrobin
    server rs1 192.0.2.51:80 check inter 1s fall 2 rise 1
    server rs2 192.0.2.52:80 check inter 1s fall 2 rise 1
CFG
setsid ip netns exec "$director" haproxy -db -f "$work/haproxy.cfg" </dev/null >"$work/haproxy.log" 2>&1 &
haproxy_pid=$!
for _ in {1..50}; do
  ip netns exec "$client" curl -s -o /dev/null --max-time 1 "http://$haproxy_address/" && break
  sleep 0.1
done
is_running "$haproxy_pid" || { cat "$work/haproxy.log" >&2; fail "haproxy exited (config $work/haproxy.cfg)"; }

# The agent on n1 with the DR sample, its checks made as quick as HAProxy's (a check every second, down after two
# failures: delay_loop 1, retry 1, delay_before_retry 1, connect_timeout 1); the sample's quorum-free single
# director is enough here (fail-over is the fail-over bench's job). HAProxy listens on n1's own address beside it,
# which the agent's rules (the VIP only) leave alone.
sed -e 's/delay_loop 6/delay_loop 1/' -e 's/nb_get_retry 3/nb_get_retry 1/' \
  -e 's/delay_before_retry 3/delay_before_retry 1/' -e 's/connect_timeout 3/connect_timeout 1/' \
  "$shared/lb-samples/lvs-dr-node1.conf" >"$work/lvs-dr.conf"
start_agent "${name}d" "$work/lvs-dr.conf" "$dr_vip" rs1 rs2
start_agent "${name}n" "$shared/lb-samples/lvs-nat-node1.conf" "$nat_vip" rs1 rs2 rs3
dr_agent=$(agent_jvm "${name}d")
nat_agent=$(agent_jvm "${name}n")

# --- the rounds ---------------------------------------------------------------------------------------------------

for ((round = 1; round <= rounds; round++)); do
  measure direct "$client" "" http://192.0.2.51/ http://192.0.2.52/
  measure "haproxy (tcp mode)" "$client" "$haproxy_pid" "http://$haproxy_address/" "http://$haproxy_address/"
  measure "quorum-vip DR" "$client" "$dr_agent" "http://$dr_vip/" "http://$dr_vip/"
  measure "quorum-vip NAT" "${name}n-client" "$nat_agent" "http://$nat_vip/" "http://$nat_vip/"
done
"$lab" down --name "${name}n" >&2

# --- detection ----------------------------------------------------------------------------------------------------

: >"$work/detection.jsonl"
: >"$work/agent_detection.jsonl"
for ((trial = 1; trial <= detection_trials; trial++)); do
  detection_trial "$trial" "http://$haproxy_address/" detection.jsonl
done
kill -TERM "$haproxy_pid"
await_exit 50 "$haproxy_pid" || kill -KILL "$haproxy_pid"
haproxy_pid=""
for ((trial = 1; trial <= detection_trials; trial++)); do
  await_answers "$client" "http://$dr_vip/" rs1 rs2
  detection_trial "$trial" "http://$dr_vip/" agent_detection.jsonl
done
"$lab" down --name "${name}d" >&2

# --- report -------------------------------------------------------------------------------------------------------

json=$out_dir/lb-$stamp.json
table=$out_dir/lb-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  --arg command "qvip bench lb --seconds $seconds --connections $connections --rounds $rounds" \
  --arg load "$load_before" --arg cpus "$(nproc)" --arg wrk "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f2)" \
  --arg haproxy "$(haproxy -v | head -n 1 | cut -d' ' -f3)" --arg nginx "$(nginx -v 2>&1 | cut -d/ -f2)" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def spread(f): [.[] | f | select(. != null)] | if length == 0 then null
    else {median: median, min: min, max: max} | map_values(. * 1000 | round / 1000) end;
  (map(select(.setup == "direct")) | map({key: (.round | tostring), value: .}) | from_entries) as $direct
  | (reduce .[].setup as $s ([]; if any(.[]; . == $s) then . else . + [$s] end)) as $setups
  | {benchmark: "lb", date: $date, command: $command, cpus: ($cpus | tonumber), load_average_before: $load,
     versions: {wrk: $wrk, haproxy: $haproxy, nginx: $nginx}, results: .,
     summary: [$setups[] as $s | [.[] | select(.setup == $s)] | {setup: $s, rounds: length,
       new_connections_per_s: spread(.new_connections_per_s),
       new_connections_share_of_direct: spread(.new_connections_per_s
         / $direct[.round | tostring].new_connections_per_s),
       new_connection_errors: (map(.new_connection_errors) | add),
       requests_per_s: spread(.requests_per_s),
       requests_share_of_direct: spread(.requests_per_s / $direct[.round | tostring].requests_per_s),
       request_errors: (map(.request_errors) | add),
       director_process_cpu_s_per_100k: spread(.director_process_cpu_s_per_100k),
       machine_softirq_cpu_s_per_100k: spread(.machine_softirq_cpu_s_per_100k),
       machine_busy_cpu_s_per_100k: spread(.machine_busy_cpu_s_per_100k)}],
     haproxy_detection: $detection, agent_detection: $agent_detection}' --slurpfile detection "$work/detection.jsonl" \
  --slurpfile agent_detection "$work/agent_detection.jsonl" "$work/results.jsonl" >"$json"
{
  echo "Median over $rounds round(s) (min–max); share of direct: the median of each round's share."
  echo
  echo "| setup | new connections/s | share of direct | errors | HTTP requests/s (keep-alive) | share of direct | errors | director process CPU s / 100k conns | machine softirq CPU s / 100k conns | machine busy CPU s / 100k conns |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  jq -r '
    def fig: if . == null then "—" elif .min == .max then "\(.median)" else "\(.median) (\(.min)–\(.max))" end;
    def pct: if . == null then "—" elif .min == .max then "\(.median * 100 | round) %"
      else "\(.median * 100 | round) % (\(.min * 100 | round)–\(.max * 100 | round))" end;
    .summary[] | "| \(.setup) | \(.new_connections_per_s | fig) | \(if .setup == "direct" then "—" else (.new_connections_share_of_direct | pct) end) | \(.new_connection_errors) | \(.requests_per_s | fig) | \(if .setup == "direct" then "—" else (.requests_share_of_direct | pct) end) | \(.request_errors) | \(.director_process_cpu_s_per_100k | if . == null then "— (kernel)" else fig end) | \(.machine_softirq_cpu_s_per_100k | fig) | \(.machine_busy_cpu_s_per_100k | fig) |"' "$json"
  if ((rounds > 1)); then
    echo
    echo "| round | setup | new connections/s | HTTP requests/s (keep-alive) | machine softirq CPU s / 100k conns |"
    echo "|---|---|---|---|---|"
    jq -r '.results[] | "| \(.round) | \(.setup) | \(.new_connections_per_s) | \(.requests_per_s) | \(.machine_softirq_cpu_s_per_100k) |"' "$json"
  fi
  if ((detection_trials > 0)); then
    echo
    echo "| detection (rs1 killed) | trials | ms from the kill to the last request sent to rs1 | failed requests |"
    echo "|---|---|---|---|"
    jq -r '(.haproxy_detection | "| HAProxy, inter 1s fall 2 | \(length) | \([.[].detection_ms] | map(tostring) | join(", ")) | \([.[].failed_requests] | map(tostring) | join(", ")) |"),
      (.agent_detection | "| quorum-vip DR, delay_loop 1 retry 1 | \(length) | \([.[].detection_ms] | map(tostring) | join(", ")) | \([.[].failed_requests] | map(tostring) | join(", ")) |")' "$json"
  fi
} | tee "$table"
echo "bench lb: $json, $table (load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
