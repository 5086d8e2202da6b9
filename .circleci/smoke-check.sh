#!/usr/bin/env bash
# After a deploy: the stack's Url output must answer the greeting. The instance may still be starting the
# service when the stack completes, so the request is retried for a few minutes before it counts as a failure.
#
#   smoke-check.sh STACK_NAME
#
# Uses the AWS CLI with the credentials and region of the job (aws-cli/setup with the deploy role).
set -euo pipefail

readonly GREETING='Hello World from BenchSci!'
stack="${1:?usage: $0 STACK_NAME}"

url="$(aws cloudformation describe-stacks --stack-name "$stack" \
  --query "Stacks[0].Outputs[?OutputKey=='Url'].OutputValue" --output text)"
if [[ -z "$url" || "$url" == "None" ]]; then
  echo "smoke-check: stack $stack has no Url output" >&2
  exit 1
fi

echo "Checking $url answers \"$GREETING\" ..."
page="$(curl --silent --show-error --fail --location --max-time 10 \
  --retry "${SMOKE_RETRIES:-30}" --retry-delay "${SMOKE_RETRY_DELAY:-10}" --retry-all-errors "$url")" || {
  echo "smoke-check: $url did not answer successfully" >&2
  exit 1
}
if [[ "$page" != *"$GREETING"* ]]; then
  echo "smoke-check: $url answered without the greeting:" >&2
  head -c 500 <<<"$page" >&2
  exit 1
fi
echo "OK: $url answers the greeting."
