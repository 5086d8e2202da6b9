#!/usr/bin/env bash
# Fails unless Surefire reports for the given test classes exist and show tests that ran, none skipped:
# a test that skips itself where it cannot run (no root, no systemd-nspawn) must not pass silently on the
# executor that was chosen precisely so it can run.
#
#   require-tests-ran.sh REPORTS_DIR CLASS_GLOB      e.g. cloudformation/target/surefire-reports 'HostBoot*Test'
set -euo pipefail

dir="${1:?usage: $0 REPORTS_DIR CLASS_GLOB}"
glob="${2:?usage: $0 REPORTS_DIR CLASS_GLOB}"

# find matches the glob itself, so a pattern is never split into words by the shell.
reports=()
while IFS= read -r -d '' report; do
  reports+=("$report")
done < <(find "$dir" -maxdepth 1 -type f -name "TEST-*.$glob.xml" -print0 2>/dev/null | sort -z)
if (( ${#reports[@]} == 0 )); then
  echo "require-tests-ran: no Surefire report for $glob in $dir: the test did not run" >&2
  exit 1
fi
for report in "${reports[@]}"; do
  # The <testsuite> element's own counters, not those of nested elements.
  suite="$(grep -o -m1 '<testsuite [^>]*>' "$report")"
  tests="$(sed -n 's/.* tests="\([0-9]*\)".*/\1/p' <<<"$suite")"
  skipped="$(sed -n 's/.* skipped="\([0-9]*\)".*/\1/p' <<<"$suite")"
  if [[ "${tests:-0}" -eq 0 || "${skipped:-0}" -ne 0 ]]; then
    echo "require-tests-ran: $report: tests=${tests:-0} skipped=${skipped:-0}; these tests must run here" >&2
    exit 1
  fi
  echo "$report: $tests tests ran, none skipped."
done
