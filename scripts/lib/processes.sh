# Process helpers shared by lab.sh, the benchmarks and the demo. Sourced, not run. Processes are always handled by
# PID (never by name), so only what the caller started is touched.

# descendants PID: every descendant of PID, one per line, children before grandchildren.
descendants() {
  local child
  for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do # space-separated PIDs
    echo "$child"
    descendants "$child"
  done
}

# is_running PID: true while PID exists and is not a zombie (a zombie still answers kill -0: dead for our purpose).
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

# cpu_ticks PID...: CPU time (utime + stime, in clock ticks) summed over the PIDs, fields counted after the ")" that
# ends the command name; 1 when one of them is gone (a benchmark's daemon died while being measured).
cpu_ticks() {
  local pid total=0 fields stat
  for pid in "$@"; do
    fields=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null) || { echo "process $pid is gone while being measured" >&2; return 1; }
    read -r -a stat <<<"$fields"
    total=$((total + stat[11] + stat[12]))
  done
  echo "$total"
}
