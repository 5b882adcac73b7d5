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
