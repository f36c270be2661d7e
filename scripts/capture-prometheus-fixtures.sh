#!/usr/bin/env bash
# Records what Debian's Prometheus 2.42 (apt package `prometheus`) posts to an Alertmanager with a bearer key: an alert
# that fires and one that resolves (a rule true for 10 s of every 20), through the canned-answer
# stub scripts/amtool-stub.py, into Tests/ServiceCompatTests/Fixtures/prometheus/posts.jsonl.
# Run by hand when the fixture needs renewing; the Swift tests only read the file. Everything
# stays on 127.0.0.1; Prometheus runs at most 60 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
echo '{"POST /api/v2/alerts": {"status": 200, "body": null}}' > "$work/answers.json"
python3 "$root/scripts/amtool-stub.py" "$work/answers.json" "$work/port" "$work/requests.jsonl" &
stub=$!
for _ in $(seq 1 100); do [ -f "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
cat > "$work/rules.yml" <<'YML'
groups:
  - name: compat
    interval: 1s
    rules:
      - alert: HalfTime
        expr: vector(time() % 20) < 10
        labels: {severity: critical, service: db}
        annotations: {summary: 'half of the time'}
YML
cat > "$work/prometheus.yml" <<YML
global: {evaluation_interval: 1s, scrape_interval: 15s}
rule_files: [$work/rules.yml]
alerting:
  alertmanagers:
    - api_version: v2
      authorization: {credentials: test-key}
      static_configs: [{targets: ['127.0.0.1:$port']}]
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address=127.0.0.1:0 >"$work/prometheus.log" 2>&1 &
prom=$!
trap 'kill $prom $stub 2>/dev/null; cp "$work/prometheus.log" /tmp/capture-prometheus.log; rm -rf "$work"' EXIT
# Until one post of a firing alert and one of a resolved alert were seen (at most 60 s).
for _ in $(seq 1 40); do
  if [ -f "$work/requests.jsonl" ] && python3 - "$work/requests.jsonl" <<'PY'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc).isoformat()[:19]
alerts = [a for l in open(sys.argv[1]) for a in json.loads(json.loads(l)["body"])]
# A firing alert ends minutes ahead; a resolved one ended when the rule stopped holding.
sys.exit(0 if any(a["endsAt"][:19] > now for a in alerts) and any(a["endsAt"][:19] <= now for a in alerts) else 1)
PY
  then break; fi
  sleep 0.5
done
python3 - "$work/requests.jsonl" "$root/Tests/ServiceCompatTests/Fixtures/prometheus/posts.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w") as out:
    for l in open(sys.argv[1]):
        r = json.loads(l)
        out.write(json.dumps({"authorization": r["authorization"], "path": r["path"], "body": json.loads(r["body"])}, sort_keys=True) + "\n")
PY
echo "wrote $(wc -l < "$root/Tests/ServiceCompatTests/Fixtures/prometheus/posts.jsonl") posts"
