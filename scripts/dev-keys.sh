#!/usr/bin/env bash
# make run's development keys: one key per tenant folder under rules/, made once with
# `rulec keys new` (its hash into data/keys) and kept in plain text in data/dev-keys (both
# git-ignored) so each `make run` can print them. Production keys are never kept in plain text.
set -euo pipefail
cd "$(dirname "$0")/.."
rulec=${RULEC:-.build/debug/rulec}
mkdir -p data
if [ ! -s data/dev-keys ]; then
  for dir in rules/*/; do
    tenant=$(basename "$dir")
    key=$("$rulec" keys new --tenant "$tenant" --keys data/keys)
    echo "$tenant $key" >> data/dev-keys
  done
  chmod 600 data/dev-keys
fi
echo "development keys (tenant key), from data/dev-keys:"
sed 's/^/  /' data/dev-keys
echo "try: KEY=\$(awk '\$1==\"initech\"{print \$2}' data/dev-keys)"
