//! Every query in its own read-only transaction with a statement timeout, and query errors
//! as one-line messages with the exit code they deserve.

use postgres::Client;

use super::conn::{error_chain, PgUrl};
use crate::error::Error;

/// `f` inside `BEGIN READ ONLY` with a statement timeout; rolled back on error.
pub(super) fn read_only<T>(
    client: &mut Client,
    timeout_ms: u64,
    f: impl FnOnce(&mut Client) -> std::result::Result<T, postgres::Error>,
) -> std::result::Result<T, postgres::Error> {
    // The timeout is a number we format; SET cannot take a bound parameter.
    client.batch_execute(&format!(
        "BEGIN READ ONLY; SET LOCAL statement_timeout = {timeout_ms}"
    ))?;
    match f(client) {
        Ok(v) => {
            client.batch_execute("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            // The transaction is already failed; a broken connection fails this too.
            let _ = client.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// A query error as one line with an exit code: missing tables and columns, permissions and
/// bad values are the user's to fix (2); timeouts and lost connections are the server's (3).
pub(super) fn query_error(e: &postgres::Error, url: &PgUrl, timeout_ms: u64) -> Error {
    let at = url.display();
    if let Some(db) = e.as_db_error() {
        let msg = url.mask(db.message());
        let code = db.code().code();
        return match code {
            "57014" => Error::Unreachable(format!(
                "{at}: the query ran past the statement timeout ({timeout_ms} ms): raise --statement-timeout, narrow the search, or add the indexes from `tracediag schema {}`",
                url.preset.name()
            )),
            "42P01" => Error::input(at, format!("{msg}: check table= and schema= in the URL")),
            "42703" => Error::input(at, format!("{msg}: check the column mapping (--column, preset=)")),
            "42501" => Error::input(at, format!("{msg}: grant SELECT on {} to {}", url.table.display(), url.user)),
            _ if code.starts_with("08") || code.starts_with("53") || code.starts_with("57") => {
                Error::Unreachable(format!("{at}: {msg}"))
            }
            _ => Error::input(at, format!("{msg} (SQLSTATE {code})")),
        };
    }
    Error::Unreachable(format!(
        "{at}: the connection failed: {}; is PostgreSQL still running?",
        url.mask(&error_chain(e))
    ))
}
