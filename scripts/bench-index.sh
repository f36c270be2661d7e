#!/usr/bin/env bash
# Benchmark of the rule index (release build): `rulec eval` of 100,000 alerts on a pack of 10
# routes and on one of 10,000 routes keyed on three labels (team, service, alertname), check
# and compile included, run alternately because this machine is shared and noisy; and
# `rulec check` (check + compile + verify) of the 10,000 routes alone. Prints the medians.
#   env: ALERTS (100000), RUNS (5), RULEC (.build/release/rulec)
set -euo pipefail
cd "$(dirname "$0")/.."
ALERTS="${ALERTS:-100000}"; RUNS="${RUNS:-5}"; RULEC="${RULEC:-.build/release/rulec}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
[ -x "$RULEC" ] || swift build -c release >/dev/null
small="$(python3 scripts/gen-index-pack.py 10 "$OUT" "$ALERTS")"
large="$(python3 scripts/gen-index-pack.py 10000 "$OUT")"
at=2026-01-05T10:00:00Z
seconds() { /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1; }
small_t=(); large_t=(); check_t=()
for _ in $(seq "$RUNS"); do
  small_t+=("$(seconds "$RULEC" eval "$small" --alerts "$OUT/alerts.jsonl" --at "$at")")
  large_t+=("$(seconds "$RULEC" eval "$large" --alerts "$OUT/alerts.jsonl" --at "$at")")
  check_t+=("$(seconds "$RULEC" check "$large")")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
s=$(median "${small_t[@]}"); l=$(median "${large_t[@]}"); c=$(median "${check_t[@]}")
echo "runs (s): 10 routes: ${small_t[*]}; 10,000 routes: ${large_t[*]}; check 10,000: ${check_t[*]}"
printf '%-52s %6s s\n' "rulec eval, 10 routes, $ALERTS alerts" "$s"
printf '%-52s %6s s\n' "rulec eval, 10,000 routes, $ALERTS alerts" "$l"
printf '%-52s %6s s\n' "rulec check, 10,000 routes (check, compile, verify)" "$c"
printf 'ratio 10,000 / 10 routes: %.2f\n' "$(echo "$l/$s" | bc -l)"
