#!/usr/bin/env bash
# qvip bench checks [--servers N] [--seconds S] [--misc M] [--name L] [--checks tcp,http,misc]
#   [--together | --only agent|haproxy] [--scrape-every E]: the health checks' cost at scale. N real servers
# (default 10000) are one process on rs1 listening on N ports of 198.51.100.51 (scripts/lib/check-target.py); the
# agent on n1 checks them every second with TCP_CHECK, then with HTTP_GET, and HAProxy 2.6 on n2 checks the same N
# servers (inter 1s; tcp-check connect and one byte, then option httpchk): one after the other, each against a fresh
# target, or both at once with --together (on 2 cores the target then serves twice the connections and the three
# processes share the CPU), or only one of them with --only. Then MISC_CHECK (sh -c 'echo >> FILE') on M real servers
# (default 100). --checks runs only the phases named (default all three), so one checker type fits in a short locked
# run.
#
# Per phase, after a 15 s warm-up (from the agent's "agent started": its start at 10,000 real servers takes tens of
# seconds), S seconds (default 60) are measured: CPU seconds per minute (utime + stime of the process and its
# descendants; the target's too, which shows when it, not the checker, is the limit: one core is 60), RSS at the end,
# and from the server's side per checker, over the same S seconds: probes per second and the lateness of check periods
# (interval between two probes of one port minus 1 s, for the periods that end in the S seconds, and the overrun of
# those still open at the end; p50/p99/max). MISC_CHECK: the agent's CPU, script runs per second counted by the
# scripts, and the machine's process creations per second (/proc/stat "processes": machine-wide, so other load on the
# machine counts too). The machine is shared: its load average is recorded. From the agent's /metrics after the
# window: its own count of how late probes started after their due time (the buckets of
# qvip_lb_probe_start_lateness_seconds its p50 and p99 fall in, since its start) and of the probes that waited for
# the bound on probes in flight. The agent runs as users run it, with the launcher's JVM options (scripts/qvip), or
# with QVIP_JAVA_OPTS when set. With --scrape-every E (off by default), the agent's /metrics is also scraped every E
# seconds inside the TCP_CHECK and HTTP_GET phases' measured window (at E, 2E, ... before its end; not in MISC_CHECK's,
# whose process creations a scrape's curl would add to), as Prometheus scrapes it, from n1 like the scrape after the
# window: per scrape its duration, its bytes, the agent's RSS after it, and the worst lateness of the check periods
# that ended from its start to one second after its end (the target's per-second worst; the median over the window's
# seconds beside it).
#
# Output: a Markdown table on stdout, and lab-runs/bench/checks-DATE.{json,md}. Lab name default qbck. Exit codes: 0
# ok, 1 failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"
readonly root
readonly lab=$root/scripts/lab.sh
readonly target=198.51.100.51
readonly first_port=20000
readonly warmup=15

usage() {
  local code=${1:-2}
  ((code == 0)) || exec 1>&2
  sed -n '2,34s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "$code"
}

fail() {
  echo "bench checks: $*" >&2
  exit 1
}

servers=10000
seconds=60
misc=100
name=qbck
together=0
only=""
checks=tcp,http,misc
scrape_every=0
while (($# > 0)); do
  case "$1" in
    --servers) (($# >= 2)) || usage; servers=$2; shift 2 ;;
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --misc) (($# >= 2)) || usage; misc=$2; shift 2 ;;
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    --together) together=1; shift ;;
    --only) (($# >= 2)) || usage; only=$2; shift 2 ;;
    --checks) (($# >= 2)) || usage; checks=$2; shift 2 ;;
    --scrape-every) (($# >= 2)) || usage; scrape_every=$2; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench checks: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$servers" =~ ^[1-9][0-9]{0,4}$ ]] && ((servers <= 20000)) \
  || { echo "bench checks: --servers got '$servers' (expected 1-20000)" >&2; usage; }
[[ "$seconds" =~ ^[1-9][0-9]{0,2}$ ]] || { echo "bench checks: --seconds got '$seconds' (expected 1-999)" >&2; usage; }
[[ "$misc" =~ ^[1-9][0-9]{0,3}$ ]] || { echo "bench checks: --misc got '$misc' (expected 1-9999)" >&2; usage; }
[[ "$name" =~ ^qb[a-z0-9]{0,5}$ ]] || { echo "bench checks: --name got '$name' (expected qb + up to 5 chars [a-z0-9])" >&2; usage; }
[[ "$only" =~ ^(|agent|haproxy)$ ]] || { echo "bench checks: --only got '$only' (expected agent or haproxy)" >&2; usage; }
[[ "$checks" =~ ^(tcp|http|misc)(,(tcp|http|misc))*$ ]] \
  || { echo "bench checks: --checks got '$checks' (expected a comma-separated list of tcp, http, misc)" >&2; usage; }
[[ "$scrape_every" =~ ^[0-9]{1,3}$ ]] && ((scrape_every == 0 || scrape_every < seconds)) \
  || { echo "bench checks: --scrape-every got '$scrape_every' (expected seconds, 1 to less than --seconds $seconds)" >&2; usage; }
((scrape_every == 0)) || [[ "$only" != haproxy ]] \
  || { echo "bench checks: --scrape-every scrapes the agent, which --only haproxy does not run" >&2; usage; }
[[ -z "$only" ]] || ((together == 0)) || { echo "bench checks: --only and --together exclude each other" >&2; usage; }
((EUID == 0)) || fail "needs root (network namespaces); run it as root"
for tool in haproxy jq ip /usr/bin/python3; do
  command -v "$tool" >/dev/null || fail "$tool not found (run scripts/install-deps as root)"
done

out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
work=$(mktemp -d /tmp/qvip-bench-checks.XXXXXX)
clock_ticks=$(getconf CLK_TCK)
state=/run/qvip-lab/$name
target_pid=""
haproxy_pid=""
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

stop_pid() {
  local pid=$1
  [[ -n "$pid" ]] && is_running "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in {1..100}; do is_running "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

stop_agent() {
  [[ -f "$state/n1/pid" ]] && stop_pid "$(cat "$state/n1/pid")"
  rm -f "$state/n1/pid"
}

cleanup() {
  local code=$?
  if ((code != 0)) && [[ -f "$state/n1/agent.log" ]]; then
    echo "bench checks: failed; the agent's last log lines:" >&2
    tail -n 20 "$state/n1/agent.log" >&2
  fi
  stop_pid "$haproxy_pid"
  stop_pid "$target_pid"
  stop_agent || true
  "$lab" down --name "$name" || true
  rm -rf "$work"
}
trap cleanup EXIT

# CPU ticks (utime + stime) of a process and its descendants.
tree_ticks() {
  local pid total=0 fields
  for pid in "$1" $(descendants "$1"); do
    fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || continue
    read -r -a stat <<<"$fields"
    total=$((total + stat[11] + stat[12]))
  done
  echo "$total"
}

rss_mib() {
  [[ -r "/proc/$1/status" ]] || fail "process $1 is gone (did the agent stop? see its log above)"
  awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

# The JVM under the lab's agent pid (the launcher execs java, or runs it as its child).
agent_jvm() {
  local pid
  pid=$(cat "$state/n1/pid")
  for p in "$pid" $(descendants "$pid"); do
    if grep -q java "/proc/$p/comm" 2>/dev/null; then echo "$p"; return; fi
  done
  echo "$pid"
}

vrrp_block() {
  cat <<CONF
vrrp_instance front {
    state MASTER
    interface eth0
    virtual_router_id 81
    priority 150
    advert_int 1
    virtual_ipaddress {
        192.0.2.230/24 dev eth0
    }
}
CONF
}

# agent_config KIND COUNT: COUNT real servers on consecutive ports, 100 per virtual server (a PoolChanged record of
# 10,000 members is over the journal's 64 KiB record limit), each checked every second. TCP_CHECK and HTTP_GET close
# with close_with_reset, as docs/operations.md says to at this rate: closed with a FIN, 10,000 checks a second held
# 1.2 million TIME_WAIT conntrack entries in n1 (NAT), the table (262,144) filled and dropped SYNs and adverts. And
# untracked (since 2026-12-04, issue 12): n1's conntrack then tracks no check, as n2's HAProxy has none to track.
agent_config() {
  local kind=$1 count=$2 port checker
  vrrp_block
  for ((port = first_port; port < first_port + count; port++)); do
    if (((port - first_port) % 100 == 0)); then
      ((port == first_port)) || echo "}"
      printf 'virtual_server 192.0.2.230 %d {\n    lb_algo rr\n    lb_kind NAT\n' $((1000 + (port - first_port) / 100))
    fi
    case "$kind" in
      tcp) checker=$'TCP_CHECK {\n connect_timeout 1\n close_with_reset\n untracked\n}' ;;
      http) checker=$'HTTP_GET {\n url {\n path /\n }\n connect_timeout 1\n close_with_reset\n untracked\n}' ;;
      misc) checker=$'MISC_CHECK {\n misc_path "sh -c \'echo >> '"$work"$'/misc-runs\'"\n misc_timeout 1\n}' ;;
    esac
    printf '    real_server %s %d {\n        delay_loop 1\n%s\n    }\n' "$target" "$port" "$checker"
  done
  echo "}"
}

haproxy_config() {
  local kind=$1 port
  cat <<CONF
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 1s
    timeout client 5s
    timeout server 5s
    timeout check 1s
listen checked
    bind 192.0.2.12:18080
CONF
  # HAProxy's plain check (no tcp-check rules) never completes the handshake: it delays the ACK of the SYN-ACK and
  # aborts with a RST once connect() returns, so the server application never accepts it and the target counts
  # nothing. One byte sent after the connect carries the ACK: a full connection the target accepts, as
  # keepalived's TCP_CHECK and the agent's make.
  case "$kind" in
    tcp) printf '    option tcp-check\n    tcp-check connect\n    tcp-check send-binary 0a\n' ;;
    http) echo "    option httpchk GET /" ;;
  esac
  for ((port = first_port; port < first_port + servers; port++)); do
    echo "    server s$port $target:$port check inter 1s"
  done
}

# run KIND CHECKERS...: a fresh target, then the checkers named (agent on n1, haproxy on n2) checking its servers at
# once; prints one JSON line per checker, with the target's CPU over the same seconds.
run() {
  local kind=$1 checker tag result target_start target_end target_cpu
  shift
  tag=$kind-$(IFS=-; echo "$*")
  result=$work/target-$tag.json
  setsid ip netns exec "$name-rs1" bash -c "ulimit -n 65536; exec /usr/bin/python3 $root/scripts/lib/check-target.py \
    $target $first_port $servers 1 $result" </dev/null >"$work/target-$tag.log" 2>&1 &
  target_pid=$!
  sleep 3
  is_running "$target_pid" || fail "the check target did not start: $(cat "$work/target-$tag.log")"
  local -A start end rss
  for checker in "$@"; do
    case "$checker" in
      agent)
        agent_config "$kind" "$servers" >"$work/agent-$kind.conf"
        "$lab" start --name "$name" --node n1 --agent-config "$work/agent-$kind.conf" >/dev/null
        await_agent_started ;;
      haproxy)
        haproxy_config "$kind" >"$work/haproxy-$kind.cfg"
        setsid ip netns exec "$name-n2" bash -c "ulimit -n 65536; exec haproxy -db -f $work/haproxy-$kind.cfg" \
          </dev/null >"$work/haproxy-$kind.log" 2>&1 &
        haproxy_pid=$! ;;
    esac
  done
  sleep "$warmup"
  kill -USR1 "$target_pid"
  for checker in "$@"; do start[$checker]=$(tree_ticks "$(checker_pid "$checker")"); done
  target_start=$(tree_ticks "$target_pid")
  local scrapes=$work/scrapes-$tag.jsonl
  : >"$scrapes"
  if [[ " $* " == *" agent "* ]]; then measured_window "$scrapes"; else sleep "$seconds"; fi
  for checker in "$@"; do end[$checker]=$(tree_ticks "$(checker_pid "$checker")"); done
  target_end=$(tree_ticks "$target_pid")
  for checker in "$@"; do
    if [[ "$checker" == agent ]]; then rss[$checker]=$(rss_mib "$(agent_jvm)"); else rss[$checker]=$(rss_mib "$haproxy_pid"); fi
  done
  # The figures first, then the agent's counters with the target still answering: scraped after the target
  # stopped, they counted the refused probes of the seconds in between and the real servers those took down.
  kill -USR2 "$target_pid"
  # The target sorts a minute's periods in about a second, three minutes' in several (on a shared core, more).
  for _ in {1..300}; do [[ -s "$result" ]] && break; sleep 0.1; done
  [[ -s "$result" ]] || fail "the check target wrote no figures within 30 s of the window's end"
  local scraped='{}'
  if [[ -f "$state/n1/pid" ]]; then
    scraped=$(agent_scrape)
    cp "$state/n1/agent.log" "$out_dir/checks-$stamp-agent-$kind.log" 2>/dev/null || true
  fi
  stop_pid "$target_pid"
  stop_agent
  stop_pid "$haproxy_pid"
  haproxy_pid=""
  target_cpu=$(per_minute $((target_end - target_start)))
  for checker in "$@"; do
    jq -c --arg kind "$kind" --arg checker "$checker" --argjson cpu "$(per_minute $((end[$checker] - start[$checker])))" \
      --argjson rss "${rss[$checker]}" --argjson target_cpu "$target_cpu" --arg with "$*" \
      --argjson scraped "$(if [[ "$checker" == agent ]]; then echo "$scraped"; else echo '{}'; fi)" \
      --slurpfile scrapes "$(if [[ "$checker" == agent ]]; then echo "$scrapes"; else echo /dev/null; fi)" \
      'def with_late_scrapes:
         (.lateness_ms_max_by_second // []) as $worst
         | .lateness_ms_worst_of_a_second_median = ($worst | sort | .[length / 2 | floor])
         | .scrapes |= map(if .scrape_ms == null then . else
             . + {worst_lateness_ms: ($worst[(.at_s | floor):((.at_s + .scrape_ms / 1000) | floor) + 2] | max)} end);
       {phase: $kind, checker: (if $checker == "agent" then "quorum-vip agent" else "HAProxy 2.6" end),
        checked_with: $with, cpu_s_per_min: $cpu, rss_mib: $rss, target_cpu_s_per_min: $target_cpu}
       + $scraped + (.[if $checker == "agent" then "198.51.100.11" else "198.51.100.12" end] // {})
       | if ($scrapes | length) > 0 then . + {scrapes: $scrapes} | with_late_scrapes else . end' "$result"
  done
}

# measured_window SERIES: the measured seconds; with --scrape-every, the agent's /metrics scraped every E seconds in
# them, one JSON line per scrape appended to SERIES (at_s: seconds into the window).
measured_window() {
  local series=$1 started at
  started=$(date +%s%N)
  if ((scrape_every > 0)); then
    for ((at = scrape_every; at < seconds; at += scrape_every)); do
      sleep_until $((started + at * 1000000000))
      window_scrape $((($(date +%s%N) - started) / 1000000)) >>"$series"
    done
  fi
  sleep_until $((started + seconds * 1000000000))
}

# sleep_until NANOS: sleeps until the wall clock (date +%s%N) reaches NANOS; at once when it has.
sleep_until() {
  local left=$(($1 - $(date +%s%N)))
  ((left <= 0)) || sleep "$((left / 1000000000)).$(printf '%09d' $((left % 1000000000)))"
}

# window_scrape AT_MS: one scrape of the agent's /metrics, as Prometheus makes it, inside the window.
window_scrape() {
  local at_ms=$1 measured bytes total
  if ! measured=$(ip netns exec "$name-n1" curl -sf --max-time 60 -o /dev/null -w '%{size_download} %{time_total}' \
    "http://127.0.0.1:9110/metrics"); then
    jq -cn --argjson at "$at_ms" '{at_s: ($at / 1000), scrape: "failed or over 60 s"}'
    return
  fi
  read -r bytes total <<<"$measured"
  jq -cn --argjson at "$at_ms" --argjson bytes "$bytes" --argjson total "$total" --argjson rss "$(rss_mib "$(agent_jvm)")" \
    '{at_s: ($at / 1000), scrape_ms: ($total * 1000 | round), bytes: $bytes, rss_mib_after: $rss}'
}

# The agent logs "agent started" once its load balancer has applied the first program and started the checks: at
# 10,000 real servers that takes tens of seconds, which the warm-up must not include.
await_agent_started() {
  for _ in $(seq 1200); do
    grep -q 'agent started' "$state/n1/agent.log" 2>/dev/null && return 0
    is_running "$(cat "$state/n1/pid")" || fail "the agent stopped while starting"
    sleep 0.1
  done
  fail "the agent did not log \"agent started\" within 120 s (see $state/n1/agent.log)"
}

# After the measured seconds, one scrape of the agent's /metrics as Prometheus would make it: what the agent
# counted since its start (failed probes: the timeouts of a loop that fell behind show there; real servers held
# down), how long the scrape took, and the agent's RSS after it (a scrape reads every counter of the nftables
# tables). JSON fields to merge into the phase's line.
agent_scrape() {
  local text started elapsed
  started=$(date +%s%N)
  if ! text=$(ip netns exec "$name-n1" curl -sf --max-time 60 "http://127.0.0.1:9110/metrics"); then
    echo '{"agent_scrape": "failed or over 60 s"}'
    return
  fi
  elapsed=$((($(date +%s%N) - started) / 1000000))
  awk -v ms="$elapsed" -v rss="$(rss_mib "$(agent_jvm)")" '
    /^qvip_lb_checks_total\{.*result="failure"/ {failed += $NF}
    /^qvip_lb_real_server_up\{/ && $NF == 0 {down++}
    /^qvip_lb_probes_queued_total / {queued = $NF}
    /^qvip_lb_probe_start_lateness_seconds_bucket\{/ {
      le = $1; sub(/.*le="/, "", le); sub(/".*/, "", le); n++; bound[n] = le; cumulative[n] = $NF
    }
    # The bucket a quantile falls in, by its upper bound in ms: the agent counts since its start, warm-up included.
    function quantile(q,   i) {
      for (i = 1; i <= n; i++) if (cumulative[i] >= q * cumulative[n]) return bound[i] == "+Inf" ? "\"+Inf\"" : bound[i] * 1000
      return "null"
    }
    END {printf "{\"agent_failed_probes\": %d, \"agent_real_servers_down\": %d, \"scrape_ms\": %d, \"rss_mib_after_scrape\": %d, \"agent_probes_queued\": %d, \"agent_start_lateness_ms_p50_le\": %s, \"agent_start_lateness_ms_p99_le\": %s}\n", failed, down, ms, rss, queued, quantile(0.5), quantile(0.99)}' <<<"$text"
}

checker_pid() {
  if [[ "$1" == agent ]]; then cat "$state/n1/pid"; else echo "$haproxy_pid"; fi
}

# CPU seconds per minute of TICKS clock ticks over the measured seconds.
per_minute() {
  jq -n --argjson ticks "$1" --argjson hz "$clock_ticks" --argjson s "$seconds" '($ticks / $hz) * 60 / $s * 100 | round / 100'
}

# phase KIND: each checker alone against its own target (by default), or both at once (--together).
phase() {
  if ((together)); then
    run "$1" agent haproxy
  elif [[ -n "$only" ]]; then
    run "$1" "$only"
  else
    run "$1" agent
    run "$1" haproxy
  fi
}

misc_phase() {
  local start end processes_start processes_end runs
  agent_config misc "$misc" >"$work/agent-misc.conf"
  : >"$work/misc-runs"
  "$lab" start --name "$name" --node n1 --agent-config "$work/agent-misc.conf" >/dev/null
  await_agent_started
  sleep "$warmup"
  start=$(tree_ticks "$(cat "$state/n1/pid")")
  processes_start=$(awk '/^processes/ {print $2}' /proc/stat)
  runs=$(wc -l <"$work/misc-runs")
  sleep "$seconds"
  end=$(tree_ticks "$(cat "$state/n1/pid")")
  processes_end=$(awk '/^processes/ {print $2}' /proc/stat)
  runs=$(($(wc -l <"$work/misc-runs") - runs))
  local rss
  rss=$(rss_mib "$(agent_jvm)")
  stop_agent
  jq -cn --argjson ticks $((end - start)) --argjson hz "$clock_ticks" --argjson s "$seconds" --argjson rss "$rss" \
    --argjson runs "$runs" --argjson forks $((processes_end - processes_start)) --argjson m "$misc" \
    '{phase: "misc", checker: "quorum-vip agent", servers: $m, cpu_s_per_min: ((($ticks / $hz) * 60 / $s) * 100
      | round / 100), rss_mib: $rss, runs_per_s: (($runs / $s) * 10 | round / 10),
      machine_forks_per_s: (($forks / $s) * 10 | round / 10)}'
}

"$root/scripts/qvip" build >&2
"$lab" up --name "$name" --nodes 2 --zk 0 --real-servers 1 --backend >&2
{
  [[ ",$checks," != *,tcp,* ]] || phase tcp
  [[ ",$checks," != *,http,* ]] || phase http
  [[ "$only" == haproxy || ",$checks," != *,misc,* ]] || misc_phase
} >"$work/results.jsonl"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
json=$out_dir/checks-$stamp.json
md=$out_dir/checks-$stamp.md
jq -s --arg servers "$servers" --arg seconds "$seconds" --arg load_before "$load_before" --arg load_after "$load_after" \
  --arg haproxy "$(haproxy -v | head -n 1)" --arg commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --argjson together "$together" \
  '{servers: ($servers | tonumber), seconds: ($seconds | tonumber), together: ($together == 1), load_before: $load_before,
    load_after: $load_after, haproxy: $haproxy, agent_commit: $commit, results: .}' "$work/results.jsonl" >"$json"
{
  echo "| phase | checker | servers checked | probes/s | CPU s/min | RSS MiB | lateness p50 / p99 / max (ms) | failed probes, down, scrape ms, RSS after it (agent's /metrics) |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  jq -r '.results[] | select(.phase != "misc")
    | "| \(.phase) | \(.checker) | \(.ports // 0) | \(.probes_per_s // 0) | \(.cpu_s_per_min) | \(.rss_mib) | \(.lateness_ms_p50) / \(.lateness_ms_p99) / \(.lateness_ms_max) | \(.agent_scrape // "\(.agent_failed_probes // "-"), \(.agent_real_servers_down // "-"), \(.scrape_ms // "-"), \(.rss_mib_after_scrape // "-")") |"' "$json"
  echo
  jq -r '.results[] | select(.agent_start_lateness_ms_p50_le != null)
    | "The agent\u0027s own count in \(.phase) (since its start): probes started after their due time by at most \(.agent_start_lateness_ms_p50_le) ms (p50) and \(.agent_start_lateness_ms_p99_le) ms (p99), the bucket bounds of qvip_lb_probe_start_lateness_seconds; \(.agent_probes_queued) probes waited for the bound on probes in flight."' "$json"
  jq -r '.results[] | select(.phase != "misc")
    | "The target\u0027s CPU s/min while \(.checked_with | sub(" "; " and ")) checked \(.phase): \(.target_cpu_s_per_min)."' "$json" | sort -u
  jq -r '.results[] | select(.phase == "misc") | "\nMISC_CHECK on \(.servers) real servers every second: \(.cpu_s_per_min) CPU s/min, \(.rss_mib) MiB RSS, \(.runs_per_s) script runs/s, \(.machine_forks_per_s) process creations/s on the whole machine."' "$json"
  jq -r '.results[] | select(.scrapes != null)
    | "\nThe agent\u0027s /metrics scraped every '"$scrape_every"' s in \(.phase) (the worst lateness of a second in the window: \(.lateness_ms_worst_of_a_second_median) ms in the median second):\n",
      "| at s | scrape ms | MB | agent RSS MiB after it | worst lateness (ms) from its start to a second after its end |",
      "| --- | --- | --- | --- | --- |",
      (.scrapes[] | "| \(.at_s | round) | \(.scrape_ms // .scrape) | \(if .bytes then (.bytes / 1e4 | round / 100) else "-" end) | \(.rss_mib_after // "-") | \(.worst_lateness_ms // "-") |")' "$json"
  echo
  echo "Load average before: $load_before; after: $load_after."
} | tee "$md"
