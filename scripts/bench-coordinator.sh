#!/usr/bin/env bash
# qvip bench coordinator [--size N] [--data DIR] [--skip-whole] [--no-page-read]: the coordinator over the generated
# journals of `qvip bench forensics` (2 nodes, N events per node, default 1000000; generate them with that benchmark
# first): ingest through the real HTTP API as agents ship (scripts/lib/ship-journal.py, both nodes at once), then max
# RSS, the incident fold's lag (records it had not folded when ingest ended, and the seconds until it had folded all,
# with the coordinator's CPU seconds, as for ingest; these include the 10 s it holds the last records of the node
# whose journal ends later) and the size of its store, GET /v1/state?at= and /v1/forensics latency (one-hour and
# one-minute windows, answered from the fold, and everything), the page's first read of the load-balancing records
# (every record through /v1/events, as the page did before, against /v1/events?types=, as it does now), the restart
# time (SIGTERM, start again, until /v1/cluster answers; it includes the warm-ups of forensics and of /v1/state?at=,
# whose times the table gives from the coordinator's log) with the sizes of the recovery state and of the incident
# fold's state the stop saved, the fold's time to catch up after the restart, and the one-hour window and the
# /v1/state?at= then (the state after /v1/cluster was asked, which shares its JSON). The coordinator runs with
# the launcher's options (scripts/qvip). --skip-whole leaves out the two reads of the whole history (every record
# paged, /v1/forensics of everything), which take minutes at 2 x 10M; --no-page-read leaves out both reads of the
# load-balancing records.
# Prints a Markdown table and writes it to lab-runs/bench/coordinator-DATE.md.
# Exit codes: 0 ok, 1 build or run failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
size=1000000
skip_whole=
data=$root/lab-runs/bench/forensics-data
page_read=yes

usage() {
  sed -n '2,16s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "${1:-2}"
}

while (($# > 0)); do
  case "$1" in
    --size) size=${2:?--size needs a number}; shift 2 ;;
    --data) data=${2:?--data needs a directory}; shift 2 ;;
    --skip-whole) skip_whole=1; shift ;;
    --no-page-read) page_read=no; shift ;;
    -h | --help) usage 0 ;;
    *) echo "bench coordinator: unknown option '$1'" >&2; usage ;;
  esac
done
[[ "$size" =~ ^[0-9]+$ ]] || { echo "bench coordinator: --size got '$size' (expected a number of events per node)" >&2; exit 2; }
journals=$data/2-$size
[[ -f "$journals/complete" ]] || {
  echo "bench coordinator: no journals in $journals (run: scripts/qvip bench forensics --sizes $size)" >&2
  exit 2
}

"$root/scripts/qvip" build
work=$(mktemp -d /tmp/qvip-bench-coordinator.XXXXXX)
pid=
cleanup() {
  [[ -z "$pid" ]] || kill "$pid" 2>/dev/null || true
  [[ -z "$pid" ]] || wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$((20000 + RANDOM % 20000))
url=http://127.0.0.1:$port
printf 'n1=%s\nn2=%s\n' "$(openssl rand -hex 16)" "$(openssl rand -hex 16)" >"$work/tokens"

# start: runs the coordinator through the launcher (its JVM options, exec'd: $pid is the JVM) in the background;
# sets start_seconds to the time until it answers.
start_seconds=
start() {
  local started=$EPOCHREALTIME
  "$root/scripts/qvip" coordinator --tokens "$work/tokens" --listen "127.0.0.1:$port" --data "$work/data" \
    >>"$work/coordinator.log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "$url/v1/cluster"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/coordinator.log" >&2; echo "bench coordinator: the coordinator exited" >&2; exit 1; }
    sleep 0.05
  done
  start_seconds=$(echo "$EPOCHREALTIME - $started" | bc)
}

# cpu_seconds: the coordinator's CPU time so far (user + system, all threads).
cpu_seconds() {
  awk -v tick="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / tick}' "/proc/$pid/stat"
}

max_rss_mib() {
  awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status"
}

# latency PATH: seconds of one GET (and its HTTP status).
latency() {
  curl -s -o /dev/null -w '%{time_total} s (HTTP %{http_code})' --max-time 120 "$url$1" || echo "no answer in 120 s"
}

echo "bench coordinator: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run" >&2
start
first_start=$start_seconds
started=$EPOCHREALTIME
cpu_start=$(cpu_seconds)
"$root/scripts/lib/ship-journal.py" "$url" n1 "$(sed -n 's/^n1=//p' "$work/tokens")" "$journals/n1" >"$work/n1.out" &
ship1=$!
"$root/scripts/lib/ship-journal.py" "$url" n2 "$(sed -n 's/^n2=//p' "$work/tokens")" "$journals/n2" >"$work/n2.out"
wait "$ship1"
ingest_s=$(echo "$EPOCHREALTIME - $started" | bc)
records=$(($(cut -d' ' -f1 "$work/n1.out") + $(cut -d' ' -f1 "$work/n2.out")))
rate=$(echo "$records / $ingest_s" | bc)
ingest_cpu=$(echo "$(cpu_seconds) - $cpu_start" | bc)
rss_ingest=$(max_rss_mib)

# fold_caught_up: seconds until GET /v1/forensics/fold says no record is left unread (at most 600 s), and the
# coordinator's CPU seconds meanwhile.
fold_caught_up() {
  local started=$EPOCHREALTIME fold cpu_before
  cpu_before=$(cpu_seconds)
  while :; do
    fold=$(curl -s "$url/v1/forensics/fold")
    [[ $(jq -r .unread <<<"$fold") == 0 ]] && break
    [[ $(jq -r '.failure // empty' <<<"$fold") == "" ]] || { echo "failed: $(jq -r .failure <<<"$fold")"; return; }
    (($(echo "$EPOCHREALTIME - $started > 600" | bc))) && { echo "not caught up in 600 s: $fold"; return; }
    sleep 0.2
  done
  echo "$(echo "$EPOCHREALTIME - $started" | bc) s, $(echo "$(cpu_seconds) - $cpu_before" | bc) s CPU"
}
fold_unread=$(curl -s "$url/v1/forensics/fold" | jq -r .unread)
fold_lag=$(fold_caught_up)
store_mib="$(du -sm "$work/data/incidents" | cut -f1) MiB ($(du -sm "$work/data/nodes" | cut -f1) MiB of archives)"

# page_through QUERY: pages through /v1/events?QUERY as the page does; prints the seconds the coordinator took to
# answer (curl's time of each request, summed: not the client's parsing) and the number of requests.
page_through() {
  local cursor= requests=0 seconds=0 page answer
  page=$(mktemp "$work/page.XXXXXX")
  while :; do
    answer=$(curl -s -o "$page" -w '%{time_total}' --max-time 120 "$url/v1/events?$1&limit=10000${cursor:+&since=$cursor}")
    seconds=$(echo "$seconds + $answer" | bc)
    requests=$((requests + 1))
    cursor=$(jq -r .next "$page")
    [[ $(jq -r .more "$page") == true ]] || break
  done
  echo "$seconds s, $requests requests"
}
lb_types=REAL_SERVER_UP,REAL_SERVER_DOWN,POOL_CHANGED,VIRTUAL_SERVER_QUORUM_LOST,VIRTUAL_SERVER_QUORUM_GAINED,SORRY_SERVER_IN,SORRY_SERVER_OUT
lb_types_answer=—
lb_all_answer=—
if [[ $page_read == yes ]]; then
  lb_types_answer=$(page_through "types=$lb_types")
  if [[ -n "$skip_whole" ]]; then lb_all_answer="skipped"; else lb_all_answer=$(page_through ""); fi
fi

# A time in the middle of the history, and the hour after it.
first_ms=$(curl -s "$url/v1/events?limit=1" | jq -r '.events[0].wall_micros / 1000 | floor')
mid_ms=$((first_ms + size * 5))
state=$(latency "/v1/state?at=$mid_ms")
state_again=$(latency "/v1/state?at=$((mid_ms + 3600000))")
window=$(latency "/v1/forensics?from=$mid_ms&to=$((mid_ms + 3600000))")
window_again=$(latency "/v1/forensics?from=$((mid_ms + 7200000))&to=$((mid_ms + 10800000))")
minute=$(latency "/v1/forensics?from=$((mid_ms + 60000))&to=$((mid_ms + 120000))")
if [[ -n "$skip_whole" ]]; then everything="skipped"; else everything=$(latency "/v1/forensics"); fi
rss=$(max_rss_mib)

kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=
# What the stop saved for the restart (docs/coordinator.md, "Restart from the saved state"), per node.
saved_kib=$(du -k "$work"/data/nodes/*/.qvip-index/coordinator-state.bin 2>/dev/null | cut -f1 | paste -sd/ - || true)
# And the incident fold's saved state (docs/coordinator.md, "The incident fold").
fold_kib=$(du -k "$work/data/incidents/fold-state.bin" 2>/dev/null | cut -f1 || true)
start
restart=$start_seconds
# The restart's warm-up of forensics (docs/coordinator.md, "Warm at the first request"), as the coordinator logged it.
warm_up=$(grep -o "first window answered in [0-9]* ms" "$work/coordinator.log" | tail -1 | grep -o "[0-9]* ms" || echo "none")
refold=$(fold_caught_up)
state_warm_up=$(grep -o "newest record's time answered in [0-9]* ms" "$work/coordinator.log" | tail -1 | grep -o "[0-9]* ms" || echo "none")
window_restarted=$(latency "/v1/forensics?from=$mid_ms&to=$((mid_ms + 3600000))")
state_restarted=$(latency "/v1/state?at=$mid_ms")
rss_restarted=$(max_rss_mib)

out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
table=$out_dir/coordinator-$(date -u +%Y%m%dT%H%M%SZ).md
{
  echo "| events per node | records | ingest s | records/s | max RSS after ingest, MiB | fold: unread at ingest end | fold: caught up after | incident store | LB records, every record paged | LB records, types= | /v1/state?at= | again, an hour later | /v1/forensics, one hour | another hour | one minute | /v1/forensics, everything | max RSS, MiB | start (empty) s | saved state per node, KiB | saved fold state, KiB | restart s | warm-up at restart | state warm-up at restart | fold again after restart | one hour after restart | /v1/state?at= after restart | max RSS after restart, MiB |"
  echo "|---:|---:|---:|---:|---:|---:|---|---|---|---|---|---|---|---|---|---|---:|---:|---|---:|---:|---|---|---|---|---|---:|"
  echo "| $size | $records | $ingest_s ($ingest_cpu s CPU) | $rate | $rss_ingest | $fold_unread | $fold_lag | $store_mib | $lb_all_answer | $lb_types_answer | $state | $state_again | $window | $window_again | $minute | $everything | $rss | $first_start | ${saved_kib:-none} | ${fold_kib:-none} | $restart | $warm_up | $state_warm_up | $refold | $window_restarted | $state_restarted | $rss_restarted |"
} >"$table"
echo
echo "Coordinator benchmark (also in $table); load average $(cut -d' ' -f1-3 /proc/loadavg) after the run:"
cat "$table"
