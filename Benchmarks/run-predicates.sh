#!/usr/bin/env bash
# Our VM beside the reference evaluators (../shared/bench: C with PCRE2 JIT, Lua 5.4, LuaJIT)
# on the six predicates P1-P6, in one run, in a release build. Prints one table of median ns
# per evaluation and the ratios of our VM to each peer.
#   env: TARGET_S seconds per timed run (0.2), RUNS per cell (7), OUT (/tmp/rulelang-bench)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SHARED="${SHARED:-$ROOT/../shared/bench}"
OUT="${OUT:-/tmp/rulelang-bench}"; TARGET_S="${TARGET_S:-0.2}"; RUNS="${RUNS:-7}"
export OUT TARGET_S RUNS
mkdir -p "$OUT"
(cd "$ROOT" && swift build -c release --product rulelang-bench >/dev/null)
bash "$SHARED/run.sh" > "$OUT/peers.txt"
"$ROOT/.build/release/rulelang-bench" "$OUT/predicates.json" "$TARGET_S" "$RUNS" > "$OUT/vm.tsv"
cat "$OUT/results.tsv" "$OUT/vm.tsv" > "$OUT/all.tsv"
python3 "$SHARED/table.py" "$OUT/all.tsv"
python3 - "$OUT/all.tsv" <<'PY'
import sys
d = {}
for line in open(sys.argv[1]):
    p = line.rstrip("\n").split("\t")
    if len(p) == 6: d[(p[0], p[1])] = float(p[2])
preds = ["P1", "P2", "P3", "P4", "P5", "P6"]
peers = [p for p in ["c-slot", "c-map", "lua5.4", "luajit-interp", "luajit-jit"] if any((p, q) in d for q in preds)]
print("\nratio rulelang-vm / peer (below 1 = we are faster):\n")
print("| peer | " + " | ".join(preds) + " |")
print("|---|" + "---:|" * len(preds))
for peer in peers:
    print(f"| {peer} | " + " | ".join(f"{d[('rulelang-vm', q)] / d[(peer, q)]:.2f}" if (peer, q) in d and ('rulelang-vm', q) in d else "–" for q in preds) + " |")
PY
