//! Documentation generated from tables: the man page's own sections (KEYS, EXAMPLES,
//! ENVIRONMENT, FILES, EXIT STATUS) and the shells of `wxpick completions`. The keys come from
//! the picker's keymap, as its help screen does; tests check that README.md says the same.

use std::io::Write;

use crate::error::exit;

/// Environment variables wxpick reads, and what for.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("WEBEX_ACCESS_TOKEN", "the access token (scope spark-admin:telephony_config_read), unless --token-file is given"),
    ("WEBEX_TOKEN", "the access token, when WEBEX_ACCESS_TOKEN is not set"),
    ("WEBEX_LOCATION_ID", "the location, as --location (ignored with --demo)"),
    ("WEBEX_ORG_ID", "the organization, as --org-id"),
    ("WEBEX_BASE_URL", "the API base URL, as --base-url (ignored with --demo)"),
    ("WXPICK_DEFAULT_OPTS", "flags read before the command line's (the command line wins)"),
    ("WXPICK_NO_CACHE", "as --no-cache: neither read nor write the cache of lists"),
    ("WXPICK_CACHE_DIR", "the cache directory, instead of the platform's"),
    ("WXPICK_LOG", "as --log-file: write a log of requests and events there"),
    ("NO_COLOR", "no colours (state and kind are always written out)"),
];

/// Examples: a command and what it does. Each is in README.md too.
pub const EXAMPLES: &[(&str, &str)] = &[
    ("wxpick --demo", "the picker on the embedded demo server: choose a location, then a number"),
    ("wxpick --location \"$LOCATION_ID\"", "the picker on that location's numbers"),
    ("wxpick --location 'Berlin' --filter 555", "print the numbers matching 555 at the location named Berlin"),
    ("wxpick locations", "print the ID, a tab and the name of every location"),
    (
        "NUM=$(wxpick --demo --query '+1 205 635 0001' --select-1 --exit-0)",
        "pick without asking when one number matches",
    ),
    ("wxpick --demo --filter 'toll' --output json", "the matching numbers as JSON, one object a line"),
    ("wxpick --for list", "every list wxpick can pick from, and the flag each needs"),
];

/// Files wxpick reads or writes.
pub const FILES: &[(&str, &str)] = &[
    ("/dev/tty", "the picker draws here and reads keys from here; stdout carries only the result"),
    (
        "~/.cache/wxpick/ (Linux; $WXPICK_CACHE_DIR if set)",
        "the cache of lists: 0600 files in a 0700 directory (wxpick cache path prints it, wxpick cache clear empties it)",
    ),
];

/// Exit codes, and when.
pub const EXIT_STATUS: &[(i32, &str)] = &[
    (exit::OK, "a number was picked or printed"),
    (exit::NO_MATCH, "nothing matched (--filter, --exit-0)"),
    (exit::ERROR, "error: bad flags, no token, HTTP or network error, bad reply, no terminal"),
    (exit::CANCELLED, "cancelled: Esc, Ctrl-C, SIGINT, SIGTERM or SIGHUP"),
];

/// Where each shell's completion file goes (`wxpick completions SHELL` prints its script).
pub const SHELLS: &[(&str, &str)] = &[
    ("bash", "wxpick completions bash > ~/.local/share/bash-completion/completions/wxpick"),
    ("zsh", "wxpick completions zsh > ~/.zfunc/_wxpick  (with fpath=(~/.zfunc $fpath) before compinit in ~/.zshrc)"),
    ("fish", "wxpick completions fish > ~/.config/fish/completions/wxpick.fish"),
    ("elvish", "wxpick completions elvish > ~/.config/elvish/lib/wxpick.elv  (and use wxpick in rc.elv)"),
    ("powershell", "wxpick completions powershell | Out-String | Invoke-Expression  (in $PROFILE)"),
];

/// `wxpick completions` without a shell: the shells and where their files go.
pub fn shells_text() -> String {
    let mut out = String::from("wxpick completions SHELL prints SHELL's completions; SHELL is one of:\n\n");
    let width = SHELLS.iter().map(|(s, _)| s.len()).max().unwrap_or(0);
    for (shell, install) in SHELLS {
        out.push_str(&format!("  {shell:<width$}  {install}\n"));
    }
    out
}

/// The man page: clap's NAME, SYNOPSIS, DESCRIPTION and options, then the sections above.
pub fn man_page(cmd: clap::Command, w: &mut impl Write) -> std::io::Result<()> {
    let subcommands: Vec<(String, String)> = cmd
        .get_subcommands()
        .filter(|c| c.get_name() != "help")
        .map(|c| (format!("wxpick {}", c.get_name()), c.get_about().map(|a| a.to_string()).unwrap_or_default()))
        .collect();
    let man = clap_mangen::Man::new(cmd);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    section(w, "COMMANDS", subcommands.iter().map(|(a, b)| (a.as_str(), b.as_str())))?;
    let keys = crate::tui::keymap::help_lines(crate::tui::keymap::Screen::All);
    section(w, "KEYS", keys.iter().map(|(k, v)| (k.as_str(), v.as_str())))?;
    section(w, "EXAMPLES", EXAMPLES.iter().copied())?;
    section(w, "ENVIRONMENT", ENVIRONMENT.iter().copied())?;
    section(w, "FILES", FILES.iter().copied())?;
    let codes: Vec<(String, &str)> = EXIT_STATUS.iter().map(|(c, v)| (c.to_string(), *v)).collect();
    section(w, "EXIT STATUS", codes.iter().map(|(c, v)| (c.as_str(), *v)))?;
    man.render_version_section(w)
}

/// A section of tagged paragraphs: the tag in bold, its text indented below.
fn section<'a>(w: &mut impl Write, name: &str, rows: impl Iterator<Item = (&'a str, &'a str)>) -> std::io::Result<()> {
    writeln!(w, ".SH \"{name}\"")?;
    for (tag, text) in rows {
        writeln!(w, ".TP")?;
        writeln!(w, "\\fB{}\\fR", escape(tag))?;
        writeln!(w, "{}", escape(text))?;
    }
    Ok(())
}

/// Text safe on a roff line: backslashes and hyphens escaped, a leading dot or quote guarded.
fn escape(s: &str) -> String {
    let s = s.replace('\\', "\\e").replace('-', "\\-");
    if s.starts_with('.') || s.starts_with('\'') { format!("\\&{s}") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn page() -> String {
        let mut out = Vec::new();
        man_page(crate::cli::Cli::command(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_man_page_has_its_own_sections_and_points_nowhere_else() {
        let page = page();
        for name in ["KEYS", "EXAMPLES", "ENVIRONMENT", "FILES", "EXIT STATUS", "COMMANDS"] {
            assert!(page.contains(&format!(".SH \"{name}\"")), "no {name} section");
        }
        // clap's own subcommands section names pages such as wxpick-completions(1).
        assert!(!page.contains("wxpick\\-completions(1)") && !page.contains("(1)"), "{page}");
        assert!(page.contains("Ctrl\\-T") && page.contains("WXPICK_CACHE_DIR") && page.contains("130"));
        assert!(page.contains("\\fBwxpick completions\\fR"));
    }

    /// README.md says what the tables say.
    #[test]
    fn the_readme_has_every_row() {
        let readme = include_str!("../README.md");
        for (name, _) in ENVIRONMENT {
            assert!(readme.contains(&format!("`{name}`")), "README.md does not name {name}");
        }
        for (command, _) in EXAMPLES {
            assert!(readme.contains(command), "README.md has no example {command}");
        }
        for (code, _) in EXIT_STATUS {
            assert!(readme.contains(&format!("| {code} |")), "README.md has no exit code {code}");
        }
        for (shell, install) in SHELLS {
            let cell = install.replace('|', "\\|");
            assert!(readme.contains(&cell), "README.md does not say where {shell}'s completions go");
        }
    }

    #[test]
    fn escapes_roff() {
        assert_eq!(escape(".x -y \\z"), "\\&.x \\-y \\ez");
    }
}
