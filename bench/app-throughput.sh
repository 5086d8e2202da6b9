#!/usr/bin/env bash
# Throughput of the Vert.x app against the original Flask app (gunicorn, 2 workers), side by side at the same wrk load
# on 127.0.0.1. Prints requests/s, their ratio, p99 latency, peak RSS and the Vert.x app's start-to-first-200 time.
# Not a test: it prints figures. Targets: >= 10x Flask's requests/s at no more peak RSS than gunicorn's processes
# together; first 200 within 250 ms of process start.
#   bench/app-throughput.sh    env: DURATION=10s WARMUP=3s CONNECTIONS=32 THREADS=1,
#                              EXTRA_JVM_FLAGS='-XX:+UseParallelGC' to try flags on top of the host's)
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
VERTX_PORT=${VERTX_PORT:-18080}
FLASK_PORT=${FLASK_PORT:-18081}
BENCH=app-throughput
source bench/lib.sh
read_host_jvm_flags
need_wrk
read -r -a EXTRA <<<"${EXTRA_JVM_FLAGS:-}"
VENV="$(tool_cache)/bench-venv"
if [[ ! -x "$VENV/bin/gunicorn" ]]; then
  echo "installing gunicorn into $VENV (Flask comes from the system Python)..."
  python3 -m venv --system-site-packages "$VENV"
  # Offline: pip's configured local index answers; a public index that is unreachable must not stall the run.
  "$VENV/bin/pip" install -q --retries 0 --timeout 5 gunicorn >"$WORK/pip.log" 2>&1 \
    || die "pip could not install gunicorn offline into $VENV: $(tail -1 "$WORK/pip.log")"
fi
"$VENV/bin/python" -c 'import flask' 2>/dev/null || die "Flask is not importable from $VENV (needs python3-flask)"

for port in "$VERTX_PORT" "$FLASK_PORT"; do
  ! curl -s -o /dev/null "http://127.0.0.1:$port/" || die "port $port is already in use: stop what runs there first"
done

echo "building vertx-app/target/vertx-app.jar..."
./mvnw -q -pl vertx-app -am package -DskipTests

# Waits until GET / on 127.0.0.1:$1 answers 200 (nothing else: the first 200 is the figure we want). Asked by bash
# itself over /dev/tcp, with a 5 ms builtin pause between tries: a curl per try would keep one of the two cores busy
# and slow the very start it times.
wait_for_200() {
  local port=$1 deadline=$((SECONDS + 30)) pause conn status
  exec {pause}<> <(:)
  while :; do
    status=
    if exec {conn}<>"/dev/tcp/127.0.0.1/$port"; then
      printf 'GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' >&"$conn"
      read -r status <&"$conn" || true
      exec {conn}<&-
    fi 2>/dev/null
    [[ $status == *" 200 "* ]] && break
    ((SECONDS < deadline)) || die "127.0.0.1:$port did not answer 200 within 30 s"
    read -r -t 0.005 -u "$pause" || true
  done
  exec {pause}<&-
}

# Sum of VmRSS over a process and its children, in KiB.
tree_rss_kib() {
  local pid sum=0 rss
  for pid in "$1" $(pgrep -P "$1"); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || rss=0
    sum=$((sum + ${rss:-0}))
  done
  echo "$sum"
}

# Samples the RSS of $1 and its children every 50 ms until killed, keeping the peak in file $2.
sample_peak_rss() {
  local peak=0 now
  while true; do
    now=$(tree_rss_kib "$1")
    if ((now > peak)); then peak=$now; echo "$peak" >"$2"; fi
    sleep 0.05
  done
}

# Runs wrk (warm-up, then the measured run) against $1; leaves its output in $2.
load() {
  local url=$1 out=$2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$out"
}

rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }

echo "starting the Vert.x app with the host's JVM flags ${EXTRA[*]:+plus ${EXTRA[*]}}..."
start_ns=$(date +%s%N)
HTTP_PORT=$VERTX_PORT java "${JVM_FLAGS[@]}" "${EXTRA[@]}" -jar vertx-app/target/vertx-app.jar >"$WORK/vertx.out" 2>"$WORK/vertx.err" &
vertx_pid=$!
pids+=("$vertx_pid")
wait_for_200 "$VERTX_PORT"
first_200_ms=$((($(date +%s%N) - start_ns) / 1000000))

echo "starting the Flask app under gunicorn (2 workers)..."
"$VENV/bin/gunicorn" --workers 2 --bind "127.0.0.1:$FLASK_PORT" --chdir bench flask_app:app \
  >"$WORK/gunicorn.log" 2>&1 &
gunicorn_pid=$!
pids+=("$gunicorn_pid")
wait_for_200 "$FLASK_PORT"

echo "load: wrk -t$THREADS -c$CONNECTIONS, $WARMUP warm-up then $DURATION measured, one server at a time..."
load "http://127.0.0.1:$VERTX_PORT/" "$WORK/vertx.wrk"
sample_peak_rss "$gunicorn_pid" "$WORK/flask.peak" &
sampler=$!
load "http://127.0.0.1:$FLASK_PORT/" "$WORK/flask.wrk"
kill "$sampler"

# The JVM's own high-water mark is exact; gunicorn's is the sampled peak of its processes summed (a sample can miss
# a short peak, which can only make gunicorn look smaller).
vertx_peak=$(awk '/^VmHWM:/ {print $2}' "/proc/$vertx_pid/status")
flask_peak=$(cat "$WORK/flask.peak")
vertx_rps=$(rps "$WORK/vertx.wrk")
flask_rps=$(rps "$WORK/flask.wrk")
grep -q 'Socket errors\|Non-2xx' "$WORK/vertx.wrk" "$WORK/flask.wrk" && grep -H 'Socket errors\|Non-2xx' "$WORK"/*.wrk

printf '\n%-22s %14s %14s\n' "" "vert.x" "flask+gunicorn"
printf '%-22s %14s %14s\n' "requests/s" "$vertx_rps" "$flask_rps"
printf '%-22s %14s %14s\n' "p99 latency" "$(p99 "$WORK/vertx.wrk")" "$(p99 "$WORK/flask.wrk")"
printf '%-22s %14s %14s\n' "peak RSS (MiB)" "$((vertx_peak / 1024))" "$((flask_peak / 1024))"
printf '%-22s %14s\n' "start to first 200" "${first_200_ms} ms"
awk -v v="$vertx_rps" -v f="$flask_rps" 'BEGIN {printf "throughput ratio        %.1fx (target >= 10x)\n", v / f}'
echo "access-log lines written by the Vert.x app: $(($(wc -l <"$WORK/vertx.out") - 1))"
