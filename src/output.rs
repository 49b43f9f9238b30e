//! Writing chosen numbers to stdout (plain, JSON, E.164 or national format), the clipboard, and
//! JSON escaping that is safe for terminals.

pub mod clipboard;
pub mod safe_json;

use std::io::{self, Write};

use crate::numbers::phone;
use crate::numbers::record::NumberRecord;
use crate::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum OutputFormat {
    /// the number as the API sent it (E.164)
    #[default]
    Plain,
    /// one JSON object per line with every field the API returned
    Json,
    /// the number normalised to E.164
    E164,
    /// the number in its country's national format
    National,
}

/// Where one result ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    Newline,
    Nul,
}

impl Terminator {
    fn byte(self) -> u8 {
        match self {
            Terminator::Newline => b'\n',
            Terminator::Nul => 0,
        }
    }
}

/// Writes one record in the given format, followed by the terminator.
pub fn write_record(w: &mut impl Write, rec: &NumberRecord, format: OutputFormat, end: Terminator) -> io::Result<()> {
    match format {
        OutputFormat::Plain => w.write_all(sanitize::escape(&rec.phone_number).as_bytes())?,
        OutputFormat::Json => crate::output::safe_json::write(w, rec)?,
        OutputFormat::E164 => w.write_all(sanitize::escape(&phone::e164(&rec.phone_number)).as_bytes())?,
        OutputFormat::National => w.write_all(sanitize::escape(&phone::national(&rec.phone_number)).as_bytes())?,
    }
    w.write_all(&[end.byte()])
}

/// Writes a line of text (the query for `--print-query`), escaped.
pub fn write_text(w: &mut impl Write, text: &str, end: Terminator) -> io::Result<()> {
    w.write_all(sanitize::escape(text).as_bytes())?;
    w.write_all(&[end.byte()])
}

/// Whether an error only means that the reader went away (`| head`): not a failure.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}
