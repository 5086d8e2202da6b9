#!/usr/bin/env bash
# Floods the Vert.x app, run with the host's JVM flags and descriptor limit, three ways, one after the other:
#   idle       18,000 connections that send nothing (bench/Flood.java)
#   slowloris   2,000 connections that send a header line a second and never end the head (bench/Flood.java)
#   wrk         wrk -c8000 for 20 s
# and prints for each: the most connections the app held at once, its peak RSS, whether a normal request made in the
# middle of the flood got its 200 (and how fast), and whether the app was still alive after. Not a test: it prints
# figures.
#   bench/app-flood.sh    env: PORT=18090 IDLE=18000 SLOW=2000 WRK_CONNECTIONS=8000 SECONDS_EACH=20
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-18090}
IDLE=${IDLE:-18000}
SLOW=${SLOW:-2000}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-8000}
SECONDS_EACH=${SECONDS_EACH:-20}
NOFILE=20000 # LimitNOFILE of the host's unit
BENCH="app-flood"
source bench/lib.sh
read_host_jvm_flags
need_wrk
ulimit -n "$NOFILE" 2>/dev/null || die "cannot raise the descriptor limit to $NOFILE (hard limit $(ulimit -Hn))"
! curl -s -o /dev/null "http://127.0.0.1:$PORT/" || die "port $PORT is already in use: stop what runs there first"

echo "building vertx-app/target/vertx-app.jar..."
./mvnw -q -pl vertx-app -am package -DskipTests

echo "starting the app with the host's JVM flags and LimitNOFILE=$NOFILE: ${JVM_FLAGS[*]}"
HTTP_PORT=$PORT java "${JVM_FLAGS[@]}" -jar vertx-app/target/vertx-app.jar >"$WORK/app.out" 2>"$WORK/app.err" &
app=$!
pids+=("$app")
deadline=$((SECONDS + 30))
until curl -s -o /dev/null "http://127.0.0.1:$PORT/"; do
  ((SECONDS < deadline)) || die "the app did not answer within 30 s: $(tail -3 "$WORK/app.err")"
  sleep 0.1
done

held() { ss -Htn state established "( sport = :$PORT )" | wc -l; }

# One flood: $1 names it, the rest is the command. Resets the app's peak RSS, runs the command, watches the held
# connections, makes one normal request half-way and prints one row.
flood() {
  local name=$1
  shift
  echo 5 >"/proc/$app/clear_refs" # resets VmHWM, the kernel's peak RSS of the process
  "$@" >"$WORK/$name.out" 2>&1 &
  local flooder=$! most=0 now normal=""
  pids+=("$flooder")
  local start=$SECONDS
  while kill -0 "$flooder" 2>/dev/null; do
    now=$(held)
    ((now > most)) && most=$now
    if [[ -z $normal ]] && ((SECONDS - start >= SECONDS_EACH / 2)); then
      normal=$(curl -s -o /dev/null -m 5 -w '%{http_code} in %{time_total} s' "http://127.0.0.1:$PORT/hello" || true)
    fi
    sleep 0.5
  done
  local peak alive=yes
  peak=$(awk '/^VmHWM:/ {print int($2 / 1024)}' "/proc/$app/status" 2>/dev/null) || alive=no
  kill -0 "$app" 2>/dev/null || alive=no
  printf '%-10s %8s %14s %-22s %6s   %s\n' "$name" "$most" "${peak:-?} MiB" "${normal:-none}" "$alive" \
    "$(tail -1 "$WORK/$name.out" | tr -s ' ' | cut -c1-60)"
}

printf '\n%-10s %8s %14s %-22s %6s   %s\n' "flood" "held" "peak RSS" "normal request" "alive" "flooder's last line"
flood idle java bench/Flood.java idle "$PORT" "$IDLE" "$SECONDS_EACH"
flood slowloris java bench/Flood.java slowloris "$PORT" "$SLOW" "$SECONDS_EACH"
flood wrk wrk -t2 -c"$WRK_CONNECTIONS" -d"${SECONDS_EACH}s" "http://127.0.0.1:$PORT/"
echo
grep -h -e 'Requests/sec' -e 'Socket errors' -e 'Non-2xx' "$WORK/wrk.out" | sed 's/^/wrk: /'
grep -h 'connection cap' "$WORK/app.out" | sed 's/^/app: /' || true
if grep -q -e OutOfMemoryError -e Exception "$WORK/app.err"; then
  echo "app stderr:"; head -5 "$WORK/app.err"
fi
echo "app stderr: $(wc -l <"$WORK/app.err") lines"
