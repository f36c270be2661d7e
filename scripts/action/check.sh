#!/usr/bin/env bash
# The RuleLang GitHub Action's check step: `rulec check` once as SARIF (for code scanning) and once
# as workflow commands (annotations and the log). It does not fail the step, so the SARIF is
# uploaded either way; the action's last step exits with `exit-code`.
set -uo pipefail
: "${GITHUB_OUTPUT:?}"
read -ra paths <<< "${INPUT_PATHS:-rules/}"
flags=()
[ "${INPUT_STRICT:-false}" = "true" ] && flags+=(--strict)
sarif="${INPUT_SARIF_FILE:-rulelang.sarif}"

rulec check "${paths[@]}" "${flags[@]}" --format sarif > "$sarif"
rulec check "${paths[@]}" "${flags[@]}" --format github
status=$?
# A usage error leaves no SARIF to upload.
[ -s "$sarif" ] && echo "sarif-file=$sarif" >> "$GITHUB_OUTPUT"
echo "exit-code=$status" >> "$GITHUB_OUTPUT"
