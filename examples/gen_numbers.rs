//! Writes a saved API reply with N realistic numbers, for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_numbers -- 1000000 numbers.json [numbers.txt]
//! ```
//!
//! The JSON file is one `{"phoneNumbers":[...]}` reply on one line, as the API sends it; the
//! optional text file holds the same numbers one per line (for `fzf` alone). The numbers come
//! from [`wxpick::demo::synthetic_records`]: deterministic, so every run writes the same files.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(n), Some(json)) = (args.first().and_then(|n| n.replace('_', "").parse::<usize>().ok()), args.get(1))
    else {
        eprintln!("usage: gen_numbers COUNT OUT.json [OUT.txt]");
        return ExitCode::from(2);
    };
    let records = wxpick::demo::synthetic_records(n);
    let write = || -> std::io::Result<()> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(json)?);
        wxpick::demo::write_reply(&records, &mut w)?;
        w.flush()?;
        if let Some(txt) = args.get(2) {
            let mut w = BufWriter::with_capacity(1 << 20, File::create(txt)?);
            for r in &records {
                writeln!(w, "{}", r.phone_number)?;
            }
            w.flush()?;
        }
        Ok(())
    };
    match write() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_numbers: {e}");
            ExitCode::FAILURE
        }
    }
}
