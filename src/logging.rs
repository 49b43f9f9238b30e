//! `--log-file PATH` / `WXPICK_LOG`: a tracing log in a file. Nothing is ever logged to the
//! terminal, and the token never appears (it is not in URLs, and `Token` does not print itself).

use std::path::Path;
use std::sync::Mutex;

use crate::error::Error;

/// Starts logging to `path` (appending), at debug level. A new log is created 0600; a symbolic
/// link, a FIFO or a device is refused (see [`crate::safe_fs::open_log`]).
pub fn init(path: &Path) -> Result<(), Error> {
    let file =
        crate::safe_fs::open_log(path).map_err(|e| Error::Usage(format!("--log-file {}: {e}", path.display())))?;
    tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::DEBUG)
        .try_init()
        .map_err(|e| Error::Usage(format!("--log-file: {e}")))
}
