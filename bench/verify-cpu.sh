#!/usr/bin/env bash
# Where the CPU time of `./mvnw -B verify` goes: one verify on a fresh clone of this repository's HEAD, with the tool
# cache as it is (warm, as CI restores it), while every process on the machine is sampled from /proc twice a second;
# prints the CPU seconds (user + system) of each kind of process (the test JVMs per module, moto servers, cfn-lint,
# the host's JVMs in their containers, wrk, Chromium, ...) and the floor they set on the wall time: on N cores the
# build cannot take less than its CPU time over N. Processes that lived less than half a second are counted at their
# last sample or not at all, so the total is a little under what `time` says (it prints both). Not a test: it
# prints figures.
#   bench/verify-cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH="verify-cpu"
source bench/lib.sh

commit=$(git rev-parse HEAD)
dir="$WORK/clone"
clone_at "$dir" "$commit"
echo "$BENCH: commit $commit on $(nproc) cores, tool cache $(tool_cache); a fixed Python loop took $(core_speed) of CPU"
echo "$BENCH: ./mvnw -B verify in $dir..."

# The sampler: for every process it saw (by PID and start time) its command line, its CPU time when the build began
# (0 for one started later) and at its last sample; written as JSON when $WORK/stop appears.
python3 - "$WORK/cpu.json" "$WORK/stop" <<'EOF' &
import json, os, sys, time
out, stop = sys.argv[1], sys.argv[2]
ticks = os.sysconf("SC_CLK_TCK")
seen = {}
first_round = True
while not os.path.exists(stop):
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            key = pid + "/" + fields[19]  # the start time tells a reused PID apart
            cpu = (int(fields[11]) + int(fields[12])) / ticks
            if key not in seen:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    # A process older than the build counts from here on; a newer one from its start.
                    seen[key] = [f.read().replace(b"\0", b" ").decode(errors="replace"), cpu if first_round else 0]
            seen[key].append(cpu)
            del seen[key][2:-1]
        except (OSError, IndexError, ValueError):
            pass  # gone between listing and reading
    first_round = False
    time.sleep(0.5)
json.dump(seen, open(out, "w"))
EOF
pids+=($!)

start=$SECONDS
status=0
TIMEFORMAT='%U %S'
{ time (cd "$dir" && ./mvnw -B verify >"$WORK/verify.log" 2>&1); } 2>"$WORK/time" || status=$?
seconds=$((SECONDS - start))
touch "$WORK/stop"
wait "${pids[-1]}"
[[ $status -eq 0 ]] || { print_failed_reports "$dir"; tail -40 "$WORK/verify.log" >&2
                         die "./mvnw -B verify failed in $dir (the failed tests' reports and its log's end above)"; }

python3 - "$WORK/cpu.json" "$dir" "$seconds" "$(nproc)" "$(cat "$WORK/time")" <<'EOF'
import collections, json, re, sys
seen, clone, wall, cores = json.load(open(sys.argv[1])), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
user, system = (float(t) for t in sys.argv[5].split())

def kind(command):
    """What a process was, from its command line."""
    module = re.search(re.escape(clone) + r"/(\S+?)/target/", command)
    if "surefirebooter" in command:
        # Another build's test JVM on the same machine is not this build's, but its CPU is counted all the same.
        return "test JVMs of " + (module.group(1) if module else "a build elsewhere on this machine")
    if "moto.server" in command:
        return "moto servers"
    if "cfn-lint" in command or "cfnlint" in command:
        return "cfn-lint (runs and version probes)"
    if "cfn-guard" in command:
        return "cfn-guard"
    if "plexus-classworlds" in command or "/bin/mvn" in command:
        # Before the host's JVMs: Maven's own may be /usr/bin/java too.
        return "Maven (the build and the invoker's builds)"
    if command.startswith("/usr/bin/java"):
        return "the host's JVMs (in their containers)"
    if "/keytool" in command:
        return "keytool"
    if "ensurepip" in command or " -m venv" in command or "pip install" in command or "/pip" in command:
        return "pip and venv"
    if "java" in command.split(" ")[0] and module:
        return "JVMs the tests start, " + module.group(1)
    for tool in ("wrk", "chrom", "pebble", "systemd", "shellcheck", "npm", "node"):
        if tool in command:
            return {"chrom": "Chromium", "systemd": "systemd and journald (containers)"}.get(tool, tool)
    return "other" if command.strip() else "other (kernel threads, zombies)"

cpu, count = collections.Counter(), collections.Counter()
for command, before, last in seen.values():
    if last > before:
        cpu[kind(command)] += last - before
        count[kind(command)] += 1
total = sum(cpu.values())
print(f"wall {wall // 60} min {wall % 60:02d} s; CPU by time(1) {user + system:.0f} s, sampled {total:.0f} s")
print(f"the floor on {cores} cores: {user + system:.0f} s / {cores} = {(user + system) / cores:.0f} s")
for name, seconds in cpu.most_common():
    if seconds >= 1:
        print(f"{seconds:7.1f} s  {100 * seconds / total:4.1f} %  {count[name]:4d} processes  {name}")
# What "other" holds, so a new kind of process shows up by name rather than hiding there.
others = sorted(((last - before, command) for command, before, last in seen.values()
                 if last > before and kind(command) == "other"), reverse=True)
for seconds, command in others[:8]:
    print(f"{seconds:7.1f} s  other: {command[:110]}")
EOF
