#!/usr/bin/env bash
# Benchmark: `vigil audit policy simulate` against jq extracting the same attributes (user, groups,
# verb, requestURI, objectRef, stage) from the same audit log. Whole commands, wall clock, the log
# warm in the page cache. Results go to docs/benchmarks.md ("Audit policy simulate vs jq").
#
# Usage: vigil-bench/audit-simulate-vs-jq.sh [EVENTS] [WORKDIR]
#   EVENTS   events to generate (default 1000000)
#   WORKDIR  where the generated log lives (default /tmp/vigil-bench; on this VM use tmpfs,
#            /dev/shm/vigil-bench: DAMON reclaim pages out files idle for about 30 s, see
#            docs/benchmarks.md, "Machine")
# Needs: a JDK 25, Maven (for ./vigil's build), jq and hyperfine (apt-get install -y jq hyperfine).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
events="${1:-1000000}"
work="${2:-/tmp/vigil-bench}"
log="$work/audit-$events.log"
policy="$root/../shared/corpus/k8s-audit/policies/upstream/gce-configure-helper-master-audit-policy.yaml"

# shellcheck source=../scripts/env.sh
. "$root/scripts/env.sh"
jdk="$(vigil_find_jdk)" || { echo "no JDK 25 found" >&2; exit 3; }
java="$jdk/bin/java"
vigil_apt_install jq hyperfine || exit 3
[ -f "$policy" ] || { echo "the shared corpus is missing: $policy" >&2; exit 3; }

mkdir -p "$work"
if [ ! -f "$log" ]; then
  "$java" "$root/vigil-bench/src/main/java/dev/vigil/bench/AuditLogGenerator.java" \
    --events "$events" --out "$log"
fi

"$root/vigil" --version >/dev/null          # builds the CLI if sources changed
cat "$log" >/dev/null                        # warm the page cache

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB, kernel $(uname -r)"
echo "java: $("$java" -version 2>&1 | head -1), $(jq --version), $(hyperfine --version)"
echo "log: $log, $(wc -l <"$log") lines, $(stat -c %s "$log") bytes"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

cd "$root"
# SKIP_JQ=1 runs Vigil only (jq takes about 25 s a run); the no-AOT-cache row shows what the
# launcher's start-up cache (see ./vigil) is worth.
jq_cmd=()
if [ "${SKIP_JQ:-0}" != 1 ]; then
  jq_cmd=(-n "jq (user, groups, verb, requestURI, objectRef, stage)"
    "jq -c '[.user.username, .user.groups, .verb, .requestURI, .objectRef, .stage]' $log > /dev/null")
fi
"$root/vigil" audit policy simulate "$policy" "$log" >/dev/null 2>&1   # makes the AOT cache if needed
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-markdown "$work/results.md" \
  -n "vigil simulate (summary)" "./vigil audit policy simulate $policy $log > /dev/null" \
  -n "vigil simulate --json (one line per event)" \
    "./vigil audit policy simulate $policy $log --json > /dev/null" \
  -n "vigil simulate (summary, no AOT cache)" \
    "VIGIL_AOT=0 ./vigil audit policy simulate $policy $log > /dev/null" \
  "${jq_cmd[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$work/results.md"
