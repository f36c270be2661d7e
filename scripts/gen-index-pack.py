#!/usr/bin/env python3
"""Generates a pack of N routes keyed on three labels, and alerts for it, for the rule-index
benchmark (`make bench-index`).

usage: gen-index-pack.py N OUTDIR [ALERTS]
  -> OUTDIR/routes-N/00-pack.yaml: N routes, each `team`, `service` or `alertname` equal to a
     constant (in turn) with a severity floor, and a catch-all;
  -> with ALERTS, OUTDIR/alerts.jsonl: ALERTS alerts whose team, service and alertname are drawn
     from the values of the 10,000-route pack (so the same file serves every pack size).
"""
import json
import os
import random
import sys

n = int(sys.argv[1])
out = sys.argv[2]
keys = ["team", "service", "alertname"]
# Values for route i: label keys[i % 3], value number i // 3, as the 10,000-route pack names them.
prefix = {"team": "team", "service": "svc", "alertname": "Alert"}

pack = os.path.join(out, f"routes-{n}")
os.makedirs(pack, exist_ok=True)
with open(os.path.join(pack, "00-pack.yaml"), "w") as f:
    f.write("rulelang: 1\nchannels:\n  ops: {type: webhook, url: \"http://127.0.0.1:9/hook\"}\nroutes:\n")
    for i in range(n):
        k = keys[i % 3]
        f.write(f"  - name: r{i}\n    when: {k} == \"{prefix[k]}{i // 3}\" && severity >= warning\n    notify: [ops]\n")
    f.write("  - name: catch-all\n    when: true\n    notify: [ops]\n")

if len(sys.argv) > 3:
    rng = random.Random(18)
    values = 10000 // 3
    with open(os.path.join(out, "alerts.jsonl"), "w") as f:
        for _ in range(int(sys.argv[3])):
            labels = {k: f"{prefix[k]}{rng.randrange(values)}" for k in keys}
            labels["env"] = rng.choice(["prod", "staging"])
            f.write(json.dumps({"labels": labels, "severity": rng.choice(["warning", "error", "critical"])}) + "\n")
print(pack)
