"""A small shop instrumented with the OpenTelemetry SDK, for `check --run`'s end-to-end test.

Two services in one process, each with its own TracerProvider: "shop" serves /checkout and
calls "inventory" at /inventory over HTTP, propagating the trace context; both honour an
incoming `traceparent`. `?fail=1` makes /inventory raise (the exception is recorded on its
span) and answer 500, and /checkout then marks its client span as failed. Spans are exported
in batches as OTLP JSON Lines (one ExportTraceServiceRequest per line, as the collector's file
exporter writes) to the file named on the command line; `--no-export` drops them instead.

Usage: otelsvc.py TRACES.jsonl PORT_FILE [--no-export]
"""
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import SpanKind, Status, StatusCode

TRACES, PORT_FILE = sys.argv[1], sys.argv[2]
EXPORT = "--no-export" not in sys.argv[3:]
WRITE_LOCK = threading.Lock()


def any_value(v):
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    return {"stringValue": str(v)}


def attributes(attrs):
    return [{"key": k, "value": any_value(v)} for k, v in (attrs or {}).items()]


def otlp_span(s):
    out = {
        "traceId": format(s.context.trace_id, "032x"),
        "spanId": format(s.context.span_id, "016x"),
        "name": s.name,
        # The SDK counts kinds from INTERNAL = 0; OTLP from SPAN_KIND_INTERNAL = 1.
        "kind": s.kind.value + 1,
        "startTimeUnixNano": str(s.start_time),
        "endTimeUnixNano": str(s.end_time),
        "attributes": attributes(s.attributes),
        "events": [
            {"timeUnixNano": str(e.timestamp), "name": e.name, "attributes": attributes(e.attributes)}
            for e in s.events
        ],
        "status": {"code": s.status.status_code.value, "message": s.status.description or ""},
    }
    if s.parent is not None:
        out["parentSpanId"] = format(s.parent.span_id, "016x")
    return out


class OtlpJsonLinesExporter(SpanExporter):
    """One ExportTraceServiceRequest in OTLP JSON per batch, appended as one line."""

    def export(self, spans):
        if not EXPORT:
            return SpanExportResult.SUCCESS
        groups = {}
        for s in spans:
            scope = s.instrumentation_scope.name if s.instrumentation_scope else ""
            groups.setdefault((id(s.resource), scope), (s.resource, scope, []))[2].append(s)
        request = {
            "resourceSpans": [
                {
                    "resource": {"attributes": attributes(res.attributes)},
                    "scopeSpans": [{"scope": {"name": scope}, "spans": [otlp_span(s) for s in group]}],
                }
                for res, scope, group in groups.values()
            ]
        }
        line = json.dumps(request, separators=(",", ":")) + "\n"
        with WRITE_LOCK, open(TRACES, "a") as f:
            f.write(line)
        return SpanExportResult.SUCCESS

    def shutdown(self):
        pass


def tracer(service):
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OtlpJsonLinesExporter(), schedule_delay_millis=200))
    return provider.get_tracer("otelsvc")


SHOP = tracer("shop")
INVENTORY = tracer("inventory")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, code, body):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        fail = parse_qs(url.query).get("fail") == ["1"]
        # Header names arrive in any case (urllib sends "Traceparent"); the propagator wants
        # them lower-case.
        ctx = propagate.extract({k.lower(): v for k, v in self.headers.items()})
        if url.path == "/checkout":
            self.checkout(ctx, fail)
        elif url.path == "/inventory":
            self.inventory(ctx, fail)
        else:
            self.reply(404, "not found")

    def checkout(self, ctx, fail):
        with SHOP.start_as_current_span("GET /checkout", context=ctx, kind=SpanKind.SERVER) as span:
            span.set_attribute("http.route", "/checkout")
            with SHOP.start_as_current_span("price cart"):
                time.sleep(0.005)
            with SHOP.start_as_current_span("GET /inventory", kind=SpanKind.CLIENT) as client:
                headers = {}
                propagate.inject(headers)
                port = self.server.server_address[1]
                req = urllib.request.Request(
                    f"http://127.0.0.1:{port}/inventory" + ("?fail=1" if fail else ""), headers=headers
                )
                try:
                    with urllib.request.urlopen(req, timeout=5) as r:
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                client.set_attribute("http.status_code", status)
                if status >= 500:
                    client.set_status(Status(StatusCode.ERROR, f"inventory answered {status}"))
            span.set_attribute("http.status_code", 502 if status >= 500 else 200)
            self.reply(502 if status >= 500 else 200, "checkout\n")

    def inventory(self, ctx, fail):
        with INVENTORY.start_as_current_span(
            "GET /inventory", context=ctx, kind=SpanKind.SERVER, record_exception=True, set_status_on_exception=True
        ) as span:
            span.set_attribute("http.route", "/inventory")
            try:
                with INVENTORY.start_as_current_span("SELECT stock", kind=SpanKind.CLIENT) as db:
                    db.set_attribute("db.system", "sqlite")
                    time.sleep(0.01)
                    if fail:
                        raise RuntimeError("stock table locked")
            except RuntimeError as e:
                span.record_exception(e)
                span.set_status(Status(StatusCode.ERROR, str(e)))
                span.set_attribute("http.status_code", 500)
                self.reply(500, "inventory failed\n")
                return
            span.set_attribute("http.status_code", 200)
            self.reply(200, "in stock\n")


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(PORT_FILE + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    # Renamed into place: the test never reads half a port number.
    import os

    os.replace(PORT_FILE + ".tmp", PORT_FILE)
    server.serve_forever()


if __name__ == "__main__":
    main()
