#!/usr/bin/env bash
# Records what Debian's amtool 0.25 sends and what Alertmanager 0.25 answers (alert add/query,
# silence add/query/expire, status), through scripts/amtool-capture.py, into
# Tests/ServiceCompatTests/Fixtures/amtool/capture.jsonl. Run by hand when the fixtures need
# renewing; the Swift tests only read the file. Everything stays on 127.0.0.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
am_port=${AM_PORT:-19093}; proxy_port=${PROXY_PORT:-19094}
out="$root/Tests/ServiceCompatTests/Fixtures/amtool/capture.jsonl"
cat > "$work/am.yml" <<'YML'
route: {receiver: team-db, routes: [{receiver: team-web, matchers: ['service="web"']}]}
receivers: [{name: team-db}, {name: team-web}]
YML
prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/data" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address= >"$work/am.log" 2>&1 &
am=$!
python3 "$root/scripts/amtool-capture.py" "$proxy_port" "$am_port" "$work/capture.jsonl" &
proxy=$!
trap 'kill $am $proxy 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$am_port/-/ready" >/dev/null && curl -s "http://127.0.0.1:$proxy_port/-/ready" >/dev/null && break; sleep 0.2; done
url="--alertmanager.url=http://127.0.0.1:$proxy_port"
amtool $url alert add alertname=DiskFull service=db severity=critical \
  --annotation='summary="disk \"data\" is 97% full"' --generator-url=http://prom.example:9090/graph --start=2026-12-01T10:00:00Z
amtool $url alert add alertname=HighLatency service=web --end=2026-12-01T11:00:00Z --start=2026-12-01T10:00:00Z
amtool $url silence add alertname=DiskFull 'instance=~"db-[0-9]+"' 'env!=dev' --comment='disk swap' --author=ops \
  --start=2030-01-01T00:00:00Z --end=2030-01-01T02:00:00Z > "$work/silence-id"
id=$(cat "$work/silence-id")
amtool $url -o json alert query > /dev/null
amtool $url -o json alert query alertname=DiskFull --silenced --inhibited > /dev/null
amtool $url -o json silence query > /dev/null
amtool $url silence expire "$id"
curl -sf "http://127.0.0.1:$proxy_port/api/v2/status" >/dev/null
cp "$work/capture.jsonl" "$out"
echo "wrote $out ($(wc -l < "$out") exchanges)"
