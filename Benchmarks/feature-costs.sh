#!/usr/bin/env bash
# What each part of the acme-payments pack costs per alert in the engine benchmark's step 1:
# the pack as it is, then with parts removed (the enrich rules, one enrich rule at a time,
# suppressions, correlations and anomalies, the whole pipeline, everything but one route),
# each run RUNS times, alternating, in a release build. Prints the median alerts/s, µs per
# alert and the difference to the whole pack (what the removed part costs).
#   env: ALERTS (200000), RUNS (3), OUT (/tmp/rulelang-feature-costs)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="${OUT:-/tmp/rulelang-feature-costs}"; ALERTS="${ALERTS:-200000}"; RUNS="${RUNS:-3}"
rm -rf "$OUT" && mkdir -p "$OUT"
(cd "$ROOT" && swift build -c release --product rulelang-bench >/dev/null)
python3 - "$ROOT/rules/acme-payments" "$OUT" <<'PY'
import os, re, sys
src, out = sys.argv[1], sys.argv[2]
pack, pipe, routes = (open(f"{src}/{f}").read() for f in ("00-pack.yaml", "10-pipeline.yaml", "20-routes.yaml"))

def without(text, section):
    """`text` without the top-level `section:` (up to the next top-level key)."""
    kept, skip = [], False
    for line in text.split("\n"):
        if re.match(r"^[a-z_]+:", line):
            skip = line.startswith(section + ":")
        if not skip:
            kept.append(line)
    return "\n".join(kept)

variants = {
    "whole pack": (pipe, routes),
    "no enrich": (without(pipe, "enrich"), routes),
    "no suppress": (without(pipe, "suppress"), routes),
    "no correlate, anomalies": (without(without(pipe, "correlate"), "anomalies"), routes),
    "no pipeline": ("rulelang: 1\n", routes),
    "one route, no rules": ("rulelang: 1\n", "rulelang: 1\nroutes:\n  - {name: all, when: true, notify: [pay-slack], group_by: [alertname, service]}\n"),
}
start, end = pipe.index("enrich:"), pipe.index("suppress:")
rules = [r for r in re.split(r"\n(?=  - name: |  # )", pipe[start:end]) if r.strip().startswith("- name")]
for i, rule in enumerate(rules):
    name = re.search(r"name: (\S+)", rule).group(1)
    kept = [r for j, r in enumerate(rules) if j != i]
    variants[f"no enrich {name}"] = (pipe[:start] + "enrich:\n" + "\n".join(kept) + "\n\n" + pipe[end:], routes)
for n, (name, (p, r)) in enumerate(variants.items()):
    d = f"{out}/{n:02d}/acme-payments"
    os.makedirs(d)
    for f, text in (("00-pack.yaml", pack), ("10-pipeline.yaml", p), ("20-routes.yaml", r)):
        open(f"{d}/{f}", "w").write(text)
    open(f"{out}/{n:02d}/name", "w").write(name)
PY
for run in $(seq "$RUNS"); do
  for d in "$OUT"/[0-9]*; do
    RULELANG_BENCH_ENGINE_ONLY=new "$ROOT/.build/release/rulelang-bench" engine "$d" "$ALERTS" \
      | sed -nE 's/^engine .*= ([0-9]+) alerts\/s.*/\1/p' >> "$d/results"
  done
done
python3 - "$OUT" <<'PY'
import os, sys, statistics
out = sys.argv[1]
rows = []
for d in sorted(os.listdir(out)):
    if not d[:2].isdigit():
        continue
    rates = [float(x) for x in open(f"{out}/{d}/results").read().split()]
    rows.append((open(f"{out}/{d}/name").read(), statistics.median(rates)))
base = 1e6 / rows[0][1]
print("| pack | alerts/s (median) | µs per alert | cost of what was removed, µs |")
print("|---|---:|---:|---:|")
for name, rate in rows:
    us = 1e6 / rate
    print(f"| {name} | {rate:,.0f} | {us:.2f} | {'' if name == rows[0][0] else f'{base - us:.2f}'} |")
PY
