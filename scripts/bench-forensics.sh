#!/usr/bin/env bash
# qvip bench forensics [--sizes LIST] [--nodes N] [--timeout S] [--data DIR]: generated journals of N nodes (default
# 2) with LIST events per node (default 10000,100000,1000000; add 10000000 for the long run), written through the
# real journal writer by HistoryGenerator (common's test sources); then `qvip replay --verify` and
# `qvip forensics --json` over them, each timed with /usr/bin/time -v (wall time, CPU time, max RSS, exit code),
# with the launcher's JVM options, and the load average after each size. Journals are kept in DIR (default
# lab-runs/bench/forensics-data) and reused.
# Prints a Markdown table and writes it to lab-runs/bench/forensics-DATE.md.
# Exit codes: 0 ok, 1 build or generation failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
# The launcher's options for tools and for forensics (scripts/qvip); QVIP_JAVA_OPTS replaces both, as there.
read -ra java_opts <<<"${QVIP_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
read -ra forensics_java_opts <<<"${QVIP_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx384m}"
sizes=10000,100000,1000000
nodes=2
timeout_s=600
data=$root/lab-runs/bench/forensics-data

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit "${1:-2}"
}

while (($# > 0)); do
  case "$1" in
    --sizes) sizes=${2:?--sizes needs a list}; shift 2 ;;
    --nodes) nodes=${2:?--nodes needs a number}; shift 2 ;;
    --timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
    --data) data=${2:?--data needs a directory}; shift 2 ;;
    -h | --help) usage 0 ;;
    *) echo "bench forensics: unknown option '$1'" >&2; usage ;;
  esac
done
[[ "$sizes" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "bench forensics: --sizes got '$sizes' (expected numbers, comma-separated)" >&2; exit 2; }
[[ "$nodes" =~ ^[0-9]+$ ]] && ((nodes >= 2)) || { echo "bench forensics: --nodes got '$nodes' (expected >= 2)" >&2; exit 2; }

command -v mvn >/dev/null || { echo "bench forensics: mvn not found (install Maven, or run scripts/install-deps as root)" >&2; exit 1; }
out_dir=$root/lab-runs/bench
mkdir -p "$out_dir" "$data"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
table=$out_dir/forensics-$stamp.md
classpath_file=$(mktemp /tmp/qvip-bench-forensics-cp.XXXXXX)
build_log=$(mktemp /tmp/qvip-bench-forensics-build.XXXXXX)
time_log=$(mktemp /tmp/qvip-bench-forensics-time.XXXXXX)
classes=$(mktemp -d /tmp/qvip-bench-forensics-classes.XXXXXX)
trap 'rm -rf "$classpath_file" "$build_log" "$time_log" "$classes"' EXIT

if ! (cd "$root" && mvn -B -q -ntp -pl common test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file") >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "bench forensics: build failed (mvn -pl common test-compile dependency:build-classpath in $root)" >&2
  exit 1
fi
# A copy of the classes: a build during a run of an hour must not change what is measured.
cp -r "$root/common/target/test-classes" "$classes/test-classes"
cp -r "$root/common/target/classes" "$classes/classes"
classpath=$classes/test-classes:$classes/classes:$(cat "$classpath_file")

# measure_to FILE COMMAND...: runs it under /usr/bin/time -v with a timeout, its output to FILE; prints
# "seconds|MiB|exit".
measure_to() {
  local out=$1 code=0
  shift
  /usr/bin/time -v -o "$time_log" timeout "$timeout_s" "$@" >"$out" 2>&1 || code=$?
  local wall rss cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s}' "$time_log")
  # CPU (user + system): on a shared machine the wall time says more about the neighbours than about us.
  cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$time_log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$time_log")
  ((code == 124)) && wall=">$timeout_s"
  echo "$wall|$cpu|$rss|$code"
}

echo "bench forensics: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run; JVM options: ${java_opts[*]} (forensics: ${forensics_java_opts[*]})" >&2
{
  echo "| events per node | nodes | incidents | \`replay --verify\` s | CPU s | MiB | exit | \`forensics --json\` s | CPU s | MiB | exit | load average |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
} >"$table"
IFS=, read -ra size_list <<<"$sizes"
for size in "${size_list[@]}"; do
  dir=$data/$nodes-$size
  if [[ ! -f "$dir/complete" ]]; then
    rm -rf "$dir"
    echo "bench forensics: generating $nodes x $size events in $dir" >&2
    java -cp "$classpath" io.quorumvip.forensics.HistoryGenerator "$dir" "$size" "$nodes" 1 || {
      echo "bench forensics: generating $dir failed" >&2
      exit 1
    }
    touch "$dir/complete"
  fi
  dirs=("$dir"/n*)
  replay=$(measure_to /dev/null java "${java_opts[@]}" -cp "$classpath" io.quorumvip.journal.ReplayCommand --verify "${dirs[@]}")
  forensics=$(measure_to "$data/forensics-$nodes-$size.json" \
    java "${forensics_java_opts[@]}" -cp "$classpath" io.quorumvip.forensics.ForensicsCommand --json "${dirs[@]}")
  incidents=-
  # "severity" is a field of incidents only (a count that does not need to parse gigabytes of JSON).
  [[ "${forensics##*|}" != 0 && "${forensics##*|}" != 1 ]] \
    || incidents=$(LC_ALL=C tr ',' '\n' <"$data/forensics-$nodes-$size.json" | LC_ALL=C grep -c '^"severity":')
  echo "| $size | $nodes | $incidents | ${replay//|/ | } | ${forensics//|/ | } | $(cut -d' ' -f1-3 /proc/loadavg) |" >>"$table"
  echo "bench forensics: $size done: replay ${replay}, forensics ${forensics}" >&2
done
echo
echo "Forensics benchmark (also in $table); load average $(cut -d' ' -f1-3 /proc/loadavg) after the run:"
cat "$table"
