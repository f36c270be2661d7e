#!/usr/bin/env python3
"""A canned-answer HTTP server on 127.0.0.1 for the amtool compatibility test: answers each
`METHOD /path` with the status and JSON body given for it, 404 otherwise, and logs every request
as a JSON line. Binds an ephemeral port and writes it to PORT_FILE once listening; stops by
itself after 60 seconds.
Usage: amtool-stub.py ANSWERS.json PORT_FILE REQUESTS.jsonl
ANSWERS.json: {"GET /api/v2/status": {"status": 200, "body": {...}}, ...}"""
import http.server, json, sys, threading, urllib.parse

answers = json.load(open(sys.argv[1]))
log = sys.argv[3]

class Stub(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n).decode() if n else ""
        u = urllib.parse.urlsplit(self.path)
        with open(log, "a") as f:
            f.write(json.dumps({"method": self.command, "path": u.path, "query": urllib.parse.parse_qs(u.query),
                                "authorization": self.headers.get("Authorization"), "body": body}) + "\n")
        a = answers.get(f"{self.command} {u.path}")
        status, data = (a["status"], json.dumps(a["body"]).encode() if a["body"] is not None else b"") if a else (404, b'"not found"')
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    do_GET = do_POST = do_DELETE = answer
    def log_message(self, *a): pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
threading.Timer(60, server.shutdown).start()
with open(sys.argv[2] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[2] + ".tmp", sys.argv[2])
server.serve_forever()
