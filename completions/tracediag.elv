
use builtin;
use str;

set edit:completion:arg-completer[tracediag] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tracediag'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tracediag'= {
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand diagnose 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
            cand gaps 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
            cand root-cause 'Ranked root-cause candidates with evidence and a recommendation'
            cand timeline 'Waterfall rows: service, operation, start offset, duration, status'
            cand summary 'Span count, errors, services, total duration, slowest span, first error'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracediag;diagnose'= {
            cand --slow-factor 'A span is anomalous when longer than this many times the mean of its service.operation in the trace'
            cand --gap-threshold 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)'
            cand --network-gap 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate'
            cand --network-share 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout'
            cand --slow-span 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck'
            cand --repeat-min 'Same-operation sibling calls repeated at least this often are reported as N+1'
            cand --max-skew 'Largest clock-skew shift applied; larger skews are reported, not corrected'
            cand --max-spans 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted'
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand --no-skew-adjust 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)'
            cand --wide 'Do not truncate names to fit the terminal width'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracediag;gaps'= {
            cand --slow-factor 'A span is anomalous when longer than this many times the mean of its service.operation in the trace'
            cand --gap-threshold 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)'
            cand --network-gap 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate'
            cand --network-share 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout'
            cand --slow-span 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck'
            cand --repeat-min 'Same-operation sibling calls repeated at least this often are reported as N+1'
            cand --max-skew 'Largest clock-skew shift applied; larger skews are reported, not corrected'
            cand --max-spans 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted'
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand --no-skew-adjust 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)'
            cand --wide 'Do not truncate names to fit the terminal width'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracediag;root-cause'= {
            cand --slow-factor 'A span is anomalous when longer than this many times the mean of its service.operation in the trace'
            cand --gap-threshold 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)'
            cand --network-gap 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate'
            cand --network-share 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout'
            cand --slow-span 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck'
            cand --repeat-min 'Same-operation sibling calls repeated at least this often are reported as N+1'
            cand --max-skew 'Largest clock-skew shift applied; larger skews are reported, not corrected'
            cand --max-spans 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted'
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand --no-skew-adjust 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)'
            cand --wide 'Do not truncate names to fit the terminal width'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracediag;timeline'= {
            cand --slow-factor 'A span is anomalous when longer than this many times the mean of its service.operation in the trace'
            cand --gap-threshold 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)'
            cand --network-gap 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate'
            cand --network-share 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout'
            cand --slow-span 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck'
            cand --repeat-min 'Same-operation sibling calls repeated at least this often are reported as N+1'
            cand --max-skew 'Largest clock-skew shift applied; larger skews are reported, not corrected'
            cand --max-spans 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted'
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand --no-skew-adjust 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)'
            cand --wide 'Do not truncate names to fit the terminal width'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracediag;summary'= {
            cand --slow-factor 'A span is anomalous when longer than this many times the mean of its service.operation in the trace'
            cand --gap-threshold 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)'
            cand --network-gap 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate'
            cand --network-share 'Share of the caller''s duration a cross-service gap must reach to count as a network timeout'
            cand --slow-span 'A span must spend at least this long of its own time on the critical path before it is reported as the request''s bottleneck'
            cand --repeat-min 'Same-operation sibling calls repeated at least this often are reported as N+1'
            cand --max-skew 'Largest clock-skew shift applied; larger skews are reported, not corrected'
            cand --max-spans 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted'
            cand -s 'Where traces come from: a file path, or `-` for stdin'
            cand --source 'Where traces come from: a file path, or `-` for stdin'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --color 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR'
            cand --no-skew-adjust 'Do not correct clock skew between hosts (Jaeger''s adjustment rule)'
            cand --wide 'Do not truncate names to fit the terminal width'
            cand -q 'Print nothing but errors'
            cand --quiet 'Print nothing but errors'
            cand -v 'Say more on stderr about what is read and decided (repeat for more)'
            cand --verbose 'Say more on stderr about what is read and decided (repeat for more)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tracediag;help'= {
            cand diagnose 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
            cand gaps 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
            cand root-cause 'Ranked root-cause candidates with evidence and a recommendation'
            cand timeline 'Waterfall rows: service, operation, start offset, duration, status'
            cand summary 'Span count, errors, services, total duration, slowest span, first error'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tracediag;help;diagnose'= {
        }
        &'tracediag;help;gaps'= {
        }
        &'tracediag;help;root-cause'= {
        }
        &'tracediag;help;timeline'= {
        }
        &'tracediag;help;summary'= {
        }
        &'tracediag;help;help'= {
        }
    ]
    $completions[$command]
}
