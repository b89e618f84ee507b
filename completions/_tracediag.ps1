
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tracediag' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tracediag'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tracediag' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall')
            [CompletionResult]::new('gaps', 'gaps', [CompletionResultType]::ParameterValue, 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services')
            [CompletionResult]::new('root-cause', 'root-cause', [CompletionResultType]::ParameterValue, 'Ranked root-cause candidates with evidence and a recommendation')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Waterfall rows: service, operation, start offset, duration, status')
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Span count, errors, services, total duration, slowest span, first error')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find traces worth diagnosing: by service, operation, duration, status and tags (Jaeger query or TraceQL), with an optional one-line diagnosis of each hit')
            [CompletionResult]::new('services', 'services', [CompletionResultType]::ParameterValue, 'List the services the source knows')
            [CompletionResult]::new('operations', 'operations', [CompletionResultType]::ParameterValue, 'List the operations of a service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Assert rules on traces for CI: exit 0 all passed, 1 a rule failed, 2 usage or input error, 3 source unreachable; optional JUnit report')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of every command''s `--format json` output')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve tracediag''s analyses as MCP tools over stdio (for LLM agents)')
            [CompletionResult]::new('ask', 'ask', [CompletionResultType]::ParameterValue, 'Answer a question such as "why did execution 2193 time out?" by running the matching command (rule-based; prints the command first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracediag;diagnose' {
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('--max-spans', '--max-spans', [CompletionResultType]::ParameterName, 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;gaps' {
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('--max-spans', '--max-spans', [CompletionResultType]::ParameterName, 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;root-cause' {
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('--max-spans', '--max-spans', [CompletionResultType]::ParameterName, 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;timeline' {
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('--max-spans', '--max-spans', [CompletionResultType]::ParameterName, 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;summary' {
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('--max-spans', '--max-spans', [CompletionResultType]::ParameterName, 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;search' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Service name (required by Jaeger)')
            [CompletionResult]::new('--operation', '--operation', [CompletionResultType]::ParameterName, 'Operation (span) name')
            [CompletionResult]::new('--min-duration', '--min-duration', [CompletionResultType]::ParameterName, 'Only traces with a span at least this long (e.g. 1s, 250ms)')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, 'Only traces with a span at most this long')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only traces with (error) or without (ok) an error span')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Span or resource attribute `key=value` (repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Search the last DURATION (default 1h)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Window start: RFC 3339 (2024-05-01T12:00:00Z) or relative (2h = two hours ago)')
            [CompletionResult]::new('--end', '--end', [CompletionResultType]::ParameterName, 'Window end: RFC 3339 or relative (default now)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Most traces returned')
            [CompletionResult]::new('--traceql', '--traceql', [CompletionResultType]::ParameterName, 'A raw TraceQL query passed through to Tempo (replaces the filters above)')
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--diagnose', '--diagnose', [CompletionResultType]::ParameterName, 'Diagnose every hit and print one line each: root-cause category and span')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;services' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;operations' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;check' {
            [CompletionResult]::new('-r', '-r', [CompletionResultType]::ParameterName, 'A rule (repeatable): no-errors, no-anomalies, max-gap 5s, max-duration 2s, no-broken-trace, no-n-plus-one 10, `span[service="db" name~"SELECT"] duration < 200ms`, `span[http.route="/pay"] status != error`, `count(span[service="cache"]) <= 3`')
            [CompletionResult]::new('--rule', '--rule', [CompletionResultType]::ParameterName, 'A rule (repeatable): no-errors, no-anomalies, max-gap 5s, max-duration 2s, no-broken-trace, no-n-plus-one 10, `span[service="db" name~"SELECT"] duration < 200ms`, `span[http.route="/pay"] status != error`, `count(span[service="cache"]) <= 3`')
            [CompletionResult]::new('--rules', '--rules', [CompletionResultType]::ParameterName, 'A rules file, YAML or TOML (`.toml`): `rules: [no-errors, {name: …, rule: …}]`')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Also write a JUnit XML report: one test case per trace and rule')
            [CompletionResult]::new('--cohort', '--cohort', [CompletionResultType]::ParameterName, 'A cohort filter selecting the traces to check (see `tracediag cohort`)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, '--search: service name')
            [CompletionResult]::new('--operation', '--operation', [CompletionResultType]::ParameterName, '--search: operation (span) name')
            [CompletionResult]::new('--min-duration', '--min-duration', [CompletionResultType]::ParameterName, '--search: only traces with a span at least this long')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, '--search: only traces with a span at most this long')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, '--search: only traces with (error) or without (ok) an error span')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, '--search: span or resource attribute `key=value` (repeatable)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, '--search: the last DURATION (default 1h for remote sources; files are not filtered by time)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, '--search: most traces checked')
            [CompletionResult]::new('--traceql', '--traceql', [CompletionResultType]::ParameterName, '--search: a raw TraceQL query (Tempo)')
            [CompletionResult]::new('--slow-factor', '--slow-factor', [CompletionResultType]::ParameterName, 'A span is anomalous when longer than this many times the mean of its service.operation in the trace')
            [CompletionResult]::new('--gap-threshold', '--gap-threshold', [CompletionResultType]::ParameterName, 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)')
            [CompletionResult]::new('--network-gap', '--network-gap', [CompletionResultType]::ParameterName, 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate')
            [CompletionResult]::new('--network-share', '--network-share', [CompletionResultType]::ParameterName, 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout')
            [CompletionResult]::new('--slow-span', '--slow-span', [CompletionResultType]::ParameterName, 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck')
            [CompletionResult]::new('--repeat-min', '--repeat-min', [CompletionResultType]::ParameterName, 'Same-operation sibling calls repeated at least this often are reported as N+1')
            [CompletionResult]::new('--max-skew', '--max-skew', [CompletionResultType]::ParameterName, 'Largest clock-skew shift applied; larger skews are reported, not corrected')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Check every trace a search finds, with the filters below (as `tracediag search`)')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;schema' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;mcp' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;ask' {
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Where traces come from: a file path, `-` for stdin, a Jaeger or Tempo URL, or a source named in the config file')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'Extra HTTP header for remote sources, `Name: value` (repeatable). Values are never printed. A bearer token can also come from TRACEDIAG_TOKEN')
            [CompletionResult]::new('--tenant', '--tenant', [CompletionResultType]::ParameterName, 'Tempo tenant, sent as X-Scope-OrgID')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for one HTTP request, body included')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Time limit for connecting to a remote source')
            [CompletionResult]::new('--max-response-size', '--max-response-size', [CompletionResultType]::ParameterName, 'Largest response accepted from a remote source (e.g. 256MiB, 1GiB); larger ones are refused')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Traces fetched at once when many are needed (search --diagnose)')
            [CompletionResult]::new('--max-tokens', '--max-tokens', [CompletionResultType]::ParameterName, 'Token budget for `--format llm` (estimated at 4 characters a token). The summary and root cause always fit; what else is cut is stated in the output')
            [CompletionResult]::new('--redact-key', '--redact-key', [CompletionResultType]::ParameterName, 'Another attribute key to mask in json, llm and markdown output (repeatable), on top of the built-in ones (password, token, secret, api key, authorization, cookie, session)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print the command the question maps to without running it')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--no-redact', '--no-redact', [CompletionResultType]::ParameterName, 'Print attribute values, messages and names as they are, secrets included')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;help' {
            [CompletionResult]::new('diagnose', 'diagnose', [CompletionResultType]::ParameterValue, 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall')
            [CompletionResult]::new('gaps', 'gaps', [CompletionResultType]::ParameterValue, 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services')
            [CompletionResult]::new('root-cause', 'root-cause', [CompletionResultType]::ParameterValue, 'Ranked root-cause candidates with evidence and a recommendation')
            [CompletionResult]::new('timeline', 'timeline', [CompletionResultType]::ParameterValue, 'Waterfall rows: service, operation, start offset, duration, status')
            [CompletionResult]::new('summary', 'summary', [CompletionResultType]::ParameterValue, 'Span count, errors, services, total duration, slowest span, first error')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'Find traces worth diagnosing: by service, operation, duration, status and tags (Jaeger query or TraceQL), with an optional one-line diagnosis of each hit')
            [CompletionResult]::new('services', 'services', [CompletionResultType]::ParameterValue, 'List the services the source knows')
            [CompletionResult]::new('operations', 'operations', [CompletionResultType]::ParameterValue, 'List the operations of a service')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Assert rules on traces for CI: exit 0 all passed, 1 a rule failed, 2 usage or input error, 3 source unreachable; optional JUnit report')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'Print the JSON Schema of every command''s `--format json` output')
            [CompletionResult]::new('mcp', 'mcp', [CompletionResultType]::ParameterValue, 'Serve tracediag''s analyses as MCP tools over stdio (for LLM agents)')
            [CompletionResult]::new('ask', 'ask', [CompletionResultType]::ParameterValue, 'Answer a question such as "why did execution 2193 time out?" by running the matching command (rule-based; prints the command first)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracediag;help;diagnose' {
            break
        }
        'tracediag;help;gaps' {
            break
        }
        'tracediag;help;root-cause' {
            break
        }
        'tracediag;help;timeline' {
            break
        }
        'tracediag;help;summary' {
            break
        }
        'tracediag;help;search' {
            break
        }
        'tracediag;help;services' {
            break
        }
        'tracediag;help;operations' {
            break
        }
        'tracediag;help;check' {
            break
        }
        'tracediag;help;schema' {
            break
        }
        'tracediag;help;mcp' {
            break
        }
        'tracediag;help;ask' {
            break
        }
        'tracediag;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
