# Shared by the app benches: sourced after `cd` to the repository root, with BENCH set to the script's name.

# The host's JVM flags, read from the systemd unit in cloudformation/stack.yaml so a bench measures exactly them; the
# AOT cache flags name a file only the host builds (with JDK 25), so they are left out here.
read -r -a JVM_FLAGS <<<"$(sed -n 's|^ *ExecStart=/usr/bin/java \(.*\) -jar .*|\1|p' cloudformation/stack.yaml \
  | tr ' ' '\n' | grep -v -e '^-XX:AOT' -e '^-XX:SharedArchiveFile' | tr '\n' ' ')"
[ "${#JVM_FLAGS[@]}" -gt 0 ] || { echo "no ExecStart=/usr/bin/java line in cloudformation/stack.yaml" >&2; exit 1; }

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

if ! command -v wrk >/dev/null; then
  echo "installing wrk (Debian package)..."
  { apt-get install -y wrk || { apt-get update && apt-get install -y wrk; }; } >"$WORK/apt.log" 2>&1 \
    || die "could not install wrk with apt-get (see the log below)$(printf '\n'; tail -5 "$WORK/apt.log")"
fi
