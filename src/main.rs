//! wxpick's entry point: parse the arguments, run, print the result, map errors to exit codes.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use wxpick::app::{self, Outcome};
use wxpick::cli::{self, Command};
use wxpick::error::exit;

fn main() -> ExitCode {
    ExitCode::from(real_main() as u8)
}

fn real_main() -> i32 {
    let cli = match cli::parse(std::env::args_os().collect()) {
        Ok(Ok(cli)) => cli,
        Ok(Err(help)) => return print(help.as_bytes()),
        Err(msg) => return fail(&msg),
    };
    if let Some(command) = cli
        .command
        .as_ref()
        .filter(|c| !matches!(c, Command::Locations { .. } | Command::Auth { .. }) && c.lookup().is_none())
    {
        return print_command(command);
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&format!("cannot start: {e}")),
    };
    let result = runtime.block_on(app::run(cli));
    // Do not wait for requests still in flight (a slow server must not delay the exit).
    runtime.shutdown_background();
    match result {
        Ok(Outcome::Print(out)) => {
            // Buffered: stdout is line-buffered, and a million lines would be a million writes.
            let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            if let Err(e) = out.write(&mut stdout) {
                return fail(&format!("cannot write the result: {e}"));
            }
            let code = match &out.then {
                Some(err) => fail(&err.to_string()),
                None if out.no_match => exit::NO_MATCH,
                None => exit::OK,
            };
            // The process ends here: freeing a million records one at a time would only delay it.
            std::mem::forget(out);
            code
        }
        Ok(Outcome::Text(text)) => print(text.as_bytes()),
        Ok(Outcome::NoMatch) => exit::NO_MATCH,
        Ok(Outcome::Cancelled) => exit::CANCELLED,
        Err(e) => {
            fail(&e.report());
            e.exit_code()
        }
    }
}

fn print_command(command: &Command) -> i32 {
    let mut out = Vec::new();
    let mut cmd = cli::Cli::command();
    match command {
        Command::Completions { shell: Some(shell) } => clap_complete::generate(*shell, &mut cmd, "wxpick", &mut out),
        Command::Completions { shell: None } => out = wxpick::manual::shells_text().into_bytes(),
        Command::Man => {
            if let Err(e) = wxpick::manual::man_page(cmd, &mut out) {
                return fail(&e.to_string());
            }
        }
        Command::Cache { action } => match wxpick::app::cache_command(*action) {
            Ok(text) => out = text.into_bytes(),
            Err(e) => return fail(&e.to_string()),
        },
        // Run by the app.
        Command::Locations { .. }
        | Command::People { .. }
        | Command::Workspaces { .. }
        | Command::VirtualLines { .. }
        | Command::Auth { .. } => {}
    }
    print(&out)
}

/// Writes to stdout; a closed pipe is not an error.
fn print(bytes: &[u8]) -> i32 {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|_| stdout.flush()) {
        Err(e) if !wxpick::output::is_broken_pipe(&e) => fail(&format!("cannot write: {e}")),
        _ => exit::OK,
    }
}

/// Reports an error on one line of stderr.
fn fail(msg: &str) -> i32 {
    let _ = writeln!(std::io::stderr(), "wxpick: {}", wxpick::sanitize::one_line(msg, 2000));
    exit::ERROR
}
