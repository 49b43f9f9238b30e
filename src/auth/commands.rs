//! `wxpick auth login | status | token | logout`.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

use super::session::{blocking, updated};
use super::{OAuth, SignIn, Store, TokenReply, browser, device, now_secs, sign_in_key};
use crate::app::Outcome;
use crate::cli::{AuthAction, Cli, LoginArgs};
use crate::config::{self, TokenSource};
use crate::error::Error;
use crate::webex::Token;

/// The demo server's integration, used by `wxpick --demo auth login` when none is given.
#[cfg(feature = "demo")]
const DEMO_CLIENT: Option<(&str, &str)> = Some((crate::demo::auth::CLIENT_ID, crate::demo::auth::CLIENT_SECRET));
#[cfg(not(feature = "demo"))]
const DEMO_CLIENT: Option<(&str, &str)> = None;

/// Runs one `wxpick auth` action.
pub async fn run(cli: &Cli, action: &AuthAction) -> Result<Outcome, Error> {
    let (base, _server) = base_url(cli).await?;
    let key = sign_in_key(&base, cli.demo);
    let timeout = Duration::from_secs(cli.timeout);
    match action {
        AuthAction::Login(args) => login(cli, args, &base, &key, timeout).await,
        AuthAction::Status => status(cli, &base, &key, timeout).await,
        AuthAction::Token => {
            let (token, _, _) = usable_token(cli, &base, &key, timeout).await?;
            Ok(Outcome::Text(format!("{}\n", token.expose())))
        }
        AuthAction::Logout => {
            let store = Arc::new(Store::open()?);
            let (s, k) = (Arc::clone(&store), key.clone());
            let found = blocking(move || {
                let _lock = s.lock()?;
                s.delete(&k)
            })
            .await?;
            let said = if found {
                format!("signed out of {key}: its tokens and client secret are forgotten")
            } else {
                format!("not signed in to {key}: nothing to forget")
            };
            say(&said);
            Ok(Outcome::Text(String::new()))
        }
    }
}

/// The API's base URL: `--base-url`, or the demo server's (started here, kept while it runs).
async fn base_url(cli: &Cli) -> Result<(Url, Option<()>), Error> {
    if cli.demo {
        #[cfg(feature = "demo")]
        {
            let server = crate::demo::start(crate::demo::DemoOptions::default()).await?;
            return Ok((server.base_url, Some(())));
        }
        #[cfg(not(feature = "demo"))]
        return Err(Error::Usage("this wxpick was built without the demo server (cargo feature `demo`)".into()));
    }
    Ok((config::check_base_url(&cli.base_url, cli.insecure_http)?, None))
}

async fn login(cli: &Cli, args: &LoginArgs, base: &Url, key: &str, timeout: Duration) -> Result<Outcome, Error> {
    let demo = if cli.demo { DEMO_CLIENT } else { None };
    let client_id = match args.client_id.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(id) => id.to_string(),
        None => match demo {
            Some((id, _)) => id.to_string(),
            None => ask("Client ID of the Webex integration: ", false)?,
        },
    };
    let client_secret = match std::env::var("WXPICK_CLIENT_SECRET").ok().filter(|s| !s.trim().is_empty()) {
        Some(s) => s,
        None => match demo {
            Some((_, secret)) => secret.to_string(),
            None => ask("Client secret (not shown): ", true)?,
        },
    };
    crate::sanitize::register_secret(&client_secret);
    let oauth = OAuth::new(base, &client_id, &client_secret, timeout)?;
    let (reply, flow): (TokenReply, &str) = if let Some(path) = &args.refresh_token_file {
        let refresh_token = read_refresh_token(path).await?;
        (oauth.refresh(&refresh_token).await?, "refresh-token")
    } else if args.browser {
        (browser::sign_in(&oauth, &args.scopes, args.port).await?, "browser")
    } else {
        (device::sign_in(&oauth, &args.scopes).await?, "device")
    };
    let blank = SignIn {
        base_url: base.to_string(),
        client_id,
        client_secret,
        access_token: String::new(),
        expires_at: 0,
        refresh_token: None,
        refresh_expires_at: None,
        flow: flow.into(),
    };
    let sign_in = updated(&blank, &reply);
    if sign_in.refresh_token.is_none() {
        say(
            "note: the token endpoint gave no refresh token: wxpick will need a new sign-in when the access token expires",
        );
    }
    let store = Arc::new(Store::open()?);
    let (s, k, si) = (Arc::clone(&store), key.to_string(), sign_in.clone());
    blocking(move || {
        let _lock = s.lock()?;
        s.save(&k, &si)
    })
    .await?;
    // Where it went: the credential store may have failed and the file taken it.
    let place = store.place();
    let token = Token::new(&sign_in.access_token).map_err(Error::Auth)?;
    let who = match oauth.me(&token).await {
        Ok(me) => format!(" as {}", person(&me)),
        Err(_) => String::new(),
    };
    say(&format!("signed in to {key}{who}; the sign-in is kept in {place}"));
    Ok(Outcome::Text(String::new()))
}

/// A token to use now, from where the app would take it, refreshed first if it is a stored
/// sign-in's that expires within 5 minutes.
async fn usable_token(
    cli: &Cli,
    base: &Url,
    key: &str,
    timeout: Duration,
) -> Result<(Token, TokenSource, Option<SignIn>), Error> {
    let mut warnings = Vec::new();
    let token_file = cli.token_file.clone();
    let given = tokio::task::spawn_blocking(move || {
        let r = config::given_token(token_file.as_deref(), &mut |m| warnings.push(m));
        (r, warnings)
    })
    .await
    .map_err(|e| Error::Usage(e.to_string()))?;
    given.1.iter().for_each(|w| say(w));
    if let Some((token, source)) = given.0? {
        return Ok((token, source, None));
    }
    let store = Arc::new(Store::open()?);
    match super::Session::open(store, key, base, timeout).await? {
        Some(session) => Ok((session.token(), TokenSource::SignIn(session.place()), Some(session.sign_in()))),
        None => Err(Error::NotSignedIn(format!(
            "not signed in to {key}: run wxpick auth login (or set WEBEX_ACCESS_TOKEN)"
        ))),
    }
}

/// The lists that each scope opens, and a path that needs it.
const SCOPE_PROBES: [(&str, &str, &str); 4] = [
    ("telephony/config/locations", "spark-admin:telephony_config_read", "every list of numbers, virtual lines"),
    ("locations", "spark-admin:locations_read", "locations by name outside Webex Calling"),
    ("people", "spark-admin:people_read", "people"),
    ("workspaces", "spark-admin:workspaces_read", "workspaces"),
];

async fn status(cli: &Cli, base: &Url, key: &str, timeout: Duration) -> Result<Outcome, Error> {
    let (token, source, sign_in) = match usable_token(cli, base, key, timeout).await {
        Ok(t) => t,
        Err(Error::NotSignedIn(m)) => return Err(Error::NotSignedIn(m)),
        Err(e) => return Err(Error::NotSignedIn(e.to_string())),
    };
    let oauth = OAuth::new(base, "", "", timeout)?;
    let mut out = format!("{key}\n");
    match oauth.me(&token).await {
        Ok(me) => {
            out.push_str(&format!("  signed in as   {}\n", person(&me)));
            let org = me.org_id.as_deref().map(org_text).unwrap_or_else(|| "unknown".into());
            out.push_str(&format!("  organization   {org}\n"));
        }
        Err((Some(401), why)) => {
            return Err(Error::NotSignedIn(format!(
                "the token from {source} was refused ({why}): run wxpick auth login, or give a new token"
            )));
        }
        // A token without the scope to read its own person still lists numbers.
        Err((Some(403), why)) => out.push_str(&format!("  signed in as   unknown (GET /people/me refused: {why})\n")),
        Err((_, why)) => return Err(Error::Auth(format!("cannot ask who is signed in: {why}"))),
    }
    out.push_str(&format!("  token from     {source}\n"));
    match &sign_in {
        Some(s) => {
            out.push_str(&format!("  access token   expires {}\n", when(s.expires_at)));
            let refresh = match (&s.refresh_token, s.refresh_expires_at) {
                (None, _) => "none".to_string(),
                (Some(_), Some(at)) => format!("expires {}", when(at)),
                (Some(_), None) => "expiry not given by the server".to_string(),
            };
            out.push_str(&format!("  refresh token  {refresh}\n"));
        }
        None => out.push_str("  access token   expiry unknown (a token given outright)\n"),
    }
    let mut refused = Vec::new();
    for (path, scope, lists) in SCOPE_PROBES {
        if oauth.probe(&token, path).await == Some(403) {
            refused.push(format!("{lists} (needs {scope})"));
        }
    }
    if refused.is_empty() {
        out.push_str("  lists          none refused\n");
    } else {
        out.push_str(&format!("  refused        {}\n", refused.join("; ")));
    }
    Ok(Outcome::Text(out))
}

/// `Ada Lovelace <ada@example.com>`, escaped.
fn person(me: &super::oauth::Me) -> String {
    let name = me.display_name.as_deref().map(|n| crate::sanitize::one_line(n, 80));
    let email = me.emails.first().map(|e| crate::sanitize::one_line(e, 120));
    match (name, email) {
        (Some(n), Some(e)) => format!("{n} <{e}>"),
        (Some(n), None) => n,
        (None, Some(e)) => e,
        (None, None) => "(no name given)".into(),
    }
}

/// An organization's ID, with the UUID it holds when it decodes to `ciscospark://.../ORGANIZATION/<uuid>`.
fn org_text(id: &str) -> String {
    use base64::Engine;
    let shown = crate::sanitize::one_line(id, 120);
    let decoded = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(id.trim_end_matches('='))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(id.trim_end_matches('=')))
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    match decoded.as_deref().and_then(|d| d.rsplit_once("/ORGANIZATION/")) {
        Some((_, uuid)) => format!("{} ({shown})", crate::sanitize::one_line(uuid, 60)),
        None => shown,
    }
}

/// `2026-12-07 10:22 UTC (in 13 h 59 min)`.
fn when(at: u64) -> String {
    let now = now_secs();
    let date = httpdate::fmt_http_date(std::time::UNIX_EPOCH + Duration::from_secs(at));
    let rel = if at <= now { "expired".to_string() } else { format!("in {}", span(at - now)) };
    format!("{date} ({rel})")
}

fn span(secs: u64) -> String {
    match secs {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 3600 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        s if s >= 60 => format!("{} min", s / 60),
        s => format!("{s} s"),
    }
}

async fn read_refresh_token(path: &Path) -> Result<String, Error> {
    let p = path.to_path_buf();
    let text = tokio::task::spawn_blocking(move || {
        let file = std::fs::File::open(&p)?;
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::Read::take(file, 8 * 1024), &mut text)?;
        Ok::<_, std::io::Error>(text)
    })
    .await
    .map_err(|e| Error::Usage(e.to_string()))?
    .map_err(|e| Error::Usage(format!("--refresh-token-file {}: {e}", path.display())))?;
    let token = text.trim();
    if token.is_empty() || token.lines().count() > 1 || token.bytes().any(|b| !(0x21..=0x7e).contains(&b)) {
        return Err(Error::Usage(format!(
            "--refresh-token-file {} must hold only the refresh token, on one line",
            path.display()
        )));
    }
    crate::sanitize::register_secret(token);
    Ok(token.to_string())
}

/// Asks on the terminal (not stdout), without echo for a secret.
fn ask(prompt: &str, secret: bool) -> Result<String, Error> {
    let missing = if secret {
        "no client secret: set WXPICK_CLIENT_SECRET, or run wxpick auth login in a terminal to be asked"
    } else {
        "no client ID: give --client-id ID or set WXPICK_CLIENT_ID"
    };
    let answer = if secret {
        rpassword::prompt_password(prompt).map_err(|_| Error::Usage(missing.into()))?
    } else {
        use std::io::BufRead;
        let tty = std::fs::OpenOptions::new().read(true).write(true).open(tty_path());
        let mut tty = tty.map_err(|_| Error::Usage(missing.into()))?;
        let _ = tty.write_all(prompt.as_bytes());
        let mut line = String::new();
        std::io::BufReader::new(tty).read_line(&mut line).map_err(|_| Error::Usage(missing.into()))?;
        line
    };
    let answer = answer.trim().to_string();
    if answer.is_empty() {
        return Err(Error::Usage(missing.into()));
    }
    Ok(answer)
}

fn tty_path() -> &'static str {
    if cfg!(windows) { "CONIN$" } else { "/dev/tty" }
}

/// One line on stderr.
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "wxpick: {}", crate::sanitize::redact(text));
}
