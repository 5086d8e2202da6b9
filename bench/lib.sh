# Shared by the app benches: sourced after `cd` to the repository root, with BENCH set to the script's name.

# The host's JVM flags, read from JVM_FLAGS in /etc/hello/hello.env of cloudformation/stack.yaml so a bench measures
# exactly them; the unit adds its AOT cache (a file only the host builds, with JDK 25) on top, left out here.
read -r -a JVM_FLAGS <<<"$(sed -n 's|^ *JVM_FLAGS="\(.*\)"$|\1|p' cloudformation/stack.yaml)"
[ "${#JVM_FLAGS[@]}" -gt 0 ] || { echo "no JVM_FLAGS=\"...\" line in cloudformation/stack.yaml" >&2; exit 1; }

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
