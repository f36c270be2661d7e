#!/usr/bin/env bash
# Time of `rulec check` on a pack of long `||` chains: ROUTES routes (70) of TERMS terms (1,200)
# each, every term a builtin call on a label, a constant subexpression beside it and a term
# every route shares, so the optimizer's passes (constant folding, shared subexpressions) see
# chains a thousand levels deep. Builds rulec in release unless NO_BUILD is set.
#   env: ROUTES (70), TERMS (1200), OUT (/tmp/rulelang-long-chains), NO_BUILD, BIN (the release rulec)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${OUT:-/tmp/rulelang-long-chains}"; ROUTES="${ROUTES:-70}"; TERMS="${TERMS:-1200}"
rm -rf "$OUT" && mkdir -p "$OUT/chains"
[ -n "${NO_BUILD:-}" ] || (cd "$ROOT" && swift build -c release --product rulec >/dev/null)
python3 - "$OUT/chains/pack.yaml" "$ROUTES" "$TERMS" <<'PY'
import sys
path, routes, terms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
out = ["rulelang: 1", "routes:"]
for r in range(routes):
    chain = ["len(lower(shared)) == 3"]
    for t in range(terms - 1):
        chain.append(f'lower(l{t % 500}) == "v{r}"' if t % 2 else f'(1 + {t}) == len(l{t % 500} ?? "")')
    out += [f"  - name: r{r}", f"    when: '{' || '.join(chain)}'"]
out += ["  - name: default", "    when: 'true'"]
open(path, "w").write("\n".join(out) + "\n")
PY
BIN="${BIN:-$ROOT/.build/release/rulec}"
start=$(date +%s.%N)
"$BIN" check "$OUT/chains" >"$OUT/check.txt" 2>&1 || true
end=$(date +%s.%N)
tail -1 "$OUT/check.txt"
python3 -c "print(f'rulec check: {float($end) - float($start):.2f} s')"
