# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tracediag_global_optspecs
    string join \n s/source= f/format= color= q/quiet v/verbose h/help V/version
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

complete -c tracediag -n "__fish_tracediag_needs_command" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_needs_command" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_needs_command" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_needs_command" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_needs_command" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_needs_command" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "diagnose" -d 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "gaps" -d 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "root-cause" -d 'Ranked root-cause candidates with evidence and a recommendation'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "timeline" -d 'Waterfall rows: service, operation, start offset, duration, status'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "summary" -d 'Span count, errors, services, total duration, slowest span, first error'
complete -c tracediag -n "__fish_tracediag_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l slow-factor -d 'A span is anomalous when longer than this many times the mean of its service.operation in the trace' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l gap-threshold -d 'A gap inside a span longer than this is an anomaly (e.g. 5s, 500ms)' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l network-gap -d 'Uncovered time on a cross-service leg at least this long, and at least --network-share of the caller, is a NETWORK_TIMEOUT candidate' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l network-share -d 'Share of the caller\'s duration a cross-service gap must reach to count as a network timeout' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l slow-span -d 'A span must spend at least this long of its own time on the critical path before it is reported as the request\'s bottleneck' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l repeat-min -d 'Same-operation sibling calls repeated at least this often are reported as N+1' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-skew -d 'Largest clock-skew shift applied; larger skews are reported, not corrected' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l max-spans -d 'Most spans listed in the waterfall and JSON; the critical path, anomalies, errors and their ancestors are always kept, and what is left out is counted' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand diagnose" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
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
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand gaps" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
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
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand root-cause" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
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
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand timeline" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
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
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s s -l source -d 'Where traces come from: a file path, or `-` for stdin' -r
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s f -l format -d 'Output format' -r -f -a "table\t'Aligned, optionally coloured text for a terminal'
json\t'Versioned, pretty-printed JSON (see [`Report`])'
markdown\t'The seed\'s MCP report layout, for LLM prompts and tickets'"
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l color -d 'When to colour table output. `auto` colours only a terminal and honours NO_COLOR' -r -f -a "auto\t''
always\t''
never\t''"
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l no-skew-adjust -d 'Do not correct clock skew between hosts (Jaeger\'s adjustment rule)'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -l wide -d 'Do not truncate names to fit the terminal width'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s q -l quiet -d 'Print nothing but errors'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s v -l verbose -d 'Say more on stderr about what is read and decided (repeat for more)'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tracediag -n "__fish_tracediag_using_subcommand summary" -s V -l version -d 'Print version'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "diagnose" -d 'Everything about one trace: integrity, root cause, error origin, critical path, gaps, anomalies, and a waterfall'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "gaps" -d 'Uninstrumented time inside spans: before, between and after children, with the network leg it sits on when it crosses services'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "root-cause" -d 'Ranked root-cause candidates with evidence and a recommendation'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "timeline" -d 'Waterfall rows: service, operation, start offset, duration, status'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "summary" -d 'Span count, errors, services, total duration, slowest span, first error'
complete -c tracediag -n "__fish_tracediag_using_subcommand help; and not __fish_seen_subcommand_from diagnose gaps root-cause timeline summary help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
