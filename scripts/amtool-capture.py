#!/usr/bin/env python3
"""A recording proxy on 127.0.0.1: forwards each request to a real Alertmanager and appends
{method, path, query, body, status, response} to a JSON-lines file, so the fixtures under
Tests/ServiceCompatTests/Fixtures/amtool are what amtool really sends and Alertmanager 0.25 really
answers. Usage: amtool-capture.py LISTEN_PORT UPSTREAM_PORT OUT.jsonl"""
import http.server, json, sys, urllib.request, urllib.error, urllib.parse

listen, upstream, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

class Proxy(http.server.BaseHTTPRequestHandler):
    def forward(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        req = urllib.request.Request(f"http://127.0.0.1:{upstream}{self.path}", data=body or None, method=self.command)
        for h in ("Content-Type", "Accept"):
            if self.headers.get(h): req.add_header(h, self.headers[h])
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        u = urllib.parse.urlsplit(self.path)
        record = {"method": self.command, "path": u.path, "query": urllib.parse.parse_qs(u.query),
                  "request": json.loads(body) if body else None, "status": status,
                  "response": json.loads(data) if data and "json" in ctype else data.decode()}
        with open(out, "a") as f: f.write(json.dumps(record, sort_keys=True) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_DELETE = do_PUT = forward
    def log_message(self, *a): pass

http.server.ThreadingHTTPServer(("127.0.0.1", listen), Proxy).serve_forever()
