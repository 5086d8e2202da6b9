#!/usr/bin/env bash
# Wall time of `./mvnw -B verify` on a fresh clone of this repository's HEAD (commits only: uncommitted changes are not
# measured), twice:
#   cold  an empty tool cache (HELLO_HOST_CACHE in a scratch folder): the build installs everything itself, cfn-lint
#         and moto with pip, cfn-guard and the CircleCI schema with npm, and, as root, the Debian root file system of
#         the host boot test with debootstrap (not as root the host tests skip, so there is nothing to build);
#         npm and pip also get empty download caches of their own
#   warm  the same in a second fresh clone with the cache the cold run filled (what CI sees with its caches restored)
# Maven's own repository (~/.m2) is the machine's in both: emptying it would download every dependency again, and a
# bench must not touch a cache other builds share; so is a pinned cfn-lint or moto that the machine already has (the
# build uses those as they are, and the bench says so). Prints both wall times, the CPU time (user + system) of each
# run, the test counts (from the Surefire and Failsafe reports, tiers/ included), the machine's load average over
# each run (other builds slow it down; the CPU time much less) and, before and after, how fast its cores run
# (core_speed in lib.sh: other tenants of the virtual machine slow them, and the CPU time with them). Not a test: it
# prints figures.
#   bench/verify-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH="verify-time"
source bench/lib.sh

commit=$(git rev-parse HEAD)
cache="$WORK/tool-cache"
mkdir -p "$cache"
export HELLO_HOST_CACHE="$cache" npm_config_cache="$WORK/npm-download-cache" PIP_NO_CACHE_DIR=1

load() { cut -d' ' -f1 /proc/loadavg; }

# Samples the 1-minute load average every 5 s into the file $1 until killed.
sample_load() { while :; do load >>"$1"; sleep 5; done; }

# "7 min 12 s" from seconds.
minutes() { printf '%d min %02d s' $(($1 / 60)) $(($1 % 60)); }

# Tests run, failed, errors and skipped over the Surefire and Failsafe reports of the clone in $1 (each module's own
# reports only, not those of projects an invoker test builds under target/).
test_counts() {
  local report suite tests=0 failures=0 errors=0 skipped=0
  shopt -s nullglob
  for report in "$1"/target/{surefire,failsafe}-reports/TEST-*.xml "$1"/*/target/{surefire,failsafe}-reports/TEST-*.xml \
      "$1"/tiers/*/target/{surefire,failsafe}-reports/TEST-*.xml; do
    suite=$(grep -o -m1 '<testsuite [^>]*>' "$report") || continue
    tests=$((tests + $(attribute tests "$suite")))
    failures=$((failures + $(attribute failures "$suite")))
    errors=$((errors + $(attribute errors "$suite")))
    skipped=$((skipped + $(attribute skipped "$suite")))
  done
  shopt -u nullglob
  echo "$tests tests, $failures failed, $errors errors, $skipped skipped"
}
attribute() { sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p" <<<"$2" | grep . || echo 0; }

# One verify in a fresh clone at $commit; prints its line of figures.
measure() {
  local label=$1 dir="$WORK/$1" start seconds
  clone_at "$dir" "$commit"
  echo "$label: ./mvnw -B verify in $dir..."
  sample_load "$WORK/$label.load" &
  pids+=($!)
  start=$SECONDS
  # The CPU time of the build and every process it waited for (test JVMs, moto, cfn-lint, containers): other
  # builds on the machine stretch the wall time, much less this.
  local TIMEFORMAT='%U %S' status=0
  { time (cd "$dir" && ./mvnw -B verify >"$WORK/$label.log" 2>&1); } 2>"$WORK/$label.cpu" || status=$?
  [[ $status -eq 0 ]] \
    || { print_failed_reports "$dir"; tail -40 "$WORK/$label.log" >&2
         die "$label: ./mvnw -B verify failed in $dir (the failed tests' reports and its log's end above)"; }
  seconds=$((SECONDS - start))
  kill "${pids[-1]}"
  echo "$label: $(minutes "$seconds"), CPU $(awk '{printf "%d s (user %d s, sys %d s)", $1 + $2, $1, $2}' \
    "$WORK/$label.cpu"), $(test_counts "$dir"); load average $(awk '
    NR == 1 || $1 < min {min = $1} $1 > max {max = $1} {sum += $1}
    END {printf "%.1f (%.1f to %.1f)", sum / NR, min, max}' "$WORK/$label.load")"
}

echo "$BENCH: commit $commit on $(nproc) cores, tool cache $cache"
# ToolCache uses the cfn-lint and the moto installed in the python3 on the PATH when they are the pinned versions.
pinned() { sed -n "s|.*<$1.version>\(.*\)</$1.version>.*|\1|p" pom.xml; }
for tool in cfn-lint moto; do
  [[ "$(python3 -c "import importlib.metadata as m; print(m.version('$tool'))" 2>/dev/null)" != "$(pinned "$tool")" ]] \
    || echo "$BENCH: $tool $(pinned "$tool") is in this machine's python3: the build uses it and installs none"
done
echo "$BENCH: a fixed Python loop took $(core_speed) of CPU before the runs (lib.sh core_speed)"
measure cold
if compgen -G "$cache/rootfs/*" >/dev/null; then
  echo "cold: built the Debian root file system itself ($(du -sh "$cache/rootfs" | cut -f1) in $cache/rootfs)"
else
  echo "cold: no Debian root file system built (not root: the host boot tests skipped)"
fi
measure warm
echo "$BENCH: the same loop took $(core_speed) after them"
