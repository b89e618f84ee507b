# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracediag_global_optspecs
    string join \n s/source= f/format= color= q/quiet v/verbose header= tenant= timeout= connect-timeout= concurrency= column= statement-timeout= max-response-size= max-trace-spans= max-depth= max-attr-size= max-tokens= redact-key= no-redact h/help V/version
end

function __fish_tracediag_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tracediag_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tracediag_using_subcommand
    set -l cmd (__fish_tracediag_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tracediag -n "__fish_tracediag_needs_command" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_needs_command" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_needs_command" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_needs_command" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_needs_command" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_needs_command" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "diagnose" -d 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "gaps" -d 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "root-cause" -d 'Ranked root-cause candidates with evidence and a recommendation'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "timeline" -d 'Waterfall rows: service, operation, start offset, duration, status'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "summary" -d 'Span count, errors, services, total duration, slowest span, first error'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "span" -d 'One span in full: identity, status, every attribute and resource attribute, events (Jaeger logs) with their offsets, and links'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "search" -d 'Find traces worth diagnosing: by service, operation, duration, status and tags (Jaeger query or TraceQL), with an optional one-line diagnosis of each hit'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "cohorts" -d 'Compare two cohorts of traces: critical-path share and self time per service.operation, new and missing operations, and a differential flame graph'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "services" -d 'List the services the source knows'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "operations" -d 'List the operations of a service'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "similar" -d 'Traces that ran like this one (same root, similar operation sequence or call structure), each with its status, failure point and root cause'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "compare" -d 'Two traces side by side: spans aligned, what is missing, slower (≥ 2×) or failing on one side, where they first diverge, and how the critical path changed'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "stats" -d 'Latency per service.operation across traces: count, error rate, mean, p50/p95/p99, max, self-time share, and outliers'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "check" -d 'Assert rules on traces for CI: exit 0 all passed, 1 a rule failed, 2 usage or input error, 3 source unreachable; optional JUnit report'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "schema" -d 'Print the JSON Schema of every command\'s `--format json` output, or with a Postgres preset (beacon, llm, otel) the table\'s DDL and indexes'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "mcp" -d 'Serve tracediag\'s analyses as MCP tools over stdio (for LLM agents)'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "ask" -d 'Answer a question such as "why did execution 2193 time out?" by running the matching command (rule-based; prints the command first)'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "profile" -d 'Trace-triggered CPU profiling and differential hotspots between request cohorts'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l attributes -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes` (keys sorted; values cut at --max-attr-size and redacted like the rest)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l events -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `events` (Jaeger logs): offset from the span start, name, attributes'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l attributes -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes` (keys sorted; values cut at --max-attr-size and redacted like the rest)'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l events -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `events` (Jaeger logs): offset from the span start, name, attributes'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l window -d 'Rank services across the traces starting in this range instead of diagnosing one trace: `<from>..<to>`, RFC 3339 or relative (`-15m..now`, `-7d..-1d`)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l baseline -d 'What normal looked like: `<from>..<to>` (default: as long as the window, right before it)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l baseline-source -d 'Take baseline traces (also) from this source: a file adds all its traces, a remote source those in the baseline range (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-traces -d 'Most traces read for the window and for each baseline source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l pushdown-traces -d 'With --pushdown: the most traces of a range the store aggregates; a range holding more is aggregated over a deterministic uniform sample of about this many whole traces, and the coverage says so (0: every trace, however many)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l attributes -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes` (keys sorted; values cut at --max-attr-size and redacted like the rest)'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l events -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `events` (Jaeger logs): offset from the span start, name, attributes'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l pushdown -d 'Compute the ranking\'s statistics in the store over the spans of both ranges (PostgreSQL with span and parent ids) and fetch only a sample of traces'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l attributes -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes` (keys sorted; values cut at --max-attr-size and redacted like the rest)'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l events -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `events` (Jaeger logs): offset from the span start, name, attributes'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l attributes -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `attributes` (keys sorted; values cut at --max-attr-size and redacted like the rest)'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l events -d '`diagnose` and `timeline`, JSON and Markdown: give each listed span its `events` (Jaeger logs): offset from the span start, name, attributes'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand span" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l service -d 'Service name (required by Jaeger)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l operation -d 'Operation (span) name' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l min-duration -d 'Only traces with a span at least this long (e.g. 1s, 250ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-duration -d 'Only traces with a span at most this long' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l status -d 'Only traces with (error) or without (ok) an error span' -r -f -a "error\t''
ok\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l tag -d 'Span or resource attribute `key=value` (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l since -d 'Search the last DURATION (default 1h): 30m, 2h, 1d, 1w' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l start -d 'Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago, 7d)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l end -d 'Window end: RFC 3339 or relative (default now)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l traceql -d 'A raw TraceQL query passed through to Tempo (replaces the filters above)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l limit -d 'Most traces returned' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l baseline-from -d 'Take the baseline from this source instead of the trace\'s own (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l baseline-window -d 'On Jaeger and Tempo: how far before the trace its root operation\'s requests are looked for (PostgreSQL aggregates the same window in one query; a file gives all its other traces)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l baseline-traces -d 'Most requests fetched for the baseline from Jaeger or Tempo' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l diagnose -d 'Diagnose every hit and print one line each: root-cause category and span'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l wide -d 'Do not shorten trace ids, the root column or the diagnosis to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l no-baseline -d 'Judge the trace alone: it is then slow only when it lost time waiting, never for the share of itself a span takes'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand search" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l a -d 'Cohort A, a filter such as \'duration > 1s and service = "pay"\' (default: the slowest 5 %)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l b -d 'Cohort B, compared against A (default: the median band, 45th to 55th percentile)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l window -d 'Only traces starting in `<from>..<to>` (RFC 3339 or relative); needed for a remote source (default there: the last hour)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-traces -d 'Most traces read' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l svg -d 'Write a differential flame graph (B before, A after) of the critical-path chains' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l folded -d 'Write the differential folded stacks (`frame;frame µs_in_B µs_in_A`, mean per trace)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l by -d 'What to compare: `operations` (critical-path time per service.operation) or `attributes` (which span and resource attribute values A\'s traces share more than B\'s, with a significance; B defaults to every trace not in A)' -r -f -a "operations\t''
attributes\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand cohorts" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l wide -d 'Do not cut names longer than the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand services" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l wide -d 'Do not cut names longer than the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand operations" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l by -d 'How to measure likeness: `sequence` (edit distance between the service.operation sequences) or `structure` (shared parent→child calls, ignoring order and timing)' -r -f -a "sequence\t''
structure\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l match -d 'Only candidates with the target\'s values of these attributes (comma-separated, e.g. model_id,region)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l limit -d 'Most similar traces listed' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l min-score -d 'Lowest score listed (0 to 1)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l candidates -d 'Most candidate traces fetched and scored' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l service -d 'Service name (required by Jaeger)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l operation -d 'Operation (span) name' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l min-duration -d 'Only traces with a span at least this long (e.g. 1s, 250ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-duration -d 'Only traces with a span at most this long' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l status -d 'Only traces with (error) or without (ok) an error span' -r -f -a "error\t''
ok\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l tag -d 'Span or resource attribute `key=value` (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l since -d 'Search the last DURATION (default 1h): 30m, 2h, 1d, 1w' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l start -d 'Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago, 7d)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l end -d 'Window end: RFC 3339 or relative (default now)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l traceql -d 'A raw TraceQL query passed through to Tempo (replaces the filters above)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l any-root -d 'Also consider traces whose root span has another service or operation than the target\'s (by default only the same root service and operation are candidates)'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l wide -d 'Do not shorten names and trace ids to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand similar" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l source-b -d 'Where the second trace comes from, when not from --source (same forms as --source)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l factor -d 'Flag an aligned span or operation whose duration changed by at least this factor, either way' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l min-delta -d '… and by at least this much time, so microsecond jitter is not a "3× slowdown"' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-rows -d 'Most rows in the tree view and JSON `rows`; what is left out is counted, and rows that differ are kept first' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l wide -d 'Do not shorten names and trace ids to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand compare" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l service -d 'Service name (required by Jaeger)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l operation -d 'Operation (span) name' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l min-duration -d 'Only traces with a span at least this long (e.g. 1s, 250ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-duration -d 'Only traces with a span at most this long' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l status -d 'Only traces with (error) or without (ok) an error span' -r -f -a "error\t''
ok\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l tag -d 'Span or resource attribute `key=value` (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l since -d 'Search the last DURATION (default 1h): 30m, 2h, 1d, 1w' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l start -d 'Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago, 7d)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l end -d 'Window end: RFC 3339 or relative (default now)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l traceql -d 'A raw TraceQL query passed through to Tempo (replaces the filters above)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l limit -d 'Most traces read' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l group-by -d 'Rows per `service`, per `operation` (service.operation), or per value of a span attribute (`attr:region`)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l outlier-factor -d 'How many times its group\'s p99 makes a span an outlier (seed 002: 2)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-skew -d 'Largest clock-skew shift applied' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l outliers -d 'Also list traces with a span slower than --outlier-factor × the p99 of its group'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l stream -d 'Read the traces and aggregate them here even when the source (PostgreSQL) could aggregate on its side: slower, but gives self time'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l wide -d 'Do not shorten names and trace ids to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l no-skew-adjust -d 'Do not correct clock skew between hosts before computing self time'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand stats" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s r -l rule -d 'A rule (repeatable): no-errors, no-anomalies, max-gap 5s, max-duration 2s, no-broken-trace, no-n-plus-one 10, `span[service="db" name~"SELECT"] duration < 200ms`, `span[http.route="/pay"] status != error`, `count(span[service="cache"]) <= 3`' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l rules -d 'A rules file, YAML or TOML (`.toml`): `rules: [no-errors, {name: …, rule: …}]`' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l junit -d 'Also write a JUnit XML report: one test case per trace and rule' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l cohort -d 'A cohort filter selecting the traces to check (see `tracediag cohorts --help`)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l service -d 'Service name (required by Jaeger)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l operation -d 'Operation (span) name' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l min-duration -d 'Only traces with a span at least this long (e.g. 1s, 250ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-duration -d 'Only traces with a span at most this long' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l status -d 'Only traces with (error) or without (ok) an error span' -r -f -a "error\t''
ok\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l tag -d 'Span or resource attribute `key=value` (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l since -d 'Search the last DURATION (default 1h): 30m, 2h, 1d, 1w' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l start -d 'Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago, 7d)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l end -d 'Window end: RFC 3339 or relative (default now)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l traceql -d 'A raw TraceQL query passed through to Tempo (replaces the filters above)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l limit -d '--search: most traces checked' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l run -d 'Run this command (with `sh -c`) and check the trace it causes. It gets a fresh W3C trace context as the environment variables TRACEPARENT and TRACE_ID, and `{traceparent}` and `{trace_id}` in the command are replaced by them, e.g. `curl -sf -H \'traceparent: {traceparent}\' http://localhost:8080/checkout`. A command that exits non-zero is a failed check' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l settle -d '--run: the trace is complete when its span count has not changed for this long and no span\'s parent is missing' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-wait -d '--run: give up waiting for a complete trace after this long (exit 2, with the spans seen and the polls made)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l poll-interval -d '--run: time between two reads of the source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l repeat -d '--run: run the command N times, each with a fresh trace context; the rules are checked on every run, and the report adds the p95 of the root span\'s duration and the errors across runs' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l baseline-report -d '--run: a previous `check --run --format json` report to compare with: fail when the p95 of the root duration grew more than --max-regression or an error origin (service.operation) is new' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-regression -d '--baseline-report: largest growth of the root duration\'s p95 that still passes' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l search -d 'Check every trace a search finds, with the filters below (as `tracediag search`)'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand check" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l table -d 'With a Postgres preset: the table name, optionally schema-qualified (default: the preset\'s table)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand schema" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand mcp" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l dry-run -d 'Print the command the question maps to without running it'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand ask" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -f -a "trigger" -d 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match\'s profile in a cohort directory'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -f -a "compare" -d 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and not __fish_seen_subcommand_from trigger compare help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l service -d 'The service whose requests are matched and profiled' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l min-duration -d 'Match requests at least this long (the service\'s entry span), e.g. 1s, 250ms' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-duration -d 'Match requests at most this long' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l status-code -d 'Match the HTTP status: `5xx`, `4xx`, `503`, or `error` for an error span status' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l url-pattern -d 'Match the route, path or URL (`http.route`, `url.path`, `http.target`, `http.url`, `url.full`, else the operation name) against a glob: `*` any run, `?` one character' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l count -d 'Stop after this many matching requests have a profile' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-wait -d 'Stop after this long, keeping what was collected. (The global --timeout is the limit for one HTTP request, so the overall limit has its own name.)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l frequency -d 'Sampling frequency passed to the collector ({hz})' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l window -d 'Length of one collection window ({seconds}); shorter windows tie samples to fewer requests when profiles carry no span ids' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l out -d 'Cohort directory for the matching requests (must not exist or be empty)' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l baseline -d 'Also store the non-matching requests of the service, as a second cohort here' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l command -d 'Run this profiler for each window. Placeholders: {hz} frequency, {seconds} window length in whole seconds, {out} the file it must write (pprof, gzipped or not, folded stacks, py-spy raw or perf script). Run with `sh -c`' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l pprof-url -d 'Fetch `URL?seconds=N` for each window (Go net/http/pprof\'s /debug/pprof/profile)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l pyroscope-url -d 'Query Pyroscope\'s /pyroscope/render for each window (flamebearer JSON)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l pyroscope-query -d 'Pyroscope query with label selector, e.g. `process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api"}`' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l id-label -d 'Sample label keys that carry a span or trace id (repeatable; default span_id, profile_id, trace_id, otel.traceid, "span id")' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l poll -d 'How often the trace source is read for new requests' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from trigger" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l a -d 'Cohort A: a cohort directory, a folder of profile files, or profile files (one unit each, or one per request when samples carry span or trace id labels)' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l b -d 'Cohort B, the reference' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l profiles -d 'Trace-labelled profile files to split into cohorts by what their requests\' traces look like (with --cohort-a/--cohort-b; traces come from --source)' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l cohort-a -d 'With --profiles: the filter selecting cohort A\'s requests, e.g. \'duration > 1s\' (the filter language of `tracediag cohorts`)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l cohort-b -d 'With --profiles: the filter selecting cohort B\'s requests, e.g. \'duration < 100ms\'' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l service -d 'With --profiles: only traces that pass through this service' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l since -d 'With --profiles: only traces that started in the last DURATION (default: a file\'s every trace, a remote source\'s last hour)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-traces -d 'With --profiles: most traces read from the source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l metric -d 'Rank by self time (the function itself) or total time (with its callees)' -r -f -a "self\t'Time in the function itself (it is the leaf)'
total\t'Time in the function and everything it calls'"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l top -d 'Functions listed' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l permutations -d 'Permutations of the significance test' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l seed -d 'Seed of the permutation test (fixed so that a report is reproducible)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l alpha -d 'False-discovery rate for "medium" significance; "high" is a fifth of it' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l min-samples -d 'Functions with fewer samples than this (both cohorts) are not tested' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l min-units -d 'Functions seen in fewer units (requests or windows) than this are not tested' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l frequency -d 'Sampling rate of profiles that do not state it (folded stacks), for CPU ms' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l id-label -d 'Sample label keys that carry a span or trace id (repeatable)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l svg -d 'Write a differential flame graph (SVG) here' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l folded -d 'Write the three-column stacks (`stack B A`, B scaled to A\'s total) here' -r -F
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s s -l source -d 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'
llm\t'Compact Markdown for LLM prompts: summary first, details last, sized by --max-tokens, every cut stated'"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l header -d 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l tenant -d 'Tempo tenant, sent as X-Scope-OrgID' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l timeout -d 'Time limit for one HTTP request, body included' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l connect-timeout -d 'Time limit for connecting to a remote source' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l concurrency -d 'Traces fetched at once when many are needed (search --diagnose, similar, stats, compare)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l column -d 'Map a role to a column of a Postgres table, `ROLE=COLUMN` (repeatable): trace_id, span_id, parent_id, service, operation, start, end, duration_ms, duration_ns, status, error_message, kind, attributes, resource. Overrides the preset\'s column for that role' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l statement-timeout -d 'Time limit for one SQL statement (sent as statement_timeout)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-response-size -d 'Largest input read: a file, stdin, an HTTP response, or what gzip data decompresses to (e.g. 256MiB, 64KiB, 10MB, or bytes). Larger input is refused while reading, so a gzip bomb stops here: exit 2 for files, stdin and gzip data, exit 3 for a response. [default: 256MiB for HTTP responses and gzip data, 8GiB for a file or stdin]' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-trace-spans -d 'Most spans in one trace; a trace with more is an input error (exit 2) naming the trace and its span count' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-depth -d 'Most levels in one trace\'s span tree (a lone root is 1); a deeper trace is an input error (exit 2) naming the trace and its depth. Nothing recurses on the depth, so this can be raised safely' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-attr-size -d 'Longest attribute value kept whole (e.g. 64KiB); longer values are cut at a character boundary and end in `…[truncated N bytes]`, with one warning per trace on stderr' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l max-tokens -d 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l redact-key -d 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l wide -d 'Do not truncate function names'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -l no-redact -d 'Print attribute values, messages and names as they are, secrets included'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from compare" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "trigger" -d 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match\'s profile in a cohort directory'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "compare" -d 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph'
complete -c tracediag -n "__fish_tracediag_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "diagnose" -d 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "gaps" -d 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "root-cause" -d 'Ranked root-cause candidates with evidence and a recommendation'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "timeline" -d 'Waterfall rows: service, operation, start offset, duration, status'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "summary" -d 'Span count, errors, services, total duration, slowest span, first error'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "span" -d 'One span in full: identity, status, every attribute and resource attribute, events (Jaeger logs) with their offsets, and links'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "search" -d 'Find traces worth diagnosing: by service, operation, duration, status and tags (Jaeger query or TraceQL), with an optional one-line diagnosis of each hit'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "cohorts" -d 'Compare two cohorts of traces: critical-path share and self time per service.operation, new and missing operations, and a differential flame graph'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "services" -d 'List the services the source knows'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "operations" -d 'List the operations of a service'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "similar" -d 'Traces that ran like this one (same root, similar operation sequence or call structure), each with its status, failure point and root cause'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "compare" -d 'Two traces side by side: spans aligned, what is missing, slower (≥ 2×) or failing on one side, where they first diverge, and how the critical path changed'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "stats" -d 'Latency per service.operation across traces: count, error rate, mean, p50/p95/p99, max, self-time share, and outliers'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "check" -d 'Assert rules on traces for CI: exit 0 all passed, 1 a rule failed, 2 usage or input error, 3 source unreachable; optional JUnit report'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "schema" -d 'Print the JSON Schema of every command\'s `--format json` output, or with a Postgres preset (beacon, llm, otel) the table\'s DDL and indexes'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "mcp" -d 'Serve tracediag\'s analyses as MCP tools over stdio (for LLM agents)'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "ask" -d 'Answer a question such as "why did execution 2193 time out?" by running the matching command (rule-based; prints the command first)'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "profile" -d 'Trace-triggered CPU profiling and differential hotspots between request cohorts'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary span search cohorts services operations similar compare stats check schema mcp ask profile help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "trigger" -d 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match\'s profile in a cohort directory'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "compare" -d 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph'
