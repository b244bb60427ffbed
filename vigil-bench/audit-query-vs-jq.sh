#!/usr/bin/env bash
# Benchmark: `vigil audit query` against jq selecting the same events from the same audit log, and
# `vigil replay --audit` with Falco's k8s_audit_rules.yaml (detection throughput, parsing
# included). Whole commands, wall clock, the log warm in the page cache. Results go to
# docs/benchmarks.md ("Audit query vs jq, detection throughput").
#
# Usage: vigil-bench/audit-query-vs-jq.sh [EVENTS] [WORKDIR]
#   EVENTS   events to generate (default 1000000)
#   WORKDIR  where the generated log lives (default /tmp/vigil-bench; on this VM use tmpfs,
#            /dev/shm/vigil-bench: DAMON reclaim pages out files idle for about 30 s, see
#            docs/benchmarks.md, "Machine")
# Needs: a JDK 25, Maven (for ./vigil's build), jq and hyperfine (installed with apt-get if missing).
# Record figures only when the machine is otherwise idle (load average below 1.5).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
events="${1:-1000000}"
work="${2:-/tmp/vigil-bench}"
log="$work/audit-$events.log"
rules="$root/../shared/corpus/falco/k8s_audit_rules.yaml"

# shellcheck source=../scripts/env.sh
. "$root/scripts/env.sh"
jdk="$(vigil_find_jdk)" || { echo "no JDK 25 found" >&2; exit 3; }
java="$jdk/bin/java"
vigil_apt_install jq hyperfine || exit 3
[ -f "$rules" ] || { echo "the shared corpus is missing: $rules" >&2; exit 3; }

mkdir -p "$work"
if [ ! -f "$log" ]; then
  "$java" "$root/vigil-bench/src/main/java/dev/vigil/bench/AuditLogGenerator.java" \
    --events "$events" --out "$log"
fi

"$root/vigil" --version >/dev/null          # builds the CLI if sources changed
cat "$log" >/dev/null                        # warm the page cache

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "java: $("$java" -version 2>&1 | head -1), $(jq --version), $(hyperfine --version)"
echo "log: $log, $(wc -l <"$log") lines, $(stat -c %s "$log") bytes"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

cd "$root"
# SKIP_JQ=1 runs Vigil only (jq takes about 20 s a run); the no-AOT-cache row shows what the
# launcher's start-up cache (see ./vigil) is worth.
jq_delete=()
jq_csv=()
if [ "${SKIP_JQ:-0}" != 1 ]; then
  jq_delete=(-n "jq (delete secrets)"
    "jq -c 'select(.verb==\"delete\" and .objectRef.resource==\"secrets\")' $log > /dev/null")
  jq_csv=(-n "jq (403 by user, csv)"
    "jq -r 'select(.responseStatus.code==403) | [.stageTimestamp,.user.username,.verb,.requestURI] | @csv' $log > /dev/null")
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/query-results-$events.md" \
  -n "vigil audit query (delete secrets)" \
    "./vigil audit query 'ka.verb=delete and ka.target.resource=secrets' $log > /dev/null" \
  "${jq_delete[@]}" \
  -n "vigil audit query (403 by user, csv)" \
    "./vigil audit query 'ka.response.code=403' $log --format csv --fields evt.time,ka.user.name,ka.verb,ka.uri > /dev/null" \
  "${jq_csv[@]}" \
  -n "vigil audit query (delete secrets, no AOT cache)" \
    "VIGIL_AOT=0 ./vigil audit query 'ka.verb=delete and ka.target.resource=secrets' $log > /dev/null"

# CPU seconds (user + system) per run are in the JSON export: events/s per core = events / CPU s.
# SKIP_REPLAY=1 measures the queries only (for example on a larger log).
if [ "${SKIP_REPLAY:-0}" = 1 ]; then
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  cat "$work/query-results-$events.md"
  exit 0
fi
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/replay-results-$events.md" \
  --export-json "$work/replay-results-$events.json" \
  -n "vigil replay (k8s_audit_rules.yaml)" \
    "./vigil replay -r $rules --audit $log > /dev/null 2>&1" \
  -n "vigil replay (k8s_audit_rules.yaml, one CPU)" \
    "taskset -c 0 ./vigil replay -r $rules --audit $log > /dev/null 2>&1" \
  -n "vigil replay (no rule bound: reading only)" \
    "./vigil replay -r $rules -o priority=emergency --audit $log > /dev/null 2>&1"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/query-results-$events.md" "$work/replay-results-$events.md"
echo "== CPU per replay run (mean user + system seconds; events/s per core = $events / their sum)"
jq -r '.results[] | "\(.command | split(" >")[0]): user \(.user) s, system \(.system) s"' \
  "$work/replay-results-$events.json"
