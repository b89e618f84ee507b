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

from datetime import timedelta

# --- Twenty beacon executions for similar / compare / stats ----------------------------------
# runner → router → modal, as execution 2193: successful runs, 2193-like network timeouts on
# the router→runner response leg, failed Modal calls, retried Modal calls, and one slow run.
def execution(eid, kind, start, modal_ms, model="llama-3.1-8b", region="us-east", gap_ms=100):
    tag = {"job_id": 800 + eid % 100, "model_id": model, "region": region}
    sid = lambda c: f"00000000000{c}{eid}"
    base = datetime.strptime(start, "%Y-%m-%dT%H:%M:%S.%f")
    at = lambda ms: (base + timedelta(milliseconds=ms)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    err = lambda msg: {"error": True, "error.message": msg}
    calls = []  # (span_id, start_ms, modal_call_ms, inference_ms, error message or None)
    if kind == "retry":
        calls.append((sid("d"), 340, 30000, 29000, "deadline exceeded after 30s"))
        calls.append((f"00000000001d{eid}", 30450, modal_ms + 5000, modal_ms, None))
    elif kind == "modal-fail":
        calls.append((sid("d"), 340, modal_ms + 2500, modal_ms,
                      "CUDA out of memory" if eid % 2 else "model load failed: weights checksum mismatch"))
    else:
        calls.append((sid("d"), 340, modal_ms + 5000, modal_ms, None))
    last_start, last_dur = calls[-1][1], calls[-1][2]
    failed = kind == "modal-fail"
    router_ms = last_start + last_dur + 107 - 232
    leg = 156117 if kind == "timeout" else gap_ms
    call_ms = 232 - 5 + router_ms + leg
    root_ms = call_ms + 8
    spans = [
        span(sid("a"), None, "runner", "execute_question", "server", at(0), root_ms,
             {**tag, **(err("inference failed") if failed else {})}),
        span(sid("b"), sid("a"), "runner", "hybrid_router_call", "client", at(5), call_ms,
             {**tag, "http.request.method": "POST", **({"http.response.status_code": 502} if failed else {})}),
        span(sid("c"), sid("b"), "router", "inference_request", "server", at(232), router_ms,
             {**tag, "http.route": "/inference", "http.response.status_code": 502 if failed else 200}),
    ]
    for n, (cid, cstart, cms, ims, msg) in enumerate(calls):
        spans.append(span(cid, sid("c"), "router", "modal_call", "client", at(cstart), cms,
                          {**tag, **(err(msg) if msg else {})}))
        spans.append(span(sid("e") if n == 0 else f"00000000001e{eid}", cid, "modal", "inference", "server",
                          at(cstart + 2450), ims, {**tag, "gpu": "A10G", **(err(msg) if msg else {})}))
    return (f"000000000000{eid}", spans)

PLAN = [
    (2180, "ok", 31000), (2181, "ok", 28500), (2182, "timeout", 76000), (2183, "ok", 33000),
    (2184, "modal-fail", 3100), (2185, "retry", 30500), (2186, "ok", 29800), (2187, "ok", 35200),
    (2188, "timeout", 79500), (2189, "ok", 27000), (2190, "ok", 30100), (2191, "modal-fail", 2800),
    (2192, "retry", 32000), (2194, "ok", 31500), (2195, "timeout", 74000), (2196, "ok", 30900),
    (2197, "modal-fail", 3300), (2198, "ok", 152000), (2199, "ok", 29400),
]
runs = []
for k, (eid, kind, modal_ms) in enumerate(PLAN):
    when = (datetime(2025, 10, 22, 14, 0) + timedelta(minutes=7 * k)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    model = "mistral-7b" if eid in (2189, 2195) else "llama-3.1-8b"
    region = "eu-west" if eid in (2189, 2195, 2196) else "us-east"
    runs.append(execution(eid, kind, when, modal_ms, model, region))
runs.append(("0000000000002193", e2193))
runs.sort()
docs = [to_jaeger(tid, spans) for tid, spans in runs]
write("testdata/executions.jaeger.json", {"data": [d["data"][0] for d in docs], "total": 0, "limit": 0,
                                          "offset": 0, "errors": None})

# --- 400 checkout requests: version 2.3 of checkout is slow -----------------------------------
# gateway → checkout → payments; the services' resource (Jaeger process tags) carries the
# version, pod and region, which vary at random; only checkout 2.3 is slower (4×), so
# `cohorts --by attributes` must name it and nothing else.
import math
import random

def checkout_versions():
    rng = random.Random(2023)
    t0 = us("2025-11-03T09:00:00.000")
    traces = []
    for i in range(400):
        tid = f"{0xc0ffee000000 + i:032x}"
        version = rng.choice(["2.1", "2.2", "2.2", "2.3"])
        pod = rng.choice(["a", "b", "c", "d", "e"])
        region = rng.choice(["eu-west-1", "us-east-1", "ap-south-1"])
        lognormal = lambda median: median * math.exp(0.35 * rng.gauss(0, 1))
        checkout_ms = lognormal(80) * (4 if version == "2.3" else 1)
        payments_ms = lognormal(40)
        start = t0 + i * 9_000_000
        def s(sid, parent, pid, op, kind, offset_ms, dur_ms, tags):
            return {"traceID": tid, "spanID": f"{i:08x}{sid:08x}", "flags": 1, "operationName": op,
                    "references": [] if parent is None else
                    [{"refType": "CHILD_OF", "traceID": tid, "spanID": f"{i:08x}{parent:08x}"}],
                    "startTime": start + int(offset_ms * 1000), "duration": int(dur_ms * 1000),
                    "tags": [jaeger_tag("span.kind", kind)] + [jaeger_tag(k, v) for k, v in tags.items()],
                    "logs": [], "processID": pid, "warnings": None}
        spans = [
            s(1, None, "p1", "POST /checkout", "server", 0, 10 + checkout_ms + payments_ms,
              {"http.route": "/checkout", "http.request_id": f"req-{i:04d}"}),
            s(2, 1, "p2", "place_order", "server", 5, checkout_ms + payments_ms, {"order.items": rng.randint(1, 4)}),
            s(3, 2, "p3", "charge", "server", 5 + checkout_ms, payments_ms, {"payment.method": rng.choice(["card", "wallet"])}),
        ]
        def process(svc, ver):
            return {"serviceName": svc, "tags": [jaeger_tag("service.version", ver),
                                                 jaeger_tag("k8s.pod.name", f"{svc}-{pod}"),
                                                 jaeger_tag("cloud.region", region)]}
        traces.append({"traceID": tid, "spans": spans, "warnings": None,
                       "processes": {"p1": process("gateway", "5.0"), "p2": process("checkout", version),
                                     "p3": process("payments", "1.4")}})
    # One trace per line: a large file stays readable in a diff.
    with open("testdata/checkout-versions.jaeger.json", "w") as f:
        f.write('{"total": 0, "limit": 0, "offset": 0, "errors": null, "data": [\n')
        f.write(",\n".join(json.dumps(t, separators=(",", ":")) for t in traces))
        f.write("\n]}\n")

checkout_versions()
