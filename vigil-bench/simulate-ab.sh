#!/usr/bin/env bash
# Two builds of `vigil audit policy simulate` compared in one JVM, in alternate passes over the
# same log (see src/main/java/dev/vigil/bench/SimulateAB.java): for changes to the simulator whose
# effect is smaller than what separates two windows on this VM. Prints each pass and the median
# ratio B/A of the steady passes (B/A < 1: B is faster).
#
# Usage: vigil-bench/simulate-ab.sh JAR_A JAR_B [LOG] [PASSES]
#   JAR_A, JAR_B  two builds of vigil-cli/target/vigil.jar (copy the jar aside before the change)
#   LOG           a JSON lines audit log (default /dev/shm/vigil-bench/audit-1000000.log, the one
#                 audit-simulate-vs-jq.sh generates; keep it on tmpfs, see docs/benchmarks.md)
#   PASSES        passes of each build (default 20; the first 4 are warm-up)
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
log="${3:-/dev/shm/vigil-bench/audit-1000000.log}"
policy="$root/../shared/corpus/k8s-audit/policies/upstream/gce-configure-helper-master-audit-policy.yaml"
# shellcheck source=../scripts/env.sh
. "$root/scripts/env.sh"
jdk="$(vigil_find_jdk)" || { echo "no JDK 25 found" >&2; exit 3; }
for f in "$1" "$2" "$log" "$policy"; do
  [ -f "$f" ] || { echo "no such file: $f" >&2; exit 2; }
done
exec "$jdk/bin/java" -XX:+UseSerialGC \
  "$root/vigil-bench/src/main/java/dev/vigil/bench/SimulateAB.java" \
  "$1" "$2" "$policy" "$log" "${4:-20}" 2
