#!/usr/bin/env bash
# Rollouts, start and crash recovery of the host as stack.yaml builds it: boots it the way the host boot test does
# (Debian trixie container, the template's cfn-init content, the jar this build makes), loads it with wrk
# (keep-alive and Connection: close at once) while a new jar rolls out through the cfn-init path ROLLOUTS times, then
# times the start to the first 200 of the JVM (the unit's command line) and of the unit (systemctl start), median of
# 5 each with the AOT cache, probed by bash without a process per try, and kill -9 to the greeting back. Prints
#   rollout: failed N of M requests over K rollouts
#   start: first 200 after X ms (the JVM, median of 5), https Y ms; through systemctl start X2 ms, https Y2 ms
#          (systemd's part S ms); kill -9: back after Z ms
# Not a test: it prints figures. Needs root (systemd-nspawn); installs its host tools with apt-get like the test.
# The whole host runs under a MEMORY_MIB limit (512: a t4g.nano) and meets a wrk flood of FLOOD_CONNECTIONS, then
# IDLE_CONNECTIONS idle connections.
#   bench/host-rollout.sh    env: ROLLOUTS=5 KEEP_ALIVE_CONNECTIONS=100 CLOSE_CONNECTIONS=20 MEMORY_MIB=512
#                                 FLOOD_CONNECTIONS=8000 IDLE_CONNECTIONS=18000
set -euo pipefail
cd "$(dirname "$0")/.."

LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
echo "building the app and booting the host (a few minutes the first time: the root file system is cached)..."
if ! ./mvnw -B -pl cloudformation -am verify -Dtest=HostRolloutBench -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.rollouts="${ROLLOUTS:-5}" -Dbench.keepAliveConnections="${KEEP_ALIVE_CONNECTIONS:-100}" \
    -Dbench.closeConnections="${CLOSE_CONNECTIONS:-20}" -Dbench.memoryMiB="${MEMORY_MIB:-512}" \
    -Dbench.floodConnections="${FLOOD_CONNECTIONS:-8000}" -Dbench.idleConnections="${IDLE_CONNECTIONS:-18000}" \
    >"$LOG" 2>&1; then
  grep -E '^\[(host-boot|bench|cfn-init)\]|ERROR|FAIL' "$LOG" | tail -40 >&2
  echo "host-rollout: the run failed (above)" >&2
  exit 1
fi
grep -E '^\[(host-boot|bench)\]' "$LOG"
grep -E '^(flood|idle|memory|rollout|start): ' "$LOG"
