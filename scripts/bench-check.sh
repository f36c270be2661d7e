#!/usr/bin/env bash
# Benchmark: `rulec check` (release build) on a generated 10,000-rule pack, beside a baseline
# that only parses the same YAML (PyYAML's libyaml-backed CSafeLoader), run alternately in one
# go because this machine is shared and noisy. Prints median wall time and peak memory.
#   env: RULES (10000), RUNS (7)
set -euo pipefail
cd "$(dirname "$0")/.."
RULES="${RULES:-10000}"; RUNS="${RUNS:-7}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
[ -x .build/release/rulec ] || swift build -c release >/dev/null
pack="$(python3 scripts/gen-pack.py "$RULES" "$OUT")"
echo "pack: $RULES rules, $(cat "$pack"/*.yaml | wc -l) lines, $(du -sh "$pack" | cut -f1)"
measure() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -1; }
check_t=(); check_m=(); base_t=(); base_m=()
for _ in $(seq "$RUNS"); do
  read -r t m < <(measure .build/release/rulec check "$pack"); check_t+=("$t"); check_m+=("$m")
  read -r t m < <(measure python3 -c 'import sys,glob,yaml
for f in sorted(glob.glob(sys.argv[1]+"/*.yaml")): yaml.load(open(f), Loader=yaml.CSafeLoader)' "$pack"); base_t+=("$t"); base_m+=("$m")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ct=$(median "${check_t[@]}"); cm=$(median "${check_m[@]}"); bt=$(median "${base_t[@]}"); bm=$(median "${base_m[@]}")
printf "%-40s %8s s %8.1f MB\n" "rulec check (front end + compile + verify)" "$ct" "$(echo "$cm/1024" | bc -l)"
printf '%-40s %8s s %8.1f MB\n' "baseline: PyYAML CSafeLoader, YAML only" "$bt" "$(echo "$bm/1024" | bc -l)"
printf 'ratio rulec/baseline: %.2f\n' "$(echo "$ct/$bt" | bc -l)"
