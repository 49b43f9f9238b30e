//! Writes a saved API reply with N realistic numbers, for benchmarks:
//!
//! ```text
//! cargo run --release --example gen_numbers -- 1000000 numbers.json [numbers.txt]
//! cargo run --release --example gen_numbers -- --owners 1000000 owners.json [owners.txt]
//! ```
//!
//! The JSON file is one `{"phoneNumbers":[...]}` reply on one line, as the API sends it; the
//! optional text file holds the same records one per line (for `fzf` alone): the number, and
//! with `--owners` the owner's name and the extension after it. The numbers come from
//! [`wxpick::demo::synthetic_records`]: deterministic, so every run writes the same files.
//!
//! `--owners` gives 60 % of the records an owner (first and last name, a type) and an
//! extension, as the call-forwarding lists send them.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use wxpick::numbers::record::Owner;

const FIRST: [&str; 24] = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "Tim",
    "Sophie", "Lucas", "Amira", "Kenji", "Ingrid", "Mateo", "Chloé", "Olusegun", "Priya", "Hannah", "Yusuf", "Elena",
];
const LAST: [&str; 40] = [
    "Lovelace",
    "Turing",
    "Hopper",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Berners-Lee",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Martin",
    "Bernard",
    "Dubois",
    "Rossi",
    "Russo",
    "Tanaka",
    "Suzuki",
    "Okafor",
    "Patel",
    "Singh",
    "Kowalski",
    "Nowak",
    "Jensen",
    "Hansen",
    "Silva",
    "Santos",
];
/// Owner types, weighted: mostly people, then workspaces and virtual lines, then features.
const TYPES: [(&str, u32); 6] =
    [("PEOPLE", 70), ("PLACE", 12), ("VIRTUAL_LINE", 8), ("HUNT_GROUP", 4), ("CALL_QUEUE", 3), ("AUTO_ATTENDANT", 3)];

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let owners = args.first().is_some_and(|a| a == "--owners");
    if owners {
        args.remove(0);
    }
    let (Some(n), Some(json)) = (args.first().and_then(|n| n.replace('_', "").parse::<usize>().ok()), args.get(1))
    else {
        eprintln!("usage: gen_numbers [--owners] COUNT OUT.json [OUT.txt]");
        return ExitCode::from(2);
    };
    let records = wxpick::demo::synthetic_records(n);
    let write = || -> std::io::Result<()> {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(json)?);
        let mut txt = match args.get(2) {
            Some(t) => Some(BufWriter::with_capacity(1 << 20, File::create(t)?)),
            None => None,
        };
        if !owners {
            wxpick::demo::write_reply(&records, &mut w)?;
            if let Some(t) = &mut txt {
                for r in &records {
                    writeln!(t, "{}", r.phone_number)?;
                }
            }
        } else {
            let mut rng = fastrand::Rng::with_seed(0x0_0e4e_2026);
            let total: u32 = TYPES.iter().map(|t| t.1).sum();
            w.write_all(b"{\"phoneNumbers\":[")?;
            for (i, r) in records.iter().enumerate() {
                if i > 0 {
                    w.write_all(b",")?;
                }
                let mut r = r.clone();
                let mut line = r.phone_number.to_string();
                if rng.u32(0..100) < 60 {
                    let (first, last) = (FIRST[rng.usize(..FIRST.len())], LAST[rng.usize(..LAST.len())]);
                    let mut pick = rng.u32(0..total);
                    let kind = TYPES.iter().find(|t| pick < t.1 || (pick -= t.1, false).1).map_or("PEOPLE", |t| t.0);
                    let ext = format!("{}", rng.u32(1000..100_000));
                    line = format!("{line} {first} {last} {ext}");
                    let owner = Owner {
                        owner_type: Some(kind.into()),
                        first_name: Some(first.into()),
                        last_name: Some(last.into()),
                        ..Owner::default()
                    };
                    r.set_extension(Some(&ext));
                    r.set_owner(Some(owner));
                }
                serde_json::to_writer(&mut w, &r)?;
                if let Some(t) = &mut txt {
                    writeln!(t, "{line}")?;
                }
            }
            w.write_all(b"]}\n")?;
        }
        w.flush()?;
        if let Some(t) = &mut txt {
            t.flush()?;
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
