//! Pieces every screen uses: the query line, the scrolling list's cursor, the status line and
//! the help popup. Each holds its own state (if any) and draws itself; none knows a screen.

pub mod fit;
pub mod help;
pub mod list_cursor;
pub mod query_line;
pub mod status_line;
