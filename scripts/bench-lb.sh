#!/usr/bin/env bash
# qvip bench lb [--seconds S] [--connections C] [--detection-trials T] [--name L]: new TCP connections/s and HTTP
# requests/s from the lab's client to two real nginx servers (rs1, rs2): straight to them, through HAProxy 2.6 (TCP
# mode, health checks) on director n1, and through the hand-written nftables NAT and DR rules of
# docs/load-balancing.md on n1. Then T times (default 3, 0: none) rs1's nginx is killed (SIGKILL) while the client
# asks HAProxy every 10 ms: detection is the time from the kill to the last request that still went to rs1 (failed).
#
# Load: wrk (Debian package), two processes of one thread and C/2 connections each (default C 32), S seconds per
# phase (default 10): "new connections" sends Connection: close, so every request is a new TCP connection;
# "requests" keeps the connections open. Direct: one wrk per real server. Director CPU: utime + stime of HAProxy's
# process (/proc/PID/stat); nftables runs in the kernel's softirq, which no process is charged for, so every setup
# also gets the whole machine's softirq and total busy CPU seconds (/proc/stat) during its new-connections phase:
# what a director adds is that figure minus the direct one. The machine is shared: its load average is recorded.
# Labs: Ld (DR: real servers on the nodes' bridge) for direct, HAProxy and DR; Ln (NAT: backend network) for NAT.
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
readonly gateway=198.51.100.1
readonly haproxy_address=192.0.2.11

# usage [exit-code]: to stdout when asked for (exit 0), to stderr on bad usage (exit 2).
usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,17s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench lb: $*" >&2
  exit 1
}

seconds=10
connections=32
detection_trials=3
name=qblb
while (($# > 0)); do
  case "$1" in
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --connections) (($# >= 2)) || usage; connections=$2; shift 2 ;;
    --detection-trials) (($# >= 2)) || usage; detection_trials=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench lb: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$seconds" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "bench lb: --seconds got '$seconds' (expected 1-999)" >&2; usage; }
[[ "$connections" =~ ^[1-9][0-9]{0,3}$ ]] && ((connections % 2 == 0)) \
  || { echo "bench lb: --connections got '$connections' (expected an even number 2-9998)" >&2; usage; }
[[ "$detection_trials" =~ ^[0-9]$ ]] \
  || { echo "bench lb: --detection-trials got '$detection_trials' (expected 0-9)" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,5}$ ]] || { echo "bench lb: --name got '$name' (expected qb + up to 5 chars [a-z0-9])" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
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

# measure SETUP NS DIRECTOR_PID URL...: both phases, one JSON line into $work/results.jsonl.
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
  jq -cn --arg setup "$setup" --argjson seconds "$seconds" --argjson hz "$clock_ticks" \
    --argjson new "$new_requests" --argjson new_errors "$new_errors" --argjson requests "$requests" \
    --argjson errors "$errors" --argjson busy "$((after[0] - before[0]))" --argjson softirq "$((after[1] - before[1]))" \
    --argjson director "$((p1 - p0))" --arg has_director "${director_pid:+yes}" '
    def per100k(ticks): if $new > 0 then (ticks / $hz / $new * 100000 * 100 | round / 100) else null end;
    {setup: $setup, new_connections_per_s: ($new / $seconds | round), new_connection_errors: $new_errors,
     requests_per_s: ($requests / $seconds | round), request_errors: $errors,
     director_process_cpu_s_per_100k: (if $has_director == "yes" then per100k($director) else null end),
     machine_softirq_cpu_s_per_100k: per100k($softirq), machine_busy_cpu_s_per_100k: per100k($busy)}' \
    | tee -a "$work/results.jsonl" >&2
}

mac() {
  ip -n "$1" -j link show dev eth0 | jq -r '.[0].address'
}

# detection_trial I URL: kills rs1's nginx (master and worker at once) while the client GETs URL every 10 ms, and
# starts it again; one JSON line into $work/detection.jsonl. Every request whose answer is not a name failed: the
# last one is the last that the director still sent to rs1.
detection_trial() {
  local trial=$1 url=$2 loop_pid rs_pid kill_ns log=$work/detect.$1
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
  sleep 3 # HAProxy sees it up again (inter 1s, rise 1)
  awk -v kill="$kill_ns" -v trial="$trial" '
    $1 > kill && $2 != "rs1" && $2 != "rs2" {failed++; last = $1}
    $1 > kill {after++}
    END {printf "{\"trial\": %d, \"detection_ms\": %s, \"failed_requests\": %d, \"requests_after_kill\": %d}\n",
         trial, (failed ? int((last - kill) / 1e6) : "null"), failed, after}' "$log" \
    | tee -a "$work/detection.jsonl" >&2
}

# --- DR lab: direct, HAProxy, nftables DR -------------------------------------------------------------------------

"$lab" up --name "${name}d" --nodes 1 --zk 0 --real-servers 2 >&2
client=${name}d-client
director=${name}d-n1
measure direct "$client" "" http://192.0.2.51/ http://192.0.2.52/

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
measure "haproxy (tcp mode)" "$client" "$haproxy_pid" "http://$haproxy_address/" "http://$haproxy_address/"
: >"$work/detection.jsonl"
for ((trial = 1; trial <= detection_trials; trial++)); do
  detection_trial "$trial" "http://$haproxy_address/"
done
kill -TERM "$haproxy_pid"
await_exit 50 "$haproxy_pid" || kill -KILL "$haproxy_pid"
haproxy_pid=""

ip -n "$director" addr add "$dr_vip/24" dev eth0
ip netns exec "$director" nft -f - <<NFT
table netdev qvip_lb {
  chain ingress_eth0 {
    type filter hook ingress device eth0 priority 0; policy accept;
    ip daddr $dr_vip tcp dport 80 fib daddr type local counter ether saddr set $(mac "$director") ether daddr set jhash ip saddr . tcp sport mod 2 seed 0x51 map { 0 : $(mac "${name}d-rs1"), 1 : $(mac "${name}d-rs2") } fwd to "eth0"
  }
}
NFT
measure "nftables DR" "$client" "" "http://$dr_vip/" "http://$dr_vip/"
"$lab" down --name "${name}d" >&2

# --- NAT lab: nftables NAT ----------------------------------------------------------------------------------------

"$lab" up --name "${name}n" --nodes 1 --zk 0 --real-servers 2 --backend >&2
director=${name}n-n1
ip -n "$director" addr add "$nat_vip/24" dev eth0
ip -n "$director" addr add "$gateway/24" dev eth1
ip netns exec "$director" nft -f - <<NFT
table ip qvip_lb {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr $nat_vip tcp dport 80 fib daddr type local counter dnat to numgen random mod 2 map { 0 : 198.51.100.51, 1 : 198.51.100.52 }
  }
}
NFT
measure "nftables NAT" "${name}n-client" "" "http://$nat_vip/" "http://$nat_vip/"
"$lab" down --name "${name}n" >&2

# --- report -------------------------------------------------------------------------------------------------------

json=$out_dir/lb-$stamp.json
table=$out_dir/lb-$stamp.md
jq -s --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg command "qvip bench lb --seconds $seconds --connections $connections" \
  --arg load "$load_before" --arg cpus "$(nproc)" --arg wrk "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f2)" \
  --arg haproxy "$(haproxy -v | head -n 1 | cut -d' ' -f3)" --arg nginx "$(nginx -v 2>&1 | cut -d/ -f2)" \
  '{benchmark: "lb", date: $date, command: $command, cpus: ($cpus | tonumber), load_average_before: $load,
    versions: {wrk: $wrk, haproxy: $haproxy, nginx: $nginx}, results: .,
    haproxy_detection: $detection}' --slurpfile detection "$work/detection.jsonl" "$work/results.jsonl" >"$json"
{
  echo "| setup | new connections/s | errors | HTTP requests/s (keep-alive) | errors | director process CPU s / 100k conns | machine softirq CPU s / 100k conns | machine busy CPU s / 100k conns |"
  echo "|---|---|---|---|---|---|---|---|"
  jq -r '.results[] | "| \(.setup) | \(.new_connections_per_s) | \(.new_connection_errors) | \(.requests_per_s) | \(.request_errors) | \(.director_process_cpu_s_per_100k // "— (kernel)") | \(.machine_softirq_cpu_s_per_100k) | \(.machine_busy_cpu_s_per_100k) |"' "$json"
  if ((detection_trials > 0)); then
    echo
    echo "| detection (rs1 killed) | trials | ms from the kill to the last request sent to rs1 | failed requests |"
    echo "|---|---|---|---|"
    jq -r '.haproxy_detection | "| HAProxy, inter 1s fall 2 | \(length) | \([.[].detection_ms] | map(tostring) | join(", ")) | \([.[].failed_requests] | map(tostring) | join(", ")) |"' "$json"
  fi
} | tee "$table"
echo "bench lb: $json, $table (load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
