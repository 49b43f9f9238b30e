//! The cache from a script's side: the built binary against a local server whose list changes
//! between runs. Scripts get the truth: they read the cache only when `--max-age` allows it.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{LIST_LOCATION, ListServer};

const FIRST: [&str; 3] = ["+12056350001", "+12056350002", "+12056350003"];
const SECOND: [&str; 2] = ["+12056350003", "+12056350004"];

/// `wxpick ARGS` against `server`'s list, with its cache in `cache` (none: `--no-cache`).
fn run(server: &wiremock::MockServer, cache: Option<&Path>, args: &[&str]) -> Output {
    run_as("tok-CACHE-0123456789", server, cache, args)
}

/// [`run`] with this token.
fn run_as(token: &str, server: &wiremock::MockServer, cache: Option<&Path>, args: &[&str]) -> Output {
    command(token, server, cache, args).output().expect("wxpick runs")
}

/// [`run`], killed (and the test failed) if it takes more than a minute: for runs that hung.
fn run_guarded(server: &wiremock::MockServer, cache: Option<&Path>, args: &[&str]) -> Output {
    let mut child = command("tok-CACHE-0123456789", server, cache, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wxpick runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wxpick hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn command(token: &str, server: &wiremock::MockServer, cache: Option<&Path>, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpick"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().to_string();
        if name.starts_with("WEBEX_") || name.starts_with("WXPICK_") || name.to_lowercase().ends_with("_proxy") {
            cmd.env_remove(&name);
        }
    }
    match cache {
        Some(dir) => cmd.env("WXPICK_CACHE_DIR", dir),
        None => cmd.env("WXPICK_NO_CACHE", "1"),
    };
    cmd.env("WEBEX_ACCESS_TOKEN", token)
        .args(["--base-url", &format!("{}/v1", server.uri()), "--location", LIST_LOCATION])
        .args(["--page-size", "2", "--concurrency", "1"])
        .args(args)
        .stdin(Stdio::null());
    cmd
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "exit {:?}: {}", out.status.code(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn lines(numbers: &[&str]) -> String {
    numbers.iter().map(|n| format!("{n}\n")).collect()
}

fn cache_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries.map(|e| e.unwrap().path()).filter(|p| p.extension() == Some("cache".as_ref())).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn filter_reads_the_cache_only_when_max_age_allows_it() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("wxpick");
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", "", "--output", "e164"]));
    assert_eq!(stdout(&out), lines(&FIRST));
    assert_eq!(list.pages(), 3, "two pages of two, then the empty one");
    assert_eq!(cache_files(&dir).len(), 1, "the complete list is kept");
    list.set(&SECOND);
    // Without --max-age, the server's list, never the cached one (and it replaces it).
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", ""]));
    assert_eq!(stdout(&out), lines(&SECOND));
    assert_eq!(list.pages(), 3 + 2);
    // With --max-age, the cached list (now the second one): no request at all.
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", "", "--max-age", "10m"]));
    assert_eq!(stdout(&out), lines(&SECOND));
    assert_eq!(list.pages(), 5, "no request");
    assert!(list.checks().is_empty());
    // ... and says so, with the list's age.
    let said = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(said, "wxpick: the list is from the cache, saved 0 s ago (--max-age)\n");
    // --select-1 takes it too, after asking for just its one match.
    let out =
        tokio::task::block_in_place(|| run(&server, Some(&dir), &["--select-1", "-q", "0004", "--max-age", "1h"]));
    assert_eq!(stdout(&out), "+12056350004\n");
    assert_eq!(list.pages(), 5, "no page request");
    assert_eq!(list.checks(), ["+12056350004"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn select_1_on_a_cached_list_never_prints_a_number_the_server_no_longer_has() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    tokio::task::block_in_place(|| stdout(&run(&server, Some(cache.path()), &["--filter", ""])));
    list.set(&SECOND);
    let pages = list.pages();
    let args = ["--select-1", "--exit-0", "-q", "0001", "--max-age", "1h"];
    let out = tokio::task::block_in_place(|| run(&server, Some(cache.path()), &args));
    assert_eq!(out.status.code(), Some(1), "no match on the server's list: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty(), "never printed: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(list.checks(), ["+12056350001"]);
    assert!(list.pages() > pages, "the list was loaded again");
}

#[tokio::test(flavor = "multi_thread")]
async fn max_age_refuses_an_older_list_and_no_cache_writes_nothing() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    // --no-cache with the cache directory set: nothing is written there.
    let out = tokio::task::block_in_place(|| run(&server, Some(cache.path()), &["--filter", "", "--no-cache"]));
    assert_eq!(stdout(&out), lines(&FIRST));
    assert!(std::fs::read_dir(cache.path()).unwrap().next().is_none());
    tokio::task::block_in_place(|| stdout(&run(&server, Some(cache.path()), &["--filter", ""])));
    // Make the kept list ten minutes old.
    let file = &cache_files(cache.path())[0];
    let text = std::fs::read_to_string(file).unwrap();
    let (header, body) = text.split_once('\n').unwrap();
    let mut header: serde_json::Value = serde_json::from_str(header).unwrap();
    header["saved_at"] = (header["saved_at"].as_u64().unwrap() - 600).into();
    std::fs::write(file, format!("{header}\n{body}")).unwrap();
    list.set(&SECOND);
    let before = list.pages();
    let out = tokio::task::block_in_place(|| run(&server, Some(cache.path()), &["--filter", "", "--max-age", "5m"]));
    assert_eq!(stdout(&out), lines(&SECOND), "too old: loaded again");
    assert!(list.pages() > before);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_corrupt_cache_file_is_ignored_and_replaced() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    tokio::task::block_in_place(|| stdout(&run(&server, Some(cache.path()), &["--filter", ""])));
    let file = cache_files(cache.path()).remove(0);
    std::fs::write(&file, b"\x00not a cache\n{\"phoneNumbers\":[{").unwrap();
    let before = list.pages();
    let out = tokio::task::block_in_place(|| run(&server, Some(cache.path()), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&FIRST), "loaded from the server");
    assert!(out.stderr.is_empty(), "not an error: {}", String::from_utf8_lossy(&out.stderr));
    assert!(list.pages() > before);
    // Replaced by the list just loaded: the next run reads it.
    let out = tokio::task::block_in_place(|| run(&server, Some(cache.path()), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&FIRST));
    assert!(std::fs::read(&file).unwrap().starts_with(b"{\"wxpick_cache\":1,"));
}

#[test]
fn cache_path_and_clear() {
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("c");
    let wxpick = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_wxpick")).env("WXPICK_CACHE_DIR", &dir).args(args).output().unwrap()
    };
    assert_eq!(stdout(&wxpick(&["cache", "path"])), format!("{}\n", dir.display()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("list-0123456789abcdef.cache"), "x").unwrap();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    assert_eq!(stdout(&wxpick(&["cache", "clear"])), format!("removed 1 cached list from {}\n", dir.display()));
    assert!(cache_files(&dir).is_empty() && dir.join("notes.txt").exists());
    // Without WXPICK_CACHE_DIR, the platform's place: XDG_CACHE_HOME on Linux.
    #[cfg(target_os = "linux")]
    {
        let out = Command::new(env!("CARGO_BIN_EXE_wxpick"))
            .env_remove("WXPICK_CACHE_DIR")
            .env("XDG_CACHE_HOME", cache.path())
            .args(["cache", "path"])
            .output()
            .unwrap();
        assert_eq!(stdout(&out), format!("{}\n", cache.path().join("wxpick").display()));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_lists_of_two_organizations_are_kept_apart() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    let org_a = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY_PF84_0f1c3b2a-1111-4c5d-9e8f-0123456789ab";
    let org_b = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY_PF84_9a8b7c6d-2222-4c5d-9e8f-0123456789ab";
    let out = tokio::task::block_in_place(|| run_as(org_a, &server, Some(cache.path()), &["--filter", ""]));
    assert_eq!(stdout(&out), lines(&FIRST));
    list.set(&SECOND);
    let pages = list.pages();
    // The same base URL and list, another organization's token: not organization A's list.
    let args = ["--filter", "", "--max-age", "1h"];
    let out = tokio::task::block_in_place(|| run_as(org_b, &server, Some(cache.path()), &args));
    assert_eq!(stdout(&out), lines(&SECOND));
    assert!(list.pages() > pages, "loaded from the server");
    assert_eq!(cache_files(cache.path()).len(), 2, "one list each");
    // Organization A's list is still there for A (a new token of A's finds it too).
    let pages = list.pages();
    let a_again = org_a.replace("QUJD", "WFla");
    let out = tokio::task::block_in_place(|| run_as(&a_again, &server, Some(cache.path()), &args));
    assert_eq!(stdout(&out), lines(&FIRST));
    assert_eq!(list.pages(), pages, "no request");
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fifo_or_a_link_in_a_lists_place_is_ignored_not_waited_on() {
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    tokio::task::block_in_place(|| stdout(&run(&server, Some(cache.path()), &["--filter", ""])));
    let file = cache_files(cache.path()).remove(0);
    // A FIFO: opening it to read would wait for a writer that never comes.
    std::fs::remove_file(&file).unwrap();
    mkfifo(&file);
    list.set(&SECOND);
    let out =
        tokio::task::block_in_place(|| run_guarded(&server, Some(cache.path()), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&SECOND), "loaded from the server");
    // The list just loaded took the FIFO's place.
    assert!(std::fs::symlink_metadata(&file).unwrap().is_file());
    // A link to a FIFO elsewhere, and a link to a good list: neither is followed.
    let elsewhere = tempfile::tempdir().unwrap();
    let good = elsewhere.path().join("good.cache");
    std::fs::copy(&file, &good).unwrap();
    let fifo = elsewhere.path().join("fifo");
    mkfifo(&fifo);
    for target in [&fifo, &good] {
        std::fs::remove_file(&file).unwrap();
        std::os::unix::fs::symlink(target, &file).unwrap();
        let before = list.pages();
        let out = tokio::task::block_in_place(|| {
            run_guarded(&server, Some(cache.path()), &["--filter", "", "--max-age", "1d"])
        });
        assert_eq!(stdout(&out), lines(&SECOND));
        assert!(list.pages() > before, "not read through the link to {target:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cache_directory_others_can_write_to_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    let (server, list) = ListServer::start(&FIRST).await;
    let cache = tempfile::tempdir().unwrap();
    let dir = cache.path().join("shared");
    // A list planted by someone else, in a directory everyone may write to.
    tokio::task::block_in_place(|| stdout(&run(&server, Some(&dir), &["--filter", ""])));
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    list.set(&SECOND);
    let before = list.pages();
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&SECOND), "the server's list, not the planted one");
    assert!(list.pages() > before);
    let said = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(said.lines().count(), 1, "one warning line: {said}");
    assert!(
        said.starts_with("wxpick: warning: not using the cache: ") && said.contains("writable by every user"),
        "{said}"
    );
    let file = cache_files(&dir).remove(0);
    assert!(std::fs::read_to_string(&file).unwrap().contains("+12056350001"), "nothing written there");
    // Group-writable: the same.
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o770)).unwrap();
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&SECOND));
    assert!(String::from_utf8(out.stderr).unwrap().contains("writable by its group"));
    // A symbolic link to a private directory: refused too (the link could be swapped).
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    let link = cache.path().join("link");
    std::os::unix::fs::symlink(&dir, &link).unwrap();
    let out = tokio::task::block_in_place(|| run(&server, Some(&link), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&SECOND));
    assert!(String::from_utf8(out.stderr).unwrap().contains("symbolic link"));
    // Made private again, it is used.
    let before = list.pages();
    let out = tokio::task::block_in_place(|| run(&server, Some(&dir), &["--filter", "", "--max-age", "1d"]));
    assert_eq!(stdout(&out), lines(&FIRST), "the list kept there");
    assert_eq!(list.pages(), before, "no request");
}
