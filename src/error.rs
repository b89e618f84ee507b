//! Typed errors and the exit code each maps to.

use thiserror::Error;

/// Exit codes, as documented in the README and man page.
pub mod exit {
    pub const OK: i32 = 0;
    /// A command asked to fail on findings found some (`check`, assertions).
    pub const FINDINGS: i32 = 1;
    /// Usage or input error: bad flags, unreadable or malformed input, unknown trace id.
    pub const INPUT: i32 = 2;
    /// The trace source could not be reached.
    pub const UNREACHABLE: i32 = 3;
    /// Interrupted (Ctrl-C): 128 + SIGINT, as shells report it.
    pub const INTERRUPTED: i32 = 130;
}

#[derive(Debug, Error)]
pub enum Error {
    /// Input that cannot be read as traces. `what` names the input (a path, `stdin`).
    #[error("{what}: {message}")]
    Input { what: String, message: String },
    #[error("trace {id} not found in {source_name}{hint}")]
    TraceNotFound {
        id: String,
        source_name: String,
        hint: String,
    },
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Unreachable(String),
    /// Input over one of the limits (`--max-trace-spans`, `--max-depth`, and
    /// `--max-response-size` for files, stdin and gzip data). The message names the input,
    /// the limit and the flag. Kept apart from `Input` so that remote sources, which turn
    /// undecodable bodies into "unreachable", still report it as an input error.
    #[error("{0}")]
    Limit(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn input(what: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Input {
            what: what.into(),
            message: message.into(),
        }
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input { .. }
            | Error::TraceNotFound { .. }
            | Error::Usage(_)
            | Error::Limit(_) => exit::INPUT,
            Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
            Error::Io { .. } => exit::INPUT,
            Error::Unreachable(_) => exit::UNREACHABLE,
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
