#!/usr/bin/env bash
# qvip bench lb [--seconds S] [--connections C] [--rounds R] [--detection-trials T] [--name L] [--isolate-director]:
# new TCP connections/s
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
# --isolate-director: a lab model of a director with a CPU of its own (2-core machine: CPU 1 the director's, CPU 0
# everyone else's), for every setup alike. Processes: wrk and the real servers' nginx pinned to CPU 0, HAProxy
# (started on CPU 1, so it sizes itself to one thread) and the agent (every thread) to CPU 1. Packet work: a veth
# hands a frame to its peer on the sending CPU, so RPS steers it: frames received on the director's (n1's)
# interfaces are processed on CPU 1, on the client's, the switch's and the real servers' on CPU 0, except on the
# switch's ports facing the director: a frame the director sends arrives there, and the switch's pass for it (a
# hop direct does not have) runs on CPU 1, as the director's cost, not the client's. Each setup also gets CPU 0's
# and CPU 1's softirq and CPU 1's busy seconds (/proc/stat) per 100k connections: CPU 1's softirq is near 0 in
# direct and the director's packet work in the others. Every frame through a director crosses from one CPU to the
# other and back, which direct's never do; on this machine that costs CPU 0 more than the director's work costs
# CPU 1 (docs/benchmarks.md), so the shares understate a separate machine's. Still one machine: other processes
# and the machine's own work run on either CPU. Without the option everything shares both CPUs.
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
  sed -n '2,37s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
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
isolate=false
while (($# > 0)); do
  case "$1" in
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --connections) (($# >= 2)) || usage; connections=$2; shift 2 ;;
    --rounds) (($# >= 2)) || usage; rounds=$2; shift 2 ;;
    --detection-trials) (($# >= 2)) || usage; detection_trials=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    --isolate-director) isolate=true; shift ;;
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
for tool in wrk nginx haproxy nft jq ip curl taskset; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done
# What the client's and the director's processes are started under: nothing, or their CPU (--isolate-director).
client_cpu=()
director_cpu=()
isolate_flag=""
if [[ "$isolate" == true ]]; then
  isolate_flag=" --isolate-director"
  (($(nproc) >= 2)) \
    || fail "--isolate-director needs 2 CPUs (CPU 1 the director's, CPU 0 the rest); this machine has $(nproc)"
  client_cpu=(taskset -c 0)
  director_cpu=(taskset -c 1)
fi

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

# BUSY SOFTIRQ CPU0_BUSY CPU0_SOFTIRQ CPU1_BUSY CPU1_SOFTIRQ: jiffies from /proc/stat's cpu, cpu0 and cpu1 lines
# (busy = everything but idle and iowait); a machine with one CPU has no cpu1 line.
machine_cpu() {
  awk '$1 ~ /^cpu[01]?$/ {printf "%d %d ", $2 + $3 + $4 + $7 + $8 + $9, $8} END {print ""}' /proc/stat
}

process_ticks() {
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# pin CPU PID...: every thread of each PID and of its descendants on CPU; threads and children made later inherit it.
pin() {
  local cpu=$1 pid child
  shift
  for pid in "$@"; do
    taskset -a -p -c "$cpu" "$pid" >/dev/null || fail "could not pin process $pid to CPU $cpu (taskset -a -p)"
    # A descendant may be a check script that ended meanwhile.
    for child in $(descendants "$pid"); do taskset -a -p -c "$cpu" "$child" >/dev/null 2>&1 || true; done
  done
}

# pin_real_servers LAB: the lab's nginx servers (real servers and the sorry server) on CPU 0.
pin_real_servers() {
  local host _
  while read -r host _; do
    pin 0 "$(cat "/run/qvip-lab/$1/$host/pid")"
  done <"/run/qvip-lab/$1/real-servers"
}

# steer_lab LAB: RPS on every veth of the lab's namespaces: frames the director n1 receives, and frames it sends as
# far as the switch (its switch ports: LAB-n1, and LAB-bn1 on the backend bridge), are processed on CPU 1 (mask 2);
# every other frame the switch, the client and the real servers receive on CPU 0 (mask 1). The switch's pass for a
# frame the director sent exists only because of the director's hop (direct has no such pass); on CPU 0 it would
# charge the client's and the servers' CPU for it, which is what the model is to remove. ip netns exec mounts the
# namespace's own /sys; the setting goes with the devices when the lab is torn down.
steer_lab() {
  local ns mask dev queue
  for ns in $(ip netns list | awk -v prefix="$1-" 'index($1, prefix) == 1 {print $1}'); do
    for dev in $(ip -n "$ns" -o link show type veth | awk -F': ' '{sub(/@.*/, "", $2); print $2}'); do
      mask=1
      if [[ "$ns" == "$1-n1" || "$ns/$dev" == "$1-sw/$1-n1" || "$ns/$dev" == "$1-sw/$1-bn1" ]]; then mask=2; fi
      for queue in $(ip netns exec "$ns" sh -c "ls -d /sys/class/net/$dev/queues/rx-*"); do
        ip netns exec "$ns" sh -c "echo $mask >$queue/rps_cpus" \
          || fail "could not set RPS of $dev in $ns ($queue/rps_cpus)"
      done
    done
  done
}

# wrk_run NS MODE URL...: one wrk (1 thread, C/n connections) per URL at once, S seconds; prints
# "requests errors" summed over them. MODE close sends Connection: close (a new connection per request).
wrk_run() {
  local ns=$1 mode=$2 i=0 url pids=() header=()
  shift 2
  local per=$((connections / $#))
  if [[ "$mode" == close ]]; then header=(-H "Connection: close"); fi
  for url in "$@"; do
    ip netns exec "$ns" "${client_cpu[@]}" wrk -t1 -c"$per" -d"${seconds}s" --timeout 2s "${header[@]}" "$url" \
      >"$work/wrk.$mode.$i" 2>&1 &
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
    --argjson cpu0_softirq "$((after[3] - before[3]))" --argjson cpu1_busy "$((${after[4]:-0} - ${before[4]:-0}))" \
    --argjson cpu1_softirq "$((${after[5]:-0} - ${before[5]:-0}))" \
    --argjson director "$((p1 - p0))" --arg has_director "${director_pid:+yes}" '
    def per100k(ticks): if $new > 0 then (ticks / $hz / $new * 100000 * 100 | round / 100) else null end;
    {setup: $setup, round: $round, new_connections_per_s: ($new / $seconds | round), new_connection_errors: $new_errors,
     requests_per_s: ($requests / $seconds | round), request_errors: $errors,
     director_process_cpu_s_per_100k: (if $has_director == "yes" then per100k($director) else null end),
     machine_softirq_cpu_s_per_100k: per100k($softirq), machine_busy_cpu_s_per_100k: per100k($busy),
     cpu0_softirq_cpu_s_per_100k: per100k($cpu0_softirq), cpu1_softirq_cpu_s_per_100k: per100k($cpu1_softirq),
     cpu1_busy_cpu_s_per_100k: per100k($cpu1_busy)}' \
    | tee -a "$work/results.jsonl" >&2
}

# detection_trial I URL FILE: kills rs1's nginx (master and worker at once) while the client GETs URL every 10 ms,
# and starts it again; one JSON line into $work/FILE. Every request whose answer is not a name failed: the
# last one is the last that the director still sent to rs1.
detection_trial() {
  local trial=$1 url=$2 out=$work/$3 loop_pid rs_pid kill_ns log=$work/detect.$1
  ip netns exec "$client" "${client_cpu[@]}" bash -c "while :; do t=\$(date +%s%N); \
    r=\$(curl -s --max-time 1 $url); \
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
  if [[ "$isolate" == true ]]; then pin_real_servers "${name}d"; fi
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
setsid ip netns exec "$director" "${director_cpu[@]}" haproxy -db -f "$work/haproxy.cfg" </dev/null \
  >"$work/haproxy.log" 2>&1 &
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
if [[ "$isolate" == true ]]; then
  for lab_name in "${name}d" "${name}n"; do
    steer_lab "$lab_name"
    pin_real_servers "$lab_name"
    pin 1 "$(cat "/run/qvip-lab/$lab_name/n1/pid")"
  done
fi

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
  --arg command "qvip bench lb --seconds $seconds --connections $connections --rounds $rounds$isolate_flag" \
  --argjson isolate "$isolate" \
  --arg load "$load_before" --arg cpus "$(nproc)" --arg wrk "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f2)" \
  --arg haproxy "$(haproxy -v | head -n 1 | cut -d' ' -f3)" --arg nginx "$(nginx -v 2>&1 | cut -d/ -f2)" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  def spread(f): [.[] | f | select(. != null)] | if length == 0 then null
    else {median: median, min: min, max: max} | map_values(. * 1000 | round / 1000) end;
  (map(select(.setup == "direct")) | map({key: (.round | tostring), value: .}) | from_entries) as $direct
  | (reduce .[].setup as $s ([]; if any(.[]; . == $s) then . else . + [$s] end)) as $setups
  | {benchmark: "lb", date: $date, command: $command, cpus: ($cpus | tonumber), load_average_before: $load,
     director_isolated: $isolate,
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
       machine_busy_cpu_s_per_100k: spread(.machine_busy_cpu_s_per_100k),
       cpu0_softirq_cpu_s_per_100k: spread(.cpu0_softirq_cpu_s_per_100k),
       cpu1_softirq_cpu_s_per_100k: spread(.cpu1_softirq_cpu_s_per_100k),
       cpu1_busy_cpu_s_per_100k: spread(.cpu1_busy_cpu_s_per_100k)}],
     haproxy_detection: $detection, agent_detection: $agent_detection}' --slurpfile detection "$work/detection.jsonl" \
  --slurpfile agent_detection "$work/agent_detection.jsonl" "$work/results.jsonl" >"$json"
{
  if [[ "$isolate" == true ]]; then
    echo "Director isolated: CPU 1 the director's (HAProxy, the agent; RPS of n1's interfaces and of its switch ports),"
    echo "CPU 0 the client's, the rest of the switch's and the real servers' (wrk, nginx; RPS of their interfaces); the"
    echo "same for every setup."
  else
    echo "Shared CPUs: client, director, real servers and the kernel's packet work on every CPU."
  fi
  echo "Median over $rounds round(s) (min–max); share of direct: the median of each round's share."
  echo
  echo "| setup | new connections/s | share of direct | errors | HTTP requests/s (keep-alive) | share of direct | errors | director process CPU s / 100k conns | machine softirq CPU s / 100k conns | machine busy CPU s / 100k conns |${isolate_flag:+ CPU 0 softirq CPU s / 100k conns | CPU 1 softirq CPU s / 100k conns | CPU 1 busy CPU s / 100k conns |}"
  echo "|---|---|---|---|---|---|---|---|---|---|${isolate_flag:+---|---|---|}"
  jq -r --argjson isolate "$isolate" '
    def fig: if . == null then "—" elif .min == .max then "\(.median)" else "\(.median) (\(.min)–\(.max))" end;
    def pct: if . == null then "—" elif .min == .max then "\(.median * 100 | round) %"
      else "\(.median * 100 | round) % (\(.min * 100 | round)–\(.max * 100 | round))" end;
    .summary[] | "| \(.setup) | \(.new_connections_per_s | fig) | \(if .setup == "direct" then "—" else (.new_connections_share_of_direct | pct) end) | \(.new_connection_errors) | \(.requests_per_s | fig) | \(if .setup == "direct" then "—" else (.requests_share_of_direct | pct) end) | \(.request_errors) | \(.director_process_cpu_s_per_100k | if . == null then "— (kernel)" else fig end) | \(.machine_softirq_cpu_s_per_100k | fig) | \(.machine_busy_cpu_s_per_100k | fig) |\(if $isolate then " \(.cpu0_softirq_cpu_s_per_100k | fig) | \(.cpu1_softirq_cpu_s_per_100k | fig) | \(.cpu1_busy_cpu_s_per_100k | fig) |" else "" end)"' "$json"
  if ((rounds > 1)); then
    echo
    echo "| round | setup | new connections/s | HTTP requests/s (keep-alive) | machine softirq CPU s / 100k conns |${isolate_flag:+ CPU 0 softirq CPU s / 100k conns | CPU 1 softirq CPU s / 100k conns |}"
    echo "|---|---|---|---|---|${isolate_flag:+---|---|}"
    jq -r --argjson isolate "$isolate" '.results[] | "| \(.round) | \(.setup) | \(.new_connections_per_s) | \(.requests_per_s) | \(.machine_softirq_cpu_s_per_100k) |\(if $isolate then " \(.cpu0_softirq_cpu_s_per_100k) | \(.cpu1_softirq_cpu_s_per_100k) |" else "" end)"' "$json"
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
