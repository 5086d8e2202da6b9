#!/usr/bin/env bash
# Wall time of the impact corpus: ImpactCorpusMotoTest, every single change of both templates reviewed as a change
# set on a moto server of its own, as the test itself prints it, RUNS times, with the machine's load beside it (the
# corpus runs in every ./mvnw verify). Not a test: it prints figures.
#   bench/impact-corpus.sh    env: RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
BENCH=impact-corpus
source bench/lib.sh

for run in $(seq "$RUNS"); do
  ./mvnw -q -B -pl tiers/deployer -am verify -Dtest=ImpactCorpusMotoTest -Dsurefire.failIfNoSpecifiedTests=false \
    >"$WORK/run.log" 2>&1 || { tail -20 "$WORK/run.log" >&2; die "run $run failed (the test's output is above)"; }
  echo "run $run: $(grep -h 'Impact corpus:' "$WORK/run.log") (load average $(cut -d' ' -f1-3 /proc/loadavg))"
done
