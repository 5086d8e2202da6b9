#!/usr/bin/env bash
# Prints the change-set digests that were reviewed for the commit being deployed, as the deployer's
# --reviewed-digests (-Dcfn.reviewedDigests) takes them: STACK=SHA256,... Read from the review comment
# (post-review-comment.sh) of the merged pull request of this commit, and only if that review was made of the
# pull request's last commit. Prints nothing when there is no such review (a direct push, a review still
# running at merge time): the deploy then executes nothing and stops for an explicit approval.
#
#   reviewed-digests.sh
#
# Environment: GITHUB_TOKEN, CIRCLE_PROJECT_USERNAME, CIRCLE_PROJECT_REPONAME, CIRCLE_SHA1; GITHUB_API_URL.
set -euo pipefail

note() { echo "reviewed-digests: $*" >&2; }

: "${CIRCLE_SHA1:?}"
# shellcheck source=.circleci/github.sh
source "$(dirname "${BASH_SOURCE[0]}")/github.sh"

pull="$(github GET "$github_repo/commits/$CIRCLE_SHA1/pulls" | jq -c '[.[] | select(.merged_at != null)] | first // empty')"
if [[ -z "$pull" ]]; then
  note "no merged pull request for $CIRCLE_SHA1: nothing was reviewed"
  exit 0
fi
number="$(jq -r .number <<<"$pull")"
head="$(jq -r .head.sha <<<"$pull")"

body="$(review_comment "$number" body)"
if [[ -z "$body" ]]; then
  note "pull request #$number has no review comment"
  exit 0
fi
if ! grep -qF "Change set review of $head." <<<"$body"; then
  note "the review on pull request #$number is not of its last commit $head"
  exit 0
fi
digests="$(sed -n 's/^<!-- hello-host-digests: \(.*\) -->$/\1/p' <<<"$body" | head -n 1)"
note "pull request #$number, review of $head: ${digests:-no changes}"
printf '%s\n' "$digests"
