# shellcheck shell=bash
# Shared by the benches: sourced after `cd` to the repository root, with BENCH set to the script's name.

# Scratch space, and the processes to kill on the way out.
WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

die() { echo "$BENCH: $*" >&2; exit 1; }

# A fresh clone of this repository at commit $2 in the folder $1 (commits only: uncommitted changes are not in it).
clone_at() {
  git clone -q --no-checkout "$PWD" "$1" || die "cannot clone $PWD"
  git -C "$1" checkout -q "$2"
}

# The Surefire and Failsafe text reports (each failed test's message and stack trace) of the failed test classes of
# the clone in $1, to stderr: the clone is deleted on the way out, and a rare failure must be readable afterwards.
print_failed_reports() {
  local report
  shopt -s nullglob
  for report in "$1"/{,*/,tiers/*/}target/{surefire,failsafe}-reports/*.txt; do
    if grep -qE '<<< (FAILURE|ERROR)!' "$report"; then
      echo "--- $report" >&2
      head -80 "$report" >&2
    fi
  done
  shopt -u nullglob
}

# The CPU seconds a fixed single-threaded loop takes (20 million additions in Python), alone on the machine: how fast
# this machine's cores run right now. The same build's CPU time moves with it (a shared virtual machine: other tenants
# slow the cores down), so a bench prints it beside its figures to make runs of different hours comparable.
core_speed() {
  python3 -c 'import time
t = time.process_time()
x = 0
for i in range(20_000_000): x += i
print(f"{time.process_time() - t:.2f} s")'
}

# The tool cache the build manages, found the way ToolCache.defaultRoot() finds it: $HELLO_HOST_CACHE, else
# $XDG_CACHE_HOME/hello-host, else ~/.cache/hello-host. Benches keep what they install there too.
tool_cache() { echo "${HELLO_HOST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hello-host}"; }

# The host's JVM flags into JVM_FLAGS, read from /etc/hello/hello.env of cloudformation/stack.yaml so a bench
# measures exactly them; the unit adds its AOT cache (a file only the host builds, with JDK 25) on top, left out here.
read_host_jvm_flags() {
  read -r -a JVM_FLAGS <<<"$(sed -n 's|^ *JVM_FLAGS="\(.*\)"$|\1|p' cloudformation/stack.yaml)"
  [ "${#JVM_FLAGS[@]}" -gt 0 ] || die "no JVM_FLAGS=\"...\" line in cloudformation/stack.yaml"
}

# wrk, installed from Debian's packages when missing.
need_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)..."
    { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; } >"$WORK/apt.log" 2>&1 \
      || die "could not install wrk with apt-get (see the log below)$(printf '\n'; tail -5 "$WORK/apt.log")"
  fi
}
