#!/usr/bin/env bash
# qvip bench jmh [JMH OPTIONS...]: runs the VRRP JMH benchmarks (common/src/test/java/io/quorumvip/vrrp/bench/)
# from common's test classpath and prints one table with throughput or time per operation and bytes allocated
# per operation. Without options: -f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc io.quorumvip.vrrp.bench
# Options given replace those defaults (JMH does not let a later option override an earlier one); the result
# file options are always added. Results: lab-runs/bench/jmh-DATE.json (and .md), beside the other benchmarks.
# Exit codes: 0 ok, 1 build or benchmark failure, 2 bad usage.
set -euo pipefail

root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
readonly root
readonly default_options=(-f 1 -wi 3 -i 5 -w 2s -r 2s -prof gc io.quorumvip.vrrp.bench)

case "${1:-}" in
  -h | --help)
    sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac
options=("$@")
((${#options[@]} > 0)) || options=("${default_options[@]}")

command -v mvn >/dev/null || { echo "bench jmh: mvn not found (install Maven, or run scripts/install-deps as root)" >&2; exit 1; }
out_dir=$root/lab-runs/bench
mkdir -p "$out_dir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
json=$out_dir/jmh-$stamp.json
table=$out_dir/jmh-$stamp.md
classpath_file=$(mktemp /tmp/qvip-jmh-cp.XXXXXX)
build_log=$(mktemp /tmp/qvip-jmh-build.XXXXXX)
trap 'rm -f "$classpath_file" "$build_log"' EXIT

# The benchmarks live in the test sources; compiling them runs JMH's annotation processor (BenchmarkList).
if ! (cd "$root" && mvn -B -q -ntp -pl common test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file") >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "bench jmh: build failed (mvn -pl common test-compile dependency:build-classpath in $root)" >&2
  exit 1
fi
classpath=$root/common/target/test-classes:$root/common/target/classes:$(cat "$classpath_file")

echo "bench jmh: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run" >&2
java -cp "$classpath" org.openjdk.jmh.Main "${options[@]}" -rf json -rff "$json"

# One row per benchmark; "alloc B/op" is gc.alloc.rate.norm, present only with -prof gc.
{
  echo "| benchmark | mode | score | error (99.9 %) | unit | alloc B/op |"
  echo "|---|---|---:|---:|---|---:|"
  # JMH writes "NaN" (a string) as the error of a single iteration.
  jq -r 'def num: if type != "number" then "-" elif fabs >= 1000 then round else (. * 1000 | round / 1000) end;
    .[] | [(.benchmark | split(".") | .[-2:] | join(".")), .mode,
      (.primaryMetric.score | num), (.primaryMetric.scoreError | num), .primaryMetric.scoreUnit,
      (.secondaryMetrics["gc.alloc.rate.norm"].score | num)]
    | "| " + (map(tostring) | join(" | ")) + " |"' "$json"
} >"$table"
echo
echo "JMH results (also in $table, raw in $json); load average $(cut -d' ' -f1-3 /proc/loadavg) after the run:"
cat "$table"
