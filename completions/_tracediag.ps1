
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Trace-triggered CPU profiling and differential hotspots between request cohorts')
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
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate names to fit the terminal width')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('--diagnose', '--diagnose', [CompletionResultType]::ParameterName, 'Diagnose every hit and print one line each: root-cause category and span')
            [CompletionResult]::new('--no-skew-adjust', '--no-skew-adjust', [CompletionResultType]::ParameterName, 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;profile' {
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match''s profile in a cohort directory')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracediag;profile;trigger' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service whose requests are matched and profiled')
            [CompletionResult]::new('--min-duration', '--min-duration', [CompletionResultType]::ParameterName, 'Match requests at least this long (the service''s entry span), e.g. 1s, 250ms')
            [CompletionResult]::new('--max-duration', '--max-duration', [CompletionResultType]::ParameterName, 'Match requests at most this long')
            [CompletionResult]::new('--status-code', '--status-code', [CompletionResultType]::ParameterName, 'Match the HTTP status: `5xx`, `4xx`, `503`, or `error` for an error span status')
            [CompletionResult]::new('--url-pattern', '--url-pattern', [CompletionResultType]::ParameterName, 'Match the route, path or URL (`http.route`, `url.path`, `http.target`, `http.url`, `url.full`, else the operation name) against a glob: `*` any run, `?` one character')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Stop after this many matching requests have a profile')
            [CompletionResult]::new('--max-wait', '--max-wait', [CompletionResultType]::ParameterName, 'Stop after this long, keeping what was collected. (The global --timeout is the limit for one HTTP request, so the overall limit has its own name.)')
            [CompletionResult]::new('--frequency', '--frequency', [CompletionResultType]::ParameterName, 'Sampling frequency passed to the collector ({hz})')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Length of one collection window ({seconds}); shorter windows tie samples to fewer requests when profiles carry no span ids')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Cohort directory for the matching requests (must not exist or be empty)')
            [CompletionResult]::new('--baseline', '--baseline', [CompletionResultType]::ParameterName, 'Also store the non-matching requests of the service, as a second cohort here')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'Run this profiler for each window. Placeholders: {hz} frequency, {seconds} window length in whole seconds, {out} the file it must write (pprof, gzipped or not, folded stacks, py-spy raw or perf script). Run with `sh -c`')
            [CompletionResult]::new('--pprof-url', '--pprof-url', [CompletionResultType]::ParameterName, 'Fetch `URL?seconds=N` for each window (Go net/http/pprof''s /debug/pprof/profile)')
            [CompletionResult]::new('--pyroscope-url', '--pyroscope-url', [CompletionResultType]::ParameterName, 'Query Pyroscope''s /pyroscope/render for each window (flamebearer JSON)')
            [CompletionResult]::new('--pyroscope-query', '--pyroscope-query', [CompletionResultType]::ParameterName, 'Pyroscope query with label selector, e.g. `process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name="api"}`')
            [CompletionResult]::new('--id-label', '--id-label', [CompletionResultType]::ParameterName, 'Sample label keys that carry a span or trace id (repeatable; default span_id, profile_id, trace_id, otel.traceid, "span id")')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'How often the trace source is read for new requests')
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
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;profile;compare' {
            [CompletionResult]::new('--a', '--a', [CompletionResultType]::ParameterName, 'Cohort A: a cohort directory, or profile files (one unit each, or one per request when samples carry span or trace id labels)')
            [CompletionResult]::new('--b', '--b', [CompletionResultType]::ParameterName, 'Cohort B, the reference')
            [CompletionResult]::new('--metric', '--metric', [CompletionResultType]::ParameterName, 'Rank by self time (the function itself) or total time (with its callees)')
            [CompletionResult]::new('--top', '--top', [CompletionResultType]::ParameterName, 'Functions listed')
            [CompletionResult]::new('--permutations', '--permutations', [CompletionResultType]::ParameterName, 'Permutations of the significance test')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed of the permutation test (fixed so that a report is reproducible)')
            [CompletionResult]::new('--alpha', '--alpha', [CompletionResultType]::ParameterName, 'False-discovery rate for "medium" significance; "high" is a fifth of it')
            [CompletionResult]::new('--min-samples', '--min-samples', [CompletionResultType]::ParameterName, 'Functions with fewer samples than this (both cohorts) are not tested')
            [CompletionResult]::new('--min-units', '--min-units', [CompletionResultType]::ParameterName, 'Functions seen in fewer units (requests or windows) than this are not tested')
            [CompletionResult]::new('--frequency', '--frequency', [CompletionResultType]::ParameterName, 'Sampling rate of profiles that do not state it (folded stacks), for CPU ms')
            [CompletionResult]::new('--id-label', '--id-label', [CompletionResultType]::ParameterName, 'Sample label keys that carry a span or trace id (repeatable)')
            [CompletionResult]::new('--svg', '--svg', [CompletionResultType]::ParameterName, 'Write a differential flame graph (SVG) here')
            [CompletionResult]::new('--folded', '--folded', [CompletionResultType]::ParameterName, 'Write the three-column stacks (`stack B A`, B scaled to A''s total) here')
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
            [CompletionResult]::new('--wide', '--wide', [CompletionResultType]::ParameterName, 'Do not truncate function names')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print nothing but errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Say more on stderr about what is read and decided (repeat for more)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tracediag;profile;help' {
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match''s profile in a cohort directory')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tracediag;profile;help;trigger' {
            break
        }
        'tracediag;profile;help;compare' {
            break
        }
        'tracediag;profile;help;help' {
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
            [CompletionResult]::new('profile', 'profile', [CompletionResultType]::ParameterValue, 'Trace-triggered CPU profiling and differential hotspots between request cohorts')
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
        'tracediag;help;profile' {
            [CompletionResult]::new('trigger', 'trigger', [CompletionResultType]::ParameterValue, 'Watch a trace source for requests matching criteria, profile the service while armed, and store each match''s profile in a cohort directory')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Differential hotspots between two cohorts: which functions are hotter in A than in B, with request-level significance; optional differential flame graph')
            break
        }
        'tracediag;help;profile;trigger' {
            break
        }
        'tracediag;help;profile;compare' {
            break
        }
        'tracediag;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
