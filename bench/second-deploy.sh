#!/usr/bin/env bash
# Wall time of a second `./mvnw -B deploy -DskipTests` (the stacks already deployed, nothing changed), median of
# RUNS, against a moto server of its own on 127.0.0.1. With REF, the same for that commit in a temporary clone,
# interleaved run by run, so both see the same machine load (e.g. REF=a16667b, the last deploy through
# exec-maven-plugin). Not a test: it prints figures.
#   bench/second-deploy.sh [REF]    env: RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
REF=${1:-}
BENCH=second-deploy
source bench/lib.sh

# The pinned moto: the system Python's when it is that version, else the tool cache's (a local deploy installs it).
MOTO_VERSION=$(sed -n 's|.*<moto.version>\(.*\)</moto.version>.*|\1|p' pom.xml)
PY=python3
if [[ "$(python3 -c 'import moto; print(moto.__version__)' 2>/dev/null)" != "$MOTO_VERSION" ]]; then
  PY="$(tool_cache)/moto-$MOTO_VERSION/bin/python"
  [[ -x "$PY" ]] || die "no moto $MOTO_VERSION; run ./mvnw deploy once to install it"
fi

start_moto() { # appends its endpoint to endpoints
  local port
  port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$PY" -m moto.server -H 127.0.0.1 -p "$port" >"$WORK/moto-$port.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/" && break; sleep 0.1; done
  endpoints+=("http://127.0.0.1:$port")
}

deploy() { # dir endpoint log -> seconds
  local start end
  start=$(date +%s.%N)
  (cd "$1" && AWS_ENDPOINT_URL="$2" ./mvnw -B deploy -DskipTests >"$3" 2>&1) \
    || { echo "second-deploy: ./mvnw deploy failed in $1, see below" >&2; tail -20 "$3" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

labels=(HEAD)
dirs=("$PWD")
if [[ -n "$REF" ]]; then
  git clone -q "$PWD" "$WORK/ref" && git -C "$WORK/ref" checkout -q "$REF"
  labels+=("$REF")
  dirs+=("$WORK/ref")
fi
endpoints=()
for i in "${!dirs[@]}"; do
  start_moto
  t=$(deploy "${dirs[$i]}" "${endpoints[$i]}" "$WORK/first-$i.log")
  echo "${labels[$i]}: first deploy (creates the stacks): $t s"
done
declare -A times
for run in $(seq "$RUNS"); do
  for i in "${!dirs[@]}"; do
    t=$(deploy "${dirs[$i]}" "${endpoints[$i]}" "$WORK/run-$i-$run.log")
    grep -q "No changes to stack hello-host\." "$WORK/run-$i-$run.log" \
      || die "run $run of ${labels[$i]} did not end in 'No changes'"
    times[$i]="${times[$i]:-} $t"
    echo "${labels[$i]}: second deploy, run $run: $t s (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
for i in "${!dirs[@]}"; do
  read -r -a each <<<"${times[$i]}"
  echo "${labels[$i]}: median of $RUNS second deploys: $(median "${each[@]}") s"
done
