//! The command line: flags, environment variables and `WXPICK_DEFAULT_OPTS`.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::numbers::filters::StateFilter;
use crate::numbers::kinds::NumberKind;
use crate::output::OutputFormat;
pub use crate::tui::Height;
use crate::webex::DEFAULT_BASE_URL;

const AFTER_HELP: &str = "\
Token: --token-file PATH, else WEBEX_ACCESS_TOKEN / WEBEX_TOKEN, else the sign-in of `wxpick auth login`.
Defaults: WXPICK_DEFAULT_OPTS holds flags read before the command line's.

Exit codes: 0 picked or printed, 1 nothing matched, 2 error, 130 cancelled.";

/// Pick a Webex Calling phone number: the numbers available to become a call queue's primary
/// number at one location, browsed, fuzzy-searched and filtered in the terminal.
#[derive(Debug, Parser)]
#[command(name = "wxpick", version, after_help = AFTER_HELP, args_override_self = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Which list: the numbers available for what (`--for list` prints every KIND)
    #[arg(long = "for", value_name = "KIND", default_value = "queue", value_parser = kind_parser(), hide_possible_values = true, help_heading = "Source")]
    pub list: String,
    /// Location ID or name whose available numbers are listed
    #[arg(long, env = "WEBEX_LOCATION_ID", value_name = "ID|NAME", help_heading = "Source")]
    pub location: Option<String>,
    /// Set when `--location` came from WEBEX_LOCATION_ID rather than the command line.
    #[arg(skip)]
    pub location_from_env: bool,
    /// Person ID, name or email, for the person lists (--for person-...)
    #[arg(long, value_name = "ID|NAME|EMAIL", help_heading = "Source")]
    pub person: Option<String>,
    /// Workspace ID or name, for the workspace lists (--for workspace-...)
    #[arg(long, value_name = "ID|NAME", help_heading = "Source")]
    pub workspace: Option<String>,
    /// Virtual line ID or name, for the virtual line lists (--for virtual-line-...)
    #[arg(long, value_name = "ID|NAME", help_heading = "Source")]
    pub virtual_line: Option<String>,
    /// Ask the API for numbers whose owner's name contains NAME (lists with owners)
    #[arg(long, value_name = "NAME", help_heading = "Source")]
    pub owner_name: Option<String>,
    /// Ask the API for the number with this extension (lists with extensions)
    #[arg(long, value_name = "EXT", help_heading = "Source")]
    pub extension: Option<String>,
    /// The number inventory: only unassigned numbers (--for numbers)
    #[arg(long, help_heading = "Source")]
    pub available: bool,
    /// The number inventory: only numbers of this kind of owner (person, workspace, hunt-group, ...)
    #[arg(long, value_name = "TYPE", value_parser = owner_type_parser(), ignore_case = true, hide_possible_values = true, help_heading = "Source")]
    pub owner_type: Option<String>,
    /// The number inventory: numbers, extensions without a number, or both (the API's default)
    #[arg(long, value_enum, value_name = "TYPE", ignore_case = true, help_heading = "Source")]
    pub number_type: Option<NumberType>,
    /// The number inventory: only toll-free numbers
    #[arg(long, help_heading = "Source")]
    pub toll_free: bool,
    /// The license of the new person (--for person-primary)
    #[arg(long, value_enum, value_name = "TYPE", help_heading = "Source")]
    pub license_type: Option<LicenseType>,
    /// Organization ID (for partner administrators)
    #[arg(long, env = "WEBEX_ORG_ID", value_name = "ID", global = true, help_heading = "Source")]
    pub org_id: Option<String>,
    /// API base URL (FedRAMP: https://api-usgov.webex.com/v1)
    #[arg(long, env = "WEBEX_BASE_URL", value_name = "URL", default_value = DEFAULT_BASE_URL, global = true, help_heading = "Source")]
    pub base_url: String,
    /// Read the access token from this file instead of WEBEX_ACCESS_TOKEN / WEBEX_TOKEN
    #[arg(long, value_name = "PATH", global = true, help_heading = "Source")]
    pub token_file: Option<PathBuf>,
    /// Ask the API for only these numbers (E.164, comma-separated)
    #[arg(long, value_name = "N[,N...]", value_parser = parse_phone_numbers, help_heading = "Source")]
    pub phone_number: Option<String>,
    /// Numbers per request (the API's `max`; the API's default is 2000)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=10000), allow_negative_numbers = true, help_heading = "Source")]
    pub page_size: Option<u32>,
    /// Read a saved API response ({"phoneNumbers":[...]}) from PATH, or - for stdin
    #[arg(long, value_name = "PATH", conflicts_with = "demo", help_heading = "Source")]
    pub input: Option<PathBuf>,
    /// Use the embedded demo server and data (no token needed)
    #[arg(long, global = true, help_heading = "Source")]
    pub demo: bool,
    /// Demo server: how many numbers to serve
    #[arg(long, value_name = "N", requires = "demo", value_parser = |s: &str| whole(s, 0..=10_000_000, "numbers"), allow_negative_numbers = true, help_heading = "Source")]
    pub demo_size: Option<u64>,
    /// Demo server: delay before each page, in milliseconds
    #[arg(long, value_name = "MS", requires = "demo", value_parser = |s: &str| whole(s, 0..=60_000, "milliseconds"), allow_negative_numbers = true, help_heading = "Source")]
    pub demo_latency_ms: Option<u64>,
    /// Page requests in flight at once when paging by offset
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=16), allow_negative_numbers = true, help_heading = "Source")]
    pub concurrency: u32,
    /// Stop a list at N records (kept, and said to be incomplete); lists also stop at 10,000 pages
    #[arg(long, value_name = "N", default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..), global = true, help_heading = "Source")]
    pub max_numbers: u64,
    /// Demo server: page with Link headers (by default it pages by offset, as the Webex API
    /// describes this endpoint, so requests can run in parallel)
    #[arg(long, requires = "demo", help_heading = "Source")]
    pub demo_links: bool,
    /// Demo server: misbehave (rate limits, a slow page, a failing page, hostile records)
    #[arg(long, requires = "demo", help_heading = "Source")]
    pub demo_chaos: bool,
    /// Connect timeout in seconds
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = |s: &str| whole(s, 1..=3600, "seconds"), allow_negative_numbers = true, help_heading = "Source")]
    pub connect_timeout: u64,
    /// Timeout of each request, body included, in seconds
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = |s: &str| whole(s, 1..=3600, "seconds"), allow_negative_numbers = true, help_heading = "Source")]
    pub timeout: u64,
    /// Allow a base URL that is neither https nor loopback (sends the token in clear text)
    #[arg(long, help_heading = "Source")]
    pub insecure_http: bool,
    /// Do not read or write the cache of lists (see `wxpick cache path`)
    #[arg(long, env = "WXPICK_NO_CACHE", value_parser = clap::builder::FalseyValueParser::new(), global = true, help_heading = "Source")]
    pub no_cache: bool,
    /// Accept a cached list at most this old (e.g. 90s, 10m, 2h, 1d): scripts (--filter,
    /// --select-1, --exit-0) then use it instead of loading; the picker shows only such a list
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with = "input", help_heading = "Source")]
    pub max_age: Option<std::time::Duration>,

    /// Print every number matching QUERY, best first, and exit (no picker; '' prints all)
    #[arg(long, short = 'f', value_name = "QUERY", allow_hyphen_values = true, help_heading = "Selection")]
    pub filter: Option<String>,
    /// Start the picker with this query
    #[arg(long, short = 'q', value_name = "QUERY", allow_hyphen_values = true, help_heading = "Selection")]
    pub query: Option<String>,
    /// Match every term of the query (in the picker, --query, --filter) only as typed, never
    /// scattered; `'term` makes one fuzzy again (as fzf's --exact; without it, `'term` is exact)
    #[arg(long, short = 'e', help_heading = "Selection")]
    pub exact: bool,
    /// List only numbers in this state (--for numbers asks the API for them too)
    #[arg(long, value_enum, value_name = "STATE", help_heading = "Selection")]
    pub state: Option<StateFilter>,
    /// List only numbers of this kind (repeatable: any of them)
    #[arg(long = "type", value_enum, value_name = "KIND", help_heading = "Selection")]
    pub types: Vec<NumberKind>,
    /// Picker: Tab marks numbers (at most MAX), Enter prints every marked one in list order
    #[arg(long, short = 'm', value_name = "MAX", value_parser = parse_max, help_heading = "Selection")]
    pub multi: Option<Option<u32>>,

    /// How to print the chosen number
    #[arg(long, value_enum, default_value_t = OutputFormat::Plain, help_heading = "Output")]
    pub output: OutputFormat,
    /// End each printed result with NUL instead of newline (for xargs -0)
    #[arg(long, help_heading = "Output")]
    pub print0: bool,
    /// Print the query before the result
    #[arg(long, help_heading = "Output")]
    pub print_query: bool,
    /// Also copy the chosen number to the clipboard (OSC 52, and the system clipboard locally)
    #[arg(long, help_heading = "Output")]
    pub clipboard: bool,
    /// When exactly one number matches, print it without opening the picker
    #[arg(long, short = '1', help_heading = "Scripting")]
    pub select_1: bool,
    /// When nothing matches, exit 1 without opening the picker
    #[arg(long, short = '0', help_heading = "Scripting")]
    pub exit_0: bool,
    /// Write a log of requests and events to PATH (never to the terminal)
    #[arg(long, env = "WXPICK_LOG", value_name = "PATH", help_heading = "Scripting")]
    pub log_file: Option<PathBuf>,

    /// Picker: no mouse capture (lets the terminal select text)
    #[arg(long, help_heading = "Picker")]
    pub no_mouse: bool,
    /// Picker: draw inline below the prompt in N rows or N% of the screen, not full screen
    #[arg(long, value_name = "N[%]", value_parser = parse_height, help_heading = "Picker")]
    pub height: Option<Height>,
}

/// `--for`: every list's kind (with its title, which completions show), and `list`.
fn kind_parser() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    let kinds = crate::webex::ENDPOINTS.iter().map(|e| PossibleValue::new(e.kind).help(e.title));
    clap::builder::PossibleValuesParser::new(kinds.chain([PossibleValue::new("list").help("print every KIND")]))
}

/// `--owner-type`: the words of the inventory's owner types, each with the API's value as an alias.
fn owner_type_parser() -> clap::builder::PossibleValuesParser {
    use clap::builder::PossibleValue;
    let types = crate::numbers::owner_type::QUERY_TYPES.iter().map(|(api, word)| PossibleValue::new(*word).alias(*api));
    clap::builder::PossibleValuesParser::new(types)
}

/// `--number-type`: the inventory's `numberType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NumberType {
    /// numbers only
    Number,
    /// extensions without a number only
    Extension,
    /// both (the API's default: nothing is sent)
    Both,
}

impl NumberType {
    /// The API's value; none for both, the API's default.
    pub fn api_value(self) -> Option<&'static str> {
        match self {
            NumberType::Number => Some("NUMBER"),
            NumberType::Extension => Some("EXTENSION"),
            NumberType::Both => None,
        }
    }
}

/// The license of a new person, as `licenseType` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LicenseType {
    Professional,
    Standard,
}

impl LicenseType {
    /// The API's value.
    pub fn api_value(self) -> &'static str {
        match self {
            LicenseType::Professional => "Webex Calling Professional",
            LicenseType::Standard => "Webex Calling Standard",
        }
    }
}

fn parse_duration(s: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("{s:?} is not a duration: give a number and a unit, s, m, h or d (10m)");
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let secs = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    n.checked_mul(secs).map(std::time::Duration::from_secs).ok_or_else(bad)
}

fn parse_height(s: &str) -> Result<Height, String> {
    let bad = || format!("{s:?} is not a height: give rows (10) or a percentage of the screen (40%)");
    match s.strip_suffix('%') {
        Some(p) => match p.parse::<u16>() {
            Ok(p) if (1..=100).contains(&p) => Ok(Height::Percent(p)),
            _ => Err(bad()),
        },
        None => match s.parse::<u16>() {
            Ok(n) if n >= 3 => Ok(Height::Rows(n)),
            Ok(_) => Err(format!("{s:?} is too low: at least 3 rows")),
            Err(_) => Err(bad()),
        },
    }
}

/// A whole number of `unit` in `range`; the error says what is wanted.
fn whole(s: &str, range: std::ops::RangeInclusive<u64>, unit: &str) -> Result<u64, String> {
    let want = || format!("give whole {unit} from {} to {}", range.start(), range.end());
    match s.trim().parse::<i128>() {
        Ok(n) if n >= *range.start() as i128 && n <= *range.end() as i128 => Ok(n as u64),
        Ok(n) => Err(format!("{n} is out of range: {}", want())),
        Err(_) => Err(format!("{s:?} is not a number: {}", want())),
    }
}

/// `--phone-number`: E.164 numbers (`+`, a country code, at most 15 digits), comma-separated;
/// kept as given, spaces around the commas left out.
fn parse_phone_numbers(s: &str) -> Result<String, String> {
    let numbers: Vec<&str> = s.split(',').map(str::trim).collect();
    for n in &numbers {
        let digits = n.strip_prefix('+').unwrap_or("");
        let e164 =
            (2..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0');
        if !e164 {
            return Err(format!(
                "{n:?} is not an E.164 number: give + then the country code and the number, digits only (+12056350001)"
            ));
        }
    }
    Ok(numbers.join(","))
}

/// `--multi=MAX`: at least one mark (`--multi` alone has no limit).
fn parse_max(s: &str) -> Result<u32, String> {
    match s.parse::<u32>() {
        Ok(0) => Err("a limit of 0 marks allows none: give 1 or more, or --multi alone for no limit".into()),
        Ok(n) => Ok(n),
        Err(_) => Err(format!("{s:?} is not a number of marks")),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print shell completions (with no SHELL: the shells, and where their files go)
    Completions {
        #[arg(value_enum)]
        shell: Option<clap_complete::Shell>,
    },
    /// Print the man page
    Man,
    /// List the locations (ID, tab, name), for scripts
    Locations {
        /// Only locations whose name matches QUERY (as the picker searches), best first
        #[arg(long, short = 'f', value_name = "QUERY", allow_hyphen_values = true)]
        filter: Option<String>,
        /// plain: ID, tab, name; json: one object per line
        #[arg(long, value_enum, default_value_t = LocationsFormat::Plain)]
        output: LocationsFormat,
    },
    /// List the people (ID, tab, name, tab, email), for scripts
    People {
        /// Only people whose name or email matches QUERY (as the picker searches), best first
        #[arg(long, short = 'f', value_name = "QUERY", allow_hyphen_values = true)]
        filter: Option<String>,
        /// plain: ID, tab, name, tab, email; json: one object per line
        #[arg(long, value_enum, default_value_t = LocationsFormat::Plain)]
        output: LocationsFormat,
    },
    /// List the workspaces (ID, tab, name), for scripts
    Workspaces {
        /// Only workspaces whose name matches QUERY (as the picker searches), best first
        #[arg(long, short = 'f', value_name = "QUERY", allow_hyphen_values = true)]
        filter: Option<String>,
        /// plain: ID, tab, name; json: one object per line
        #[arg(long, value_enum, default_value_t = LocationsFormat::Plain)]
        output: LocationsFormat,
    },
    /// List the virtual lines (ID, tab, name), for scripts
    VirtualLines {
        /// Only virtual lines whose name matches QUERY (as the picker searches), best first
        #[arg(long, short = 'f', value_name = "QUERY", allow_hyphen_values = true)]
        filter: Option<String>,
        /// plain: ID, tab, name; json: one object per line
        #[arg(long, value_enum, default_value_t = LocationsFormat::Plain)]
        output: LocationsFormat,
    },
    /// The cache of lists: where it is, or empty it
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Sign in to Webex once, and see, use or forget the sign-in
    Auth {
        #[command(subcommand)]
        action: AuthAction,
    },
}

/// What `wxpick auth` does.
#[derive(Debug, Clone, Subcommand)]
pub enum AuthAction {
    /// Sign in: shows an address and a code to enter on any device (or --browser, or
    /// --refresh-token-file for a service app); the client secret comes from
    /// WXPICK_CLIENT_SECRET or is asked for
    Login(LoginArgs),
    /// Who is signed in, where the token comes from, when it expires, which lists it may read
    /// (exit 1 without a usable token)
    Status,
    /// Print a valid access token, refreshed first if needed (the only command that prints one)
    Token,
    /// Forget the stored tokens and client secret of this base URL
    Logout,
}

/// `wxpick auth login`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct LoginArgs {
    /// Sign in in a browser on this machine (authorization code with PKCE) instead of with a code
    #[arg(long, conflicts_with = "refresh_token_file")]
    pub browser: bool,
    /// --browser: the port of the redirect URI http://127.0.0.1:PORT/callback that the
    /// integration lists
    #[arg(long, value_name = "PORT", default_value_t = crate::auth::DEFAULT_PORT, requires = "browser")]
    pub port: u16,
    /// The integration's (or service app's) client ID
    #[arg(long, env = "WXPICK_CLIENT_ID", value_name = "ID", hide_env_values = true)]
    pub client_id: Option<String>,
    /// Exchange the refresh token in PATH (a service app's, or any integration's) and store
    /// what comes back
    #[arg(long, value_name = "PATH")]
    pub refresh_token_file: Option<PathBuf>,
    /// The scopes to ask for, space-separated
    #[arg(long, value_name = "SCOPES", default_value = crate::auth::DEFAULT_SCOPES, hide_default_value = true)]
    pub scopes: String,
}

impl Command {
    /// The lookup a listing command runs (`wxpick people`...), with its filter and format.
    pub fn lookup(&self) -> Option<(&'static crate::webex::owners::Lookup, Option<&str>, LocationsFormat)> {
        use crate::webex::owners::{PEOPLE_LOOKUP, VIRTUAL_LINES_LOOKUP, WORKSPACES_LOOKUP};
        match self {
            Command::People { filter, output } => Some((&PEOPLE_LOOKUP, filter.as_deref(), *output)),
            Command::Workspaces { filter, output } => Some((&WORKSPACES_LOOKUP, filter.as_deref(), *output)),
            Command::VirtualLines { filter, output } => Some((&VIRTUAL_LINES_LOOKUP, filter.as_deref(), *output)),
            _ => None,
        }
    }
}

/// What `wxpick cache` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Subcommand)]
pub enum CacheAction {
    /// Print the cache directory (WXPICK_CACHE_DIR, else the platform's cache directory)
    Path,
    /// Remove every cached list
    Clear,
}

/// How `wxpick locations` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LocationsFormat {
    Plain,
    Json,
}

/// The arguments: `WXPICK_DEFAULT_OPTS` first, then the command line, so the command line wins.
pub fn args_with_defaults(mut argv: Vec<OsString>) -> Result<Vec<OsString>, String> {
    let Some(defaults) = std::env::var_os("WXPICK_DEFAULT_OPTS") else { return Ok(argv) };
    let defaults = defaults.to_str().ok_or("WXPICK_DEFAULT_OPTS is not valid UTF-8")?;
    let words = shlex::split(defaults).ok_or("WXPICK_DEFAULT_OPTS has an unclosed quote")?;
    if argv.is_empty() {
        argv.push("wxpick".into());
    }
    let rest = argv.split_off(1);
    argv.extend(words.into_iter().map(OsString::from));
    argv.extend(rest);
    Ok(argv)
}

/// Parses the arguments. Help and version are `Ok(Err(text))`; a usage error is one line.
pub fn parse(argv: Vec<OsString>) -> Result<Result<Cli, String>, String> {
    use clap::parser::ValueSource;
    use clap::{CommandFactory, FromArgMatches};
    let argv = args_with_defaults(argv)?;
    let parsed = Cli::command().try_get_matches_from(argv).and_then(|m| Ok((Cli::from_arg_matches(&m)?, m)));
    match parsed {
        Ok((mut cli, matches)) => {
            if cli.demo && matches.value_source("base_url") == Some(ValueSource::CommandLine) {
                return Err("--demo starts a server of its own: leave out --base-url (see wxpick --help)".into());
            }
            cli.location_from_env = matches.value_source("location") == Some(ValueSource::EnvVariable);
            // The demo server has its own location: an exported WEBEX_LOCATION_ID is not for it.
            if cli.demo && cli.location_from_env {
                cli.location = None;
            }
            Ok(Ok(cli))
        }
        Err(e) if matches!(e.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion) => {
            Ok(Err(e.render().to_string()))
        }
        Err(e) => {
            let mut msg = one_line_clap_error(&e.render().to_string());
            if std::env::var_os("WXPICK_DEFAULT_OPTS").is_some() {
                msg.push_str(" (WXPICK_DEFAULT_OPTS is set and read first)");
            }
            Err(msg)
        }
    }
}

/// clap's message without the usage block, on one line.
fn one_line_clap_error(text: &str) -> String {
    let mut parts = Vec::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("Usage:") || l.starts_with("For more information") {
            continue;
        }
        parts.push(l.strip_prefix("error: ").unwrap_or(l).to_string());
    }
    let mut s = parts.join(" ");
    // `--for` has 37 values: one line cannot list them usefully.
    if s.contains("'--for <KIND>'")
        && let Some(start) = s.find(" [possible values: ")
        && let Some(len) = s[start..].find(']')
    {
        s.replace_range(start..start + len + 1, ": `wxpick --for list` prints every KIND");
    }
    s.push_str(" (see wxpick --help)");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn usage_errors_are_one_line_and_name_the_flag() {
        let e = parse(vec!["wxpick".into(), "--state".into(), "busy".into()]).unwrap_err();
        assert!(!e.contains('\n'), "{e}");
        assert!(e.contains("--state") && e.contains("active") && e.contains("inactive"), "{e}");
        let e = parse(vec!["wxpick".into(), "--page-size".into(), "0".into()]).unwrap_err();
        assert!(e.contains("--page-size"), "{e}");
    }

    #[test]
    fn demo_refuses_a_base_url_given_on_the_command_line() {
        let argv = |a: &[&str]| std::iter::once("wxpick").chain(a.iter().copied()).map(OsString::from).collect();
        let e = parse(argv(&["--demo", "--base-url", "https://x/v1"])).unwrap_err();
        assert!(e.contains("--demo") && e.contains("--base-url"), "{e}");
        assert!(parse(argv(&["--base-url", "https://x/v1"])).is_ok());
    }

    #[test]
    fn an_unknown_list_is_one_short_line() {
        let e = parse(vec!["wxpick".into(), "--for".into(), "queue-fwd".into()]).unwrap_err();
        assert!(e.contains("'queue-fwd'") && e.contains("wxpick --for list"), "{e}");
        assert!(e.len() < 200 && !e.contains("virtual-line-fax"), "{e}");
    }

    #[test]
    fn heights() {
        assert_eq!(parse_height("10"), Ok(Height::Rows(10)));
        assert_eq!(parse_height("40%"), Ok(Height::Percent(40)));
        assert!(parse_height("2").is_err() && parse_height("0%").is_err() && parse_height("x").is_err());
        assert_eq!(Height::Percent(40).rows(30), 12);
        assert_eq!(Height::Rows(50).rows(30), 30);
        assert_eq!(Height::Percent(1).rows(30), 3);
    }

    #[test]
    fn durations() {
        use std::time::Duration;
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        for bad in ["", "10", "m", "-1m", "1.5h", "10 m", "99999999999999999999d", "1w"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        let e = parse(vec!["wxpick".into(), "--max-age".into(), "soon".into()]).unwrap_err();
        assert!(!e.contains('\n') && e.contains("--max-age") && e.contains("duration"), "{e}");
    }

    #[test]
    fn queries_may_start_with_a_hyphen() {
        let cli = parse(vec!["wxpick".into(), "--filter".into(), "-0001".into()]).unwrap().unwrap();
        assert_eq!(cli.filter.as_deref(), Some("-0001"));
    }

    #[test]
    fn multi_takes_an_optional_limit_of_at_least_one() {
        let multi = |args: &[&str]| {
            let argv = std::iter::once("wxpick").chain(args.iter().copied()).map(OsString::from).collect();
            parse(argv).map(|cli| cli.unwrap().multi)
        };
        assert_eq!(multi(&[]), Ok(None));
        assert_eq!(multi(&["--multi"]), Ok(Some(None)));
        assert_eq!(multi(&["--multi=3"]), Ok(Some(Some(3))));
        assert_eq!(multi(&["-m", "--query", "555"]), Ok(Some(None)));
        let e = multi(&["--multi=0"]).unwrap_err();
        assert!(!e.contains('\n') && e.contains("--multi") && e.contains('0'), "{e}");
    }

    #[test]
    fn numeric_flags_say_what_is_wrong_with_a_negative_number() {
        for flag in ["--timeout", "--connect-timeout", "--page-size", "--concurrency"] {
            let e = parse(vec!["wxpick".into(), flag.into(), "-1".into()]).unwrap_err();
            assert!(e.contains(flag) && e.contains("-1") && !e.contains("none was supplied"), "{e}");
        }
        // -1 is still --select-1 where no number is expected.
        let cli = parse(vec!["wxpick".into(), "-1".into(), "--timeout".into(), "5".into()]).unwrap().unwrap();
        assert!(cli.select_1 && cli.timeout == 5);
    }

    #[test]
    fn phone_numbers_must_be_e164() {
        assert_eq!(parse_phone_numbers("+12056350001"), Ok("+12056350001".into()));
        assert_eq!(parse_phone_numbers("+12056350001, +441214960000"), Ok("+12056350001,+441214960000".into()));
        for bad in ["555", "12056350001", "+1", "+1205-635-0001", "+12056350001,", "+0123456", "+1234567890123456"] {
            assert!(parse_phone_numbers(bad).is_err(), "{bad:?}");
        }
        let e = parse(vec!["wxpick".into(), "--phone-number".into(), "555".into()]).unwrap_err();
        assert!(!e.contains('\n') && e.contains("--phone-number") && e.contains("E.164") && e.contains("+1"), "{e}");
    }

    #[test]
    fn later_flags_win() {
        let cli = parse(vec!["wxpick".into(), "--output".into(), "json".into(), "--output".into(), "plain".into()])
            .unwrap()
            .unwrap();
        assert_eq!(cli.output, OutputFormat::Plain);
    }
}
