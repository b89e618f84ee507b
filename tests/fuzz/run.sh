#!/usr/bin/env bash
# Fuzz tracediag's parsers and analyses with cargo-fuzz (libFuzzer), each target for a
# bounded time, and print the executions per target.
#
#   tests/fuzz/run.sh                 # every target, 60 s each
#   SECS=300 tests/fuzz/run.sh pprof  # one target, 5 minutes
#
# Environment: SECS (seconds per target, 60), MAX_LEN (largest input in bytes, 65536),
# TRACEDIAG_FIXTURES (the shared fixtures folder; ../shared/fixtures when unset),
# FUZZ_BUILD_ARGS (extra `cargo fuzz build` arguments, e.g. `-s none` without ASan).
#
# Seed corpora are built from testdata/, the fixtures and tests/fuzz/seeds/ into
# tests/fuzz/corpus/<target>/ (gitignored; libFuzzer adds what it finds there). A crash is
# written to tests/fuzz/artifacts/<target>/; keep it under tests/fuzz/regressions/<target>/
# once fixed, where tests/fuzz_regressions.rs replays it. Exits 1 when a target crashed.
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). It runs on a stable toolchain:
# RUSTC_BOOTSTRAP=1 lets it pass the -Z flags libFuzzer's instrumentation needs.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

SECS="${SECS:-60}"
MAX_LEN="${MAX_LEN:-65536}"
export RUSTC_BOOTSTRAP=1

all_targets=(decode_traces jaeger_json otlp_json span_csv pprof folded perf_script filter rules)
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=("${all_targets[@]}"); fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "run.sh: cargo-fuzz is not installed: cargo install cargo-fuzz" >&2
  exit 2
fi

fixtures="${TRACEDIAG_FIXTURES:-}"
if [ -z "$fixtures" ] && [ -d "$root/../shared/fixtures" ]; then
  fixtures="$(cd "$root/../shared/fixtures" && pwd)"
fi
if [ -z "$fixtures" ] || [ ! -d "$fixtures" ]; then
  echo "run.sh: TRACEDIAG_FIXTURES is not set: seeding from testdata/ and tests/fuzz/seeds/ only" >&2
  fixtures=""
fi

corpus="$here/corpus"
logs="$here/artifacts/logs"
mkdir -p "$corpus" "$logs"

# seed TARGET FILE...: copy each file of at most MAX_LEN bytes into the target's corpus,
# named by content hash (as libFuzzer names its own finds), gunzipping `.gz` files first
# when the target reads plain input.
seed() {
  local target="$1"
  shift
  local dir="$corpus/$target"
  mkdir -p "$dir"
  local f tmp
  tmp="$(mktemp)"
  for f in "$@"; do
    [ -f "$f" ] || continue
    case "$target:$f" in
      pprof:*.gz | perf_script:*.gz | folded:*.gz) gzip -dc "$f" >"$tmp" 2>/dev/null || continue ;;
      *) cp "$f" "$tmp" ;;
    esac
    if [ "$(wc -c <"$tmp")" -le "$MAX_LEN" ] && [ -s "$tmp" ]; then
      cp "$tmp" "$dir/seed-$(sha1sum "$tmp" | cut -c1-40)"
    fi
  done
  rm -f "$tmp"
}

# Files of the fixtures folder matching a find(1) name pattern (nothing without fixtures).
fx() {
  [ -n "$fixtures" ] || return 0
  find "$fixtures/$1" -type f -name "$2" | sort
}

# Derived seeds: a gzipped trace, and OTLP JSON Lines (pretty-printed JSON holds no raw
# newline inside a string, so deleting newlines puts a document on one line).
derived="$(mktemp -d)"
trap 'rm -rf "$derived"' EXIT
gzip -c testdata/execution-2193.jaeger.json >"$derived/execution-2193.jaeger.json.gz"
for f in testdata/execution-2193.otlp.json testdata/cases/*.otlp.json; do
  tr -d '\r\n' <"$f"
  echo
done >"$derived/executions.otlp.jsonl"
head -n 2 "$derived/executions.otlp.jsonl" >"$derived/two.otlp.jsonl"

for t in "${targets[@]}"; do
  case "$t" in
    decode_traces)
      seed "$t" testdata/*.json testdata/cases/*.json "$derived"/* tests/fuzz/seeds/*/*.csv \
        tests/fuzz/seeds/*/*.json \
        $(fx traces '*.json') ;;
    jaeger_json)
      seed "$t" testdata/*.jaeger.json testdata/cases/*.jaeger.json \
        $(fx traces 'jaeger-v1*.json') $(fx traces '*.jaeger-v1.json') ;;
    otlp_json)
      seed "$t" testdata/*.otlp.json testdata/cases/*.otlp.json "$derived"/*.jsonl \
        $(fx traces 'otlp*.json') $(fx traces '*.otlp.json') $(fx traces 'jaeger-v3*.json') \
        $(fx traces 'tempo-*.json') ;;
    span_csv) ;;
    pprof) seed "$t" $(fx profiles '*.pb.gz') $(fx profiles '*.pb') ;;
    folded)
      seed "$t" $(fx profiles '*.folded') $(fx profiles '*.3col') ;;
    perf_script) seed "$t" $(fx profiles '*.perf-script.txt*') ;;
    filter | rules) ;;
    *) echo "run.sh: unknown target $t (targets: ${all_targets[*]})" >&2; exit 2 ;;
  esac
  # Hand-written seeds, and inputs that once crashed, so the fuzzer starts from them.
  if [ -d "tests/fuzz/seeds/$t" ]; then
    seed "$t" tests/fuzz/seeds/"$t"/*
  fi
  if [ -d "tests/fuzz/regressions/$t" ]; then
    seed "$t" tests/fuzz/regressions/"$t"/*
  fi
done

dict_of() {
  case "$1" in
    decode_traces | jaeger_json | otlp_json | span_csv) echo traces ;;
    folded | perf_script | filter | rules) echo "$1" ;;
    *) echo "" ;;
  esac
}

for t in "${targets[@]}"; do
  # shellcheck disable=SC2086
  cargo fuzz build --fuzz-dir tests/fuzz ${FUZZ_BUILD_ARGS:-} "$t"
done

summary=()
failed=0
for t in "${targets[@]}"; do
  args=(-max_total_time="$SECS" -max_len="$MAX_LEN" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
  d="$(dict_of "$t")"
  [ -z "$d" ] || args+=(-dict="$here/dict/$d.dict")
  echo "== $t: ${SECS}s, seeds: $(find "$corpus/$t" -type f | wc -l)"
  start=$(date +%s)
  status=ok
  # shellcheck disable=SC2086
  if ! cargo fuzz run --fuzz-dir tests/fuzz ${FUZZ_BUILD_ARGS:-} "$t" -- "${args[@]}" \
    >"$logs/$t.log" 2>&1; then
    status="CRASH (see $logs/$t.log and tests/fuzz/artifacts/$t/)"
    failed=1
  fi
  # libFuzzer's own time ("Done N runs in S second(s)"); the wall clock includes a rebuild.
  # (A crashed run may print none of these: `|| true` keeps `set -e` from stopping here.)
  elapsed="$(grep -o 'Done [0-9]* runs in [0-9]* second' "$logs/$t.log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -n 1 || true)"
  [ -n "$elapsed" ] || elapsed=$(($(date +%s) - start))
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' | tail -n 1 || true)"
  rate="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$' | tail -n 1 || true)"
  cov="$(grep -o 'cov: [0-9]*' "$logs/$t.log" | tail -n 1 | grep -o '[0-9]*' || true)"
  line="$(printf '%-14s %12s execs %8s/s %6ss  cov %-6s %s' "$t" "${execs:-?}" "${rate:-?}" "$elapsed" "${cov:-?}" "$status")"
  echo "$line"
  summary+=("$line")
done

echo
echo "target         executions             time   coverage result"
printf '%s\n' "${summary[@]}"
exit "$failed"
