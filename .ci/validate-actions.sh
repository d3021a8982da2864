#!/usr/bin/env bash
# Validates action.yml, every workflow under .github/workflows and the example workflows the README
# quotes (.github/workflows/examples, a folder GitHub does not run) against the schemas of GitHub
# Actions (with @action-validator/cli from the npm registry; npx fetches it on first use).
# Run from anywhere; exits non-zero when any file is invalid and names each one.
set -euo pipefail

cd "$(dirname "$0")/.."
validator="@action-validator/cli@0.6.0"

if ! command -v npx >/dev/null 2>&1; then
  echo "validate-actions: npx not found (install Node.js and npm)" >&2
  exit 2
fi

files=(action.yml)
shopt -s nullglob
files+=(.github/workflows/*.yml .github/workflows/*.yaml .github/workflows/examples/*.yml)

failed=0
for f in "${files[@]}"; do
  if npx --yes "$validator" "$f"; then
    echo "valid: $f"
  else
    echo "INVALID: $f" >&2
    failed=$((failed + 1))
  fi
done

echo "validate-actions: $((${#files[@]} - failed)) valid, $failed invalid"
exit $((failed > 0))
