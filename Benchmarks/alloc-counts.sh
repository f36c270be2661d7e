#!/usr/bin/env bash
# Retains, releases, bridged retains and allocations per new alert in the engine benchmark's
# step 1 (acme-payments): `perf stat` on uprobes in libswiftCore and libc, the difference of a
# 20,000- and a 40,000-alert run, so start-up (reading and compiling the pack) cancels out.
# Deterministic, unlike timings on a shared machine: a change that removes work shows here even
# when the clock cannot tell. Needs perf and root (the probes are added when missing).
#   usage: Benchmarks/alloc-counts.sh [BENCH_BINARY]   (default: a fresh release build)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${1:-}"
if [ -z "$BIN" ]; then
  (cd "$ROOT" && swift build -c release --product rulelang-bench >/dev/null)
  BIN="$ROOT/.build/release/rulelang-bench"
fi
CORE="$(ldd "$BIN" | awk '/libswiftCore.so/ {print $3}')"
LIBC="$(ldd "$BIN" | awk '/libc.so.6/ {print $3}')"
probes="$(perf probe -l 2>/dev/null || true)"
for f in swift_retain swift_release swift_bridgeObjectRetain; do
  grep -q "probe_libswiftCore:$f " <<<"$probes" || perf probe -q -x "$CORE" "$f"
done
grep -q "probe_libc:malloc " <<<"$probes" || perf probe -q -x "$LIBC" malloc
events=probe_libswiftCore:swift_retain,probe_libswiftCore:swift_release,probe_libswiftCore:swift_bridgeObjectRetain,probe_libc:malloc
run() {
  RULELANG_BENCH_ENGINE_ONLY=new perf stat -x, -e "$events" "$BIN" engine "$ROOT/rules" "$1" 2>&1 >/dev/null | cut -d, -f1
}
a=($(run 20000)); b=($(run 40000))
python3 - "${a[@]}" "${b[@]}" <<'PY'
import sys
v = list(map(int, sys.argv[1:]))
a, b = v[:4], v[4:]
names = ["retains", "releases", "bridged retains", "allocations"]
print(", ".join(f"{n} {(y - x) / 20000:.1f}" for n, x, y in zip(names, a, b)) + " per new alert")
PY
