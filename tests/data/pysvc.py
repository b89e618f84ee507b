"""A small HTTP service (standard library only) for the py-spy end-to-end test.

/slow burns CPU in slow_compute, /fast does a little work in fast_compute. Every request
appends one OTLP JSON line (service "pysvc") to the trace file named on the command line.
With a third argument `threads` it serves each request on its own thread, as most Python
web servers do (py-spy --nonblocking then sometimes reads a thread with no stack).
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer

TRACES, PORT_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


def slow_compute(n):
    total = 0
    for i in range(n):
        total += (i * i) % 7
    return total


def fast_compute(n):
    return sum(range(n))


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        start = time.time_ns()
        if self.path.startswith("/slow"):
            slow_compute(2_000_000)
        else:
            fast_compute(200_000)
        end = time.time_ns()
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
        span = {
            "traceId": os.urandom(16).hex(),
            "spanId": os.urandom(8).hex(),
            "name": "GET " + self.path,
            "kind": 2,
            "startTimeUnixNano": str(start),
            "endTimeUnixNano": str(end),
            "attributes": [
                {"key": "http.route", "value": {"stringValue": self.path}},
                {"key": "http.response.status_code", "value": {"intValue": "200"}},
            ],
        }
        doc = {
            "resourceSpans": [
                {
                    "resource": {
                        "attributes": [
                            {"key": "service.name", "value": {"stringValue": "pysvc"}}
                        ]
                    },
                    "scopeSpans": [{"spans": [span]}],
                }
            ]
        }
        line = json.dumps(doc) + "\n"
        with LOCK, open(TRACES, "a") as f:
            f.write(line)


threads = len(sys.argv) > 3 and sys.argv[3] == "threads"
server = (ThreadingHTTPServer if threads else HTTPServer)(("127.0.0.1", 0), Handler)
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_port))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
server.serve_forever()
