#!/usr/bin/env bash
# Posts the change set review (Markdown) as ONE comment on the pull request and updates that same comment on
# every later push, like Atlantis does: the comment carries a hidden marker, found again through the GitHub API.
#
#   post-review-comment.sh REVIEW_COMMENT_MD
#
# REVIEW_COMMENT_MD: the review as the deployer cut it to fit one comment (review-comment.md, beside review.md):
# its summary and digests first, rows left out from the end with a count. The whole review is the job's review.md
# artifact; the comment's footer links the job, whose Artifacts tab holds it.
#
# Environment: GITHUB_TOKEN (context hello-host-github), CIRCLE_PULL_REQUEST (.../pull/<n>),
# CIRCLE_PROJECT_USERNAME, CIRCLE_PROJECT_REPONAME, CIRCLE_SHA1, CIRCLE_BUILD_URL; GITHUB_API_URL for GitHub
# Enterprise.
set -euo pipefail

# GitHub refuses comment bodies over 65536 characters; the footer takes a few hundred. The deployer's comment stays
# under 60000 bytes, so this cut is only for a review file that was not made to fit.
readonly MAX_BODY=65000

fail() { echo "post-review-comment: $*" >&2; exit 1; }

review="${1:-}"
[[ -n "$review" ]] || fail "usage: $0 REVIEW_COMMENT_MD"
[[ -f "$review" ]] || fail "review file $review does not exist (did the change set review run?)"

if [[ -z "${CIRCLE_PULL_REQUEST:-}" ]]; then
  echo "No pull request for this branch yet: review kept as a build artifact only."
  exit 0
fi
# shellcheck source=.circleci/github.sh
source "$(dirname "${BASH_SOURCE[0]}")/github.sh"
pr="${CIRCLE_PULL_REQUEST##*/}"
[[ "$pr" =~ ^[0-9]+$ ]] || fail "cannot read a pull request number from CIRCLE_PULL_REQUEST=$CIRCLE_PULL_REQUEST"

text="$(cat "$review")"
if (( ${#text} > MAX_BODY )); then
  text="${text:0:MAX_BODY}"$'\n\n'"… cut to fit a GitHub comment; the whole review is the build's review.md artifact."
fi
whole=""
if [[ -n "${CIRCLE_BUILD_URL:-}" ]]; then
  whole=" The whole review: review.md in the Artifacts of [the review job](${CIRCLE_BUILD_URL})."
fi
body="$(jq -n --arg marker "$REVIEW_MARKER" --arg text "$text" --arg sha "${CIRCLE_SHA1:-unknown}" --arg whole "$whole" \
  '{body: ($marker + "\n" + $text + "\n\n<sub>Change set review of " + $sha + ". Nothing was executed." + $whole + "</sub>")}')"

existing="$(review_comment "$pr" id)" # our earlier comment, if any

if [[ -n "$existing" ]]; then
  github PATCH "$github_repo/issues/comments/$existing" "$body" >/dev/null
  echo "Updated review comment $existing on pull request #$pr."
else
  github POST "$github_repo/issues/$pr/comments" "$body" >/dev/null
  echo "Posted review comment on pull request #$pr."
fi
