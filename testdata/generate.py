#!/usr/bin/env python3
"""Writes tracediag's own test traces (Jaeger v1 JSON and OTLP JSON) from compact specs.

Run from the repository root: python3 testdata/generate.py
Each spec is a list of spans: (span_id, parent_id, service, operation, kind, start, duration_ms,
attributes, events). `start` is an ISO timestamp (UTC) with milliseconds.
"""
import json
from datetime import datetime, timezone

def us(ts):
    return int(datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp() * 1_000_000)

def span(sid, parent, service, op, kind, start, dur_ms, attrs=None, events=None, ref="CHILD_OF"):
    return dict(id=sid, parent=parent, service=service, op=op, kind=kind, start_us=us(start),
                dur_us=int(round(dur_ms * 1000)), attrs=attrs or {}, events=events or [], ref=ref)

def jaeger_tag(k, v):
    if isinstance(v, bool):
        return {"key": k, "type": "bool", "value": v}
    if isinstance(v, int):
        return {"key": k, "type": "int64", "value": v}
    if isinstance(v, float):
        return {"key": k, "type": "float64", "value": v}
    return {"key": k, "type": "string", "value": v}

def to_jaeger(trace_id, spans, hosts=None):
    services = sorted({s["service"] for s in spans})
    pid = {svc: f"p{i+1}" for i, svc in enumerate(services)}
    out = []
    for s in spans:
        tags = [jaeger_tag("span.kind", s["kind"])] + [jaeger_tag(k, v) for k, v in s["attrs"].items()]
        refs = [] if s["parent"] is None else [{"refType": s["ref"], "traceID": trace_id, "spanID": s["parent"]}]
        logs = [{"timestamp": s["start_us"] + int(e.get("offset_ms", 0) * 1000),
                 "fields": [jaeger_tag("event", e["name"])] + [jaeger_tag(k, v) for k, v in e["attrs"].items()]}
                for e in s["events"]]
        out.append({"traceID": trace_id, "spanID": s["id"], "flags": 1, "operationName": s["op"],
                    "references": refs, "startTime": s["start_us"], "duration": s["dur_us"], "tags": tags,
                    "logs": logs, "processID": pid[s["service"]], "warnings": None})
    processes = {pid[svc]: {"serviceName": svc, "tags": [jaeger_tag("hostname", (hosts or {}).get(svc, svc + "-0"))]}
                 for svc in services}
    return {"data": [{"traceID": trace_id, "spans": out, "processes": processes, "warnings": None}],
            "total": 0, "limit": 0, "offset": 0, "errors": None}

KIND = {"server": 2, "client": 3, "internal": 1, "producer": 4, "consumer": 5}

def otlp_value(v):
    if isinstance(v, bool):
        return {"boolValue": v}
    if isinstance(v, int):
        return {"intValue": str(v)}
    if isinstance(v, float):
        return {"doubleValue": v}
    return {"stringValue": v}

def to_otlp(trace_id, spans, status=None):
    status = status or {}
    by_service = {}
    for s in spans:
        by_service.setdefault(s["service"], []).append(s)
    rs = []
    for svc, group in sorted(by_service.items()):
        otlp_spans = []
        for s in group:
            o = {"traceId": trace_id, "spanId": s["id"], "parentSpanId": s["parent"] or "", "name": s["op"],
                 "kind": KIND[s["kind"]], "startTimeUnixNano": str(s["start_us"] * 1000),
                 "endTimeUnixNano": str((s["start_us"] + s["dur_us"]) * 1000),
                 "attributes": [{"key": k, "value": otlp_value(v)} for k, v in s["attrs"].items()],
                 "events": [{"timeUnixNano": str((s["start_us"] + int(e.get("offset_ms", 0) * 1000)) * 1000),
                             "name": e["name"],
                             "attributes": [{"key": k, "value": otlp_value(v)} for k, v in e["attrs"].items()]}
                            for e in s["events"]],
                 "status": status.get(s["id"], {})}
            otlp_spans.append(o)
        rs.append({"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": svc}},
                                                {"key": "host.name", "value": {"stringValue": svc + "-0"}}]},
                   "scopeSpans": [{"scope": {"name": "tracediag-testdata"}, "spans": otlp_spans}]})
    return {"resourceSpans": rs}

def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")

# --- Execution 2193 from seed 000, with the parent links the seed's table lacks ---------------
BEACON = {"job_id": 881, "model_id": "llama-3.1-8b", "region": "us-east"}
e2193 = [
    span("00000000000a2193", None, "runner", "execute_question", "server", "2025-10-22T16:21:12.110", 238901, BEACON),
    span("00000000000b2193", "00000000000a2193", "runner", "hybrid_router_call", "client", "2025-10-22T16:21:12.115", 238893,
         {**BEACON, "http.request.method": "POST", "url.full": "https://router.internal/inference"}),
    span("00000000000c2193", "00000000000b2193", "router", "inference_request", "server", "2025-10-22T16:21:12.342", 82549,
         {**BEACON, "http.route": "/inference", "http.response.status_code": 200}),
    span("00000000000d2193", "00000000000c2193", "router", "modal_call", "client", "2025-10-22T16:21:12.450", 82334, BEACON),
    span("00000000000e2193", "00000000000d2193", "modal", "inference", "server", "2025-10-22T16:21:14.900", 77333,
         {**BEACON, "gpu": "A10G"}),
]
write("testdata/execution-2193.jaeger.json", to_jaeger("0000000000002193", e2193))
write("testdata/execution-2193.otlp.json", to_otlp("00000000000000000000000000002193", e2193))

# --- One trace per root-cause category -------------------------------------------------------
T0 = "2024-03-05T10:00:00.000"
def t(ms):  # T0 + ms
    base = datetime.strptime(T0, "%Y-%m-%dT%H:%M:%S.%f")
    from datetime import timedelta
    return (base + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]

conn = [
    span("1000000000000001", None, "frontend", "POST /checkout", "server", t(0), 412, {"http.response.status_code": 502}),
    span("1000000000000002", "1000000000000001", "frontend", "POST checkout", "client", t(5), 400),
    span("1000000000000003", "1000000000000002", "checkout", "PlaceOrder", "server", t(8), 390),
    span("1000000000000004", "1000000000000003", "checkout", "SELECT orders", "client", t(20), 360,
         {"db.system": "postgresql", "server.address": "10.0.0.5", "error": True,
          "error.message": "dial tcp 10.0.0.5:5432: connect: connection refused"}),
]
write("testdata/cases/connection-failure.otlp.json", to_otlp("1000000000000000000000000000c0ff",
      conn, {"1000000000000001": {"code": 2, "message": "upstream failed"},
             "1000000000000003": {"code": 2, "message": "database unavailable"},
             "1000000000000004": {"code": 2, "message": "dial tcp 10.0.0.5:5432: connect: connection refused"}}))

timeout = [
    span("2000000000000001", None, "api", "GET /stock", "server", t(0), 5012, {"http.response.status_code": 504, "error": True}),
    span("2000000000000002", "2000000000000001", "api", "inventory.Check", "client", t(4), 5000,
         {"rpc.grpc.status_code": 4, "error": True}),
    span("2000000000000003", "2000000000000002", "inventory", "inventory.Check", "server", t(9), 4990,
         {"rpc.grpc.status_code": 4, "error": True},
         [{"name": "error", "offset_ms": 4990, "attrs": {"message": "context deadline exceeded"}}]),
    span("2000000000000004", "2000000000000003", "inventory", "SELECT stock", "client", t(15), 38, {"db.system": "mysql"}),
]
write("testdata/cases/service-timeout.jaeger.json", to_jaeger("2000000000000000", timeout))

rate = [
    span("3000000000000001", None, "assistant", "POST /chat", "server", t(0), 920),
    span("3000000000000002", "3000000000000001", "assistant", "retrieve_context", "internal", t(10), 120),
    span("3000000000000003", "3000000000000001", "assistant", "POST api.llm.example/v1/chat", "client", t(140), 760,
         {"http.request.method": "POST", "http.response.status_code": 429, "http.response.header.retry-after": "20",
          "gen_ai.request.model": "gpt-4o"}),
]
write("testdata/cases/rate-limited.otlp.json", to_otlp("30000000000000000000000000000429", rate,
      {"3000000000000003": {"code": 2, "message": "429 Too Many Requests: rate limit exceeded"},
       "3000000000000001": {"code": 2, "message": "LLM call failed"}}))

exec_fail = [
    span("4000000000000001", None, "web", "GET /report", "server", t(0), 230, {"http.response.status_code": 500, "error": True}),
    span("4000000000000002", "4000000000000001", "web", "render_report", "internal", t(12), 200, {"error": True}),
    span("4000000000000003", "4000000000000002", "web", "load_template", "internal", t(14), 8),
    span("4000000000000004", "4000000000000002", "web", "compute_totals", "internal", t(30), 150, {"error": True},
         [{"name": "exception", "offset_ms": 150, "attrs": {"exception.type": "ZeroDivisionError",
                                                             "exception.message": "division by zero"}}]),
]
write("testdata/cases/execution-failure.jaeger.json", to_jaeger("4000000000000000", exec_fail))

slow = [
    span("5000000000000001", None, "shop", "GET /search", "server", t(0), 5200),
    span("5000000000000002", "5000000000000001", "shop", "auth", "internal", t(5), 40),
    span("5000000000000003", "5000000000000001", "shop", "search_products", "client", t(50), 5100),
    span("5000000000000004", "5000000000000003", "catalog", "search_products", "server", t(60), 5080),
    span("5000000000000005", "5000000000000004", "catalog", "SELECT products", "client", t(70), 4950,
         {"db.system": "postgresql", "db.statement": "SELECT * FROM products WHERE name ILIKE $1"}),
    span("5000000000000006", "5000000000000001", "shop", "render", "internal", t(5150), 45),
]
write("testdata/cases/performance-degradation.jaeger.json", to_jaeger("5000000000000000", slow))

broken = [
    span("6000000000000001", None, "gateway", "GET /profile", "server", t(0), 300),
    span("6000000000000002", "6000000000000001", "gateway", "GET users", "client", t(10), 280),
    span("6000000000000004", "60000000000000ff", "users", "GET /users/{id}", "server", t(20), 250),
    span("6000000000000005", "6000000000000004", "users", "SELECT user", "client", t(30), 200, {"db.system": "mysql"}),
]
write("testdata/cases/broken-trace.otlp.json", to_otlp("600000000000000000000000000000bb", broken))

nplus1 = [span("7000000000000001", None, "blog", "GET /posts", "server", t(0), 655),
          span("7000000000000002", "7000000000000001", "blog", "SELECT posts", "client", t(5), 20, {"db.system": "sqlite"})]
for i in range(12):
    nplus1.append(span(f"70000000000001{i:02d}", "7000000000000001", "blog", "SELECT comments WHERE post_id = ?", "client",
                       t(30 + i * 50), 48, {"db.system": "sqlite"}))
write("testdata/cases/n-plus-one.jaeger.json", to_jaeger("7000000000000000", nplus1))

healthy = [
    span("8000000000000001", None, "frontend", "GET /", "server", t(0), 48, {"http.response.status_code": 200}),
    span("8000000000000002", "8000000000000001", "frontend", "GET home", "client", t(4), 40),
    span("8000000000000003", "8000000000000002", "home", "GET /home", "server", t(6), 36, {"http.response.status_code": 200}),
    span("8000000000000004", "8000000000000003", "home", "cache.get", "client", t(8), 2),
    span("8000000000000005", "8000000000000003", "home", "render", "internal", t(12), 28),
]
write("testdata/cases/healthy.otlp.json", to_otlp("80000000000000000000000000000001", healthy,
      {"8000000000000001": {"code": 1}}))
