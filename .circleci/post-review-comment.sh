#!/usr/bin/env bash
# Posts the change set review (Markdown) as ONE comment on the pull request and updates that same comment on
# every later push, like Atlantis does: the comment carries a hidden marker, found again through the GitHub API.
#
#   post-review-comment.sh REVIEW_MD
#
# Environment: GITHUB_TOKEN (context hello-host-github), CIRCLE_PULL_REQUEST (.../pull/<n>),
# CIRCLE_PROJECT_USERNAME, CIRCLE_PROJECT_REPONAME, CIRCLE_SHA1; GITHUB_API_URL for GitHub Enterprise.
set -euo pipefail

readonly MARKER='<!-- hello-host-review -->'
readonly MAX_BODY=65000 # GitHub refuses comment bodies over 65536 characters
readonly api="${GITHUB_API_URL:-https://api.github.com}"

fail() { echo "post-review-comment: $*" >&2; exit 1; }

review="${1:-}"
[[ -n "$review" ]] || fail "usage: $0 REVIEW_MD"
[[ -f "$review" ]] || fail "review file $review does not exist (did the change set review run?)"

if [[ -z "${CIRCLE_PULL_REQUEST:-}" ]]; then
  echo "No pull request for this branch yet: review kept as a build artifact only."
  exit 0
fi
[[ -n "${GITHUB_TOKEN:-}" ]] || fail "GITHUB_TOKEN is not set (add it to the hello-host-github context)"
: "${CIRCLE_PROJECT_USERNAME:?}" "${CIRCLE_PROJECT_REPONAME:?}"
pr="${CIRCLE_PULL_REQUEST##*/}"
[[ "$pr" =~ ^[0-9]+$ ]] || fail "cannot read a pull request number from CIRCLE_PULL_REQUEST=$CIRCLE_PULL_REQUEST"
repo="$api/repos/$CIRCLE_PROJECT_USERNAME/$CIRCLE_PROJECT_REPONAME"

github() { # METHOD URL [JSON_BODY]; prints the response, fails with GitHub's answer
  local args=(--silent --show-error --fail-with-body --retry 3 -X "$1" "$2"
    -H "Authorization: Bearer $GITHUB_TOKEN" -H 'Accept: application/vnd.github+json'
    -H 'X-GitHub-Api-Version: 2022-11-28')
  if [[ $# -ge 3 ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$3")
  fi
  local response
  response="$(curl "${args[@]}")" || fail "GitHub refused $1 $2: $response"
  printf '%s' "$response"
}

text="$(cat "$review")"
if (( ${#text} > MAX_BODY )); then
  text="${text:0:MAX_BODY}"$'\n\n'"… cut to fit a GitHub comment; the whole review is the build's review.md artifact."
fi
body="$(jq -n --arg marker "$MARKER" --arg text "$text" --arg sha "${CIRCLE_SHA1:-unknown}" \
  '{body: ($marker + "\n" + $text + "\n\n<sub>Change set review of " + $sha + ". Nothing was executed.</sub>")}')"

# Our earlier comment, if any: read every page of the PR's comments (100 a page).
existing=""
for ((page = 1; ; page++)); do
  comments="$(github GET "$repo/issues/$pr/comments?per_page=100&page=$page")"
  existing="$(jq -r --arg marker "$MARKER" \
    '[.[] | select(.body | startswith($marker)) | .id] | first // empty' <<<"$comments")"
  [[ -n "$existing" || "$(jq length <<<"$comments")" -lt 100 ]] && break
done

if [[ -n "$existing" ]]; then
  github PATCH "$repo/issues/comments/$existing" "$body" >/dev/null
  echo "Updated review comment $existing on pull request #$pr."
else
  github POST "$repo/issues/$pr/comments" "$body" >/dev/null
  echo "Posted review comment on pull request #$pr."
fi
