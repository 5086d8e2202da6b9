# shellcheck shell=bash
# The GitHub REST calls of post-review-comment.sh and reviewed-digests.sh, sourced by both: one place for the
# headers, the error handling and the paging through a pull request's comments.
#
# Environment: GITHUB_TOKEN, CIRCLE_PROJECT_USERNAME, CIRCLE_PROJECT_REPONAME; GITHUB_API_URL for GitHub Enterprise.

# Marks the one review comment of a pull request (its first line); post-review-comment.sh writes it,
# reviewed-digests.sh reads it back.
readonly REVIEW_MARKER='<!-- hello-host-review -->'

: "${GITHUB_TOKEN:?GITHUB_TOKEN is not set (add it to the hello-host-github context)}"
: "${CIRCLE_PROJECT_USERNAME:?}" "${CIRCLE_PROJECT_REPONAME:?}"
readonly github_repo="${GITHUB_API_URL:-https://api.github.com}/repos/$CIRCLE_PROJECT_USERNAME/$CIRCLE_PROJECT_REPONAME"

# github METHOD URL [JSON_BODY]: prints GitHub's response; on a refusal prints GitHub's answer on stderr, naming the
# calling script, and exits 1 (from a command substitution too: its caller's `set -e` then stops the script).
github() {
  local args=(--silent --show-error --fail-with-body --retry 3 -X "$1" "$2"
    -H "Authorization: Bearer $GITHUB_TOKEN" -H 'Accept: application/vnd.github+json'
    -H 'X-GitHub-Api-Version: 2022-11-28')
  if [[ $# -ge 3 ]]; then
    args+=(-H 'Content-Type: application/json' --data-binary "$3")
  fi
  local response
  response="$(curl "${args[@]}")" || { echo "${0##*/}: GitHub refused $1 $2: $response" >&2; exit 1; }
  printf '%s' "$response"
}

# review_comment PULL FIELD: FIELD (id or body) of the pull request's review comment, the first comment whose body
# starts with REVIEW_MARKER; nothing when there is none. Reads every page of the comments, 100 a page.
review_comment() {
  local page comments found
  for ((page = 1; ; page++)); do
    # A failed call exits this function's subshell; errexit is off in command substitutions, so say so explicitly.
    comments="$(github GET "$github_repo/issues/$1/comments?per_page=100&page=$page")" || exit 1
    found="$(jq -r --arg marker "$REVIEW_MARKER" --arg field "$2" \
      '[.[] | select(.body | startswith($marker)) | .[$field]] | first // empty | tostring' <<<"$comments")"
    if [[ -n "$found" || "$(jq length <<<"$comments")" -lt 100 ]]; then
      printf '%s' "$found"
      return 0
    fi
  done
}
