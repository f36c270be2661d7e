#!/usr/bin/env python3
"""Generates a large tenant pack for the `rulec check` benchmark.

usage: gen-pack.py N OUTDIR   -> OUTDIR/bench/{00-pack,10-routes-*}.yaml with about N rules
(routes at two levels, enrich and suppress rules) using macros, lists and regexes.
"""
import os
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
out = os.path.join(sys.argv[2] if len(sys.argv) > 2 else "/tmp/rulelang-gen", "bench")
os.makedirs(out, exist_ok=True)
rng = random.Random(42)
services = [f"svc{i}" for i in range(200)]
teams = [f"team{i}" for i in range(40)]
envs = ["prod", "staging", "dev", "qa"]
regions = ["eu-west-1", "eu-central-1", "us-east-1", "us-west-2", "ap-south-1"]

with open(os.path.join(out, "00-pack.yaml"), "w") as f:
    f.write("rulelang: 1\ntier: gold\ntimezone: Europe/Paris\n")
    f.write("time_windows:\n  business: {weekdays: [mon-fri], hours: \"09:00-18:00\"}\n")
    f.write("lists:\n")
    for t in range(40):
        f.write(f"  team{t}_services: [{', '.join(rng.sample(services, 5))}]\n")
    f.write("macros:\n")
    for t in range(40):
        f.write(f"  is_team{t}: service in team{t}_services && env == \"prod\"\n")
    f.write("  paging: severity >= error && !in_window(business)\n")
    f.write("channels:\n")
    for t in range(40):
        f.write(f"  team{t}-slack: {{type: slack, url: \"https://hooks.example.invalid/{t}\"}}\n")
        f.write(f"  team{t}-pd: {{type: pagerduty, routing_key: \"key{t}\"}}\n")
    f.write("escalations:\n")
    for t in range(40):
        f.write(f"  team{t}-esc:\n    levels:\n      - {{after: 0m, notify: [team{t}-slack]}}\n"
                f"      - {{after: 10m, notify: [team{t}-pd]}}\n    repeat: 1\n")

per_file = 1000
rules = 0
file_no = 0
f = None
def new_file():
    global f, file_no
    if f:
        f.close()
    f = open(os.path.join(out, f"10-routes-{file_no:03d}.yaml"), "w")
    f.write("rulelang: 1\n")
    file_no += 1

# enrich and suppress: 5% each
new_file()
f.write("enrich:\n")
for i in range(n // 20):
    s = rng.choice(services)
    f.write(f"  - name: enrich-{i}\n    when: service == \"{s}\" && exists(labels.instance)\n"
            f"    set: {{owner: \"{{{{ lower(service ?? \\\"\\\") }}}}-{i}\", zone: \"{{{{ region ?? \\\"none\\\" }}}}\"}}\n")
    rules += 1
f.write("suppress:\n")
for i in range(n // 20):
    f.write(f"  - name: mute-{i}\n    when: alertname == \"Noise{i}\" && env in [\"dev\", \"qa\"]\n")
    rules += 1

remaining = n - rules
parents = remaining // 10
new_file()
f.write("routes:\n")
count = 0
for p in range(parents):
    if count and count % per_file < 11:
        pass
    t = p % 40
    f.write(f"  - name: team{t}-{p}\n    when: (is_team{t} || team == \"team{t}\") && shard != \"s{p}\"\n"
            f"    group_by: [alertname, service]\n    escalation: team{t}-esc\n    continue: {str(p % 7 == 0).lower()}\n    routes:\n")
    for c in range(9):
        kind = rng.randrange(4)
        if kind == 0:
            cond = f"alertname =~ \"High(Latency|ErrorRate){c}.*\" && region startswith \"eu-\""
        elif kind == 1:
            cond = f"severity >= error && env in [\"prod\", \"staging\"] && service == \"{rng.choice(services)}\""
        elif kind == 2:
            cond = f"paging && value > {rng.randrange(1, 100)} * 0.01 && cluster !~ \"k8s-staging-[0-9]+\""
        else:
            cond = f"any([\"a\", \"b\", \"c\"], it == (labels.shard ?? \"\")) && age() > {rng.randrange(1, 30)}m"
        cond += f" && instance != \"i{p}-{c}\""
        f.write(f"      - name: r-{p}-{c}\n        when: '{cond}'\n        notify: [team{t}-slack]\n")
    count += 10
f.write("  - name: catch-all\n    when: true\n    notify: [team0-slack]\n")
f.close()
print(out)
