#!/usr/bin/env bash
# Seconds and peak memory of `rulec check`, `test` and `simulate` (release build) on each
# reported hostile pack (Tests/HostileInputs/HostilePacks+Reported.swift), each command in its
# own process under `ulimit -v` (4 GB) and a 60 s timeout. The target for `check`: any input
# within the 10 MiB file limit in under 5 s and 1 GB.
#   env: OUT (/tmp/rulelang-hostile), NO_BUILD
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${OUT:-/tmp/rulelang-hostile}"
[ -n "${NO_BUILD:-}" ] || (cd "$ROOT" && swift build -c release --product rulec >/dev/null && swift build -c release --product rulelang-bench >/dev/null)
rm -rf "$OUT" && mkdir -p "$OUT"
"$ROOT/.build/release/rulelang-bench" hostile "$OUT"
BIN="$ROOT/.build/release/rulec"
printf '%-48s %-9s %5s %8s %8s\n' pack command exit seconds "peak MB"
for dir in "$OUT"/*/; do
  name=$(cat "$dir/name")
  tail=$(cat "$dir/tail"); tail=${tail:-1h}
  for cmd in check test simulate; do
    case $cmd in
      check) args=(check hostile) ;;
      test) args=(test hostile) ;;
      simulate) args=(simulate hostile --alerts events.jsonl --tail "$tail") ;;
    esac
    set +e
    (cd "$dir" && ulimit -v 4000000 && SWIFT_BACKTRACE=enable=no /usr/bin/time -f '%e %M' -o time.txt timeout 60 "$BIN" "${args[@]}" >/dev/null 2>&1)
    code=$?
    set -e
    read -r secs kb < <(tail -n 1 "$dir/time.txt") || true
    [[ "${kb:-}" =~ ^[0-9]+$ ]] || { secs="-"; kb=0; }
    printf '%-48s %-9s %5s %8s %8d\n' "${name:0:48}" "$cmd" "$code" "$secs" "$((kb / 1024))"
  done
done
