//! Where a sign-in is kept: the OS credential store where one answers (macOS Keychain, Windows
//! Credential Manager, the Secret Service of a Linux desktop), else `credentials.json` in
//! wxpick's config directory (the file 0600, the directory 0700, written atomically; never in
//! the cache). `WXPICK_CREDENTIALS=file` forces the file. One sign-in per base URL.

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The keyring's service name.
const SERVICE: &str = "wxpick";
/// How long a credential store may take to answer before wxpick uses the file instead.
const KEYRING_PATIENCE: Duration = Duration::from_secs(3);

/// One stored sign-in: the client it was made with and the tokens it holds.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
pub struct SignIn {
    pub base_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub access_token: String,
    /// Unix seconds.
    pub expires_at: u64,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub refresh_expires_at: Option<u64>,
    /// `device`, `browser` or `refresh-token`.
    pub flow: String,
}

impl SignIn {
    /// Whether the access token expires within `secs` seconds from now (or has).
    pub fn expires_within(&self, secs: u64) -> bool {
        self.expires_at <= super::now_secs().saturating_add(secs)
    }

    /// Registers its secrets for redaction.
    pub fn register_secrets(&self) {
        crate::sanitize::register_secret(&self.access_token);
        crate::sanitize::register_secret(&self.client_secret);
        if let Some(r) = &self.refresh_token {
            crate::sanitize::register_secret(r);
        }
    }
}

impl fmt::Debug for SignIn {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("expires_at", &self.expires_at)
            .field("refresh_expires_at", &self.refresh_expires_at)
            .field("flow", &self.flow)
            .finish_non_exhaustive()
    }
}

/// The file's contents.
#[derive(Default, Serialize, Deserialize)]
struct FileContents {
    version: u32,
    #[serde(default)]
    sign_ins: BTreeMap<String, SignIn>,
}

/// The store. Every method blocks (file system, credential store): call it off the runtime.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    /// Whether the OS credential store is to be tried; cleared once it fails to answer.
    keyring: AtomicBool,
}

impl Store {
    /// The store of this user: `WXPICK_CONFIG_DIR`, else the platform's config directory
    /// (`~/.config/wxpick` on Linux).
    pub fn open() -> Result<Store, Error> {
        let dir = match std::env::var_os("WXPICK_CONFIG_DIR").filter(|d| !d.is_empty()) {
            Some(dir) => PathBuf::from(dir),
            None => dirs::config_dir()
                .ok_or_else(|| Error::Usage("no config directory: set WXPICK_CONFIG_DIR or HOME".into()))?
                .join("wxpick"),
        };
        let keyring = match std::env::var("WXPICK_CREDENTIALS").as_deref() {
            Ok("file") => false,
            Ok("") | Ok("auto") | Err(_) => keyring_may_answer(),
            Ok(other) => {
                return Err(Error::Usage(format!("WXPICK_CREDENTIALS={other:?}: give `file`, or leave it unset")));
            }
        };
        Ok(Store { dir, keyring: AtomicBool::new(keyring) })
    }

    /// The store in `dir`, file only (for tests).
    pub fn file_only(dir: PathBuf) -> Store {
        Store { dir, keyring: AtomicBool::new(false) }
    }

    /// The credentials file.
    pub fn file_path(&self) -> PathBuf {
        self.dir.join("credentials.json")
    }

    /// Where sign-ins go, in words.
    pub fn place(&self) -> String {
        if self.keyring.load(Ordering::Relaxed) {
            keyring_name().to_string()
        } else {
            format!("the file {}", self.file_path().display())
        }
    }

    /// The sign-in for `key`, if any.
    pub fn load(&self, key: &str) -> Result<Option<SignIn>, Error> {
        if self.keyring.load(Ordering::Relaxed) {
            let key2 = key.to_string();
            match self.with_keyring(move |e| e.get_password(), &key2) {
                Some(Ok(text)) => {
                    let sign_in: SignIn = serde_json::from_str(&text).map_err(|e| {
                        Error::Usage(format!("the stored sign-in for {key} is unreadable ({e}): run wxpick auth login"))
                    })?;
                    sign_in.register_secrets();
                    return Ok(Some(sign_in));
                }
                Some(Err(keyring::Error::NoEntry)) | None => {}
                Some(Err(e)) => self.give_up_keyring(&e),
            }
        }
        let sign_in = self.read_file()?.sign_ins.remove(key);
        if let Some(s) = &sign_in {
            s.register_secrets();
        }
        Ok(sign_in)
    }

    /// Stores the sign-in for `key`, replacing any other.
    pub fn save(&self, key: &str, sign_in: &SignIn) -> Result<(), Error> {
        sign_in.register_secrets();
        if self.keyring.load(Ordering::Relaxed) {
            let text = serde_json::to_string(sign_in).expect("serializable");
            match self.with_keyring(move |e| e.set_password(&text), key) {
                Some(Ok(())) => {
                    // A sign-in once kept in the file goes, so one place holds it.
                    self.remove_from_file(key)?;
                    return Ok(());
                }
                Some(Err(e)) => self.give_up_keyring(&e),
                None => {}
            }
        }
        let mut contents = self.read_file()?;
        contents.sign_ins.insert(key.to_string(), sign_in.clone());
        self.write_file(&contents)
    }

    /// Forgets the sign-in for `key`; whether there was one.
    pub fn delete(&self, key: &str) -> Result<bool, Error> {
        let mut found = false;
        if self.keyring.load(Ordering::Relaxed) {
            match self.with_keyring(|e| e.delete_credential(), key) {
                Some(Ok(())) => found = true,
                Some(Err(keyring::Error::NoEntry)) | None => {}
                Some(Err(e)) => self.give_up_keyring(&e),
            }
        }
        Ok(self.remove_from_file(key)? || found)
    }

    /// Takes the lock that refreshes and sign-ins hold while they read, refresh and store, so
    /// that two processes never both spend the same refresh token. Released when the file
    /// returned is dropped.
    pub fn lock(&self) -> Result<File, Error> {
        self.make_dir()?;
        let path = self.dir.join("credentials.lock");
        let mut opts = std::fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let file = opts.open(&path).map_err(|e| self.io_error(&path, &e))?;
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Usage(format!(
                        "another wxpick has held {} for a minute; try again",
                        path.display()
                    )));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(self.io_error(&path, &e)),
            }
        }
    }

    /// Runs `f` on the keyring entry of `key` on a thread of its own, waiting at most
    /// [`KEYRING_PATIENCE`]: `None` when it did not answer (the store is then not tried again).
    fn with_keyring<T: Send + 'static>(
        &self,
        f: impl FnOnce(&keyring::Entry) -> keyring::Result<T> + Send + 'static,
        key: &str,
    ) -> Option<keyring::Result<T>> {
        let key = key.to_string();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = keyring::Entry::new(SERVICE, &key).and_then(|entry| f(&entry));
            let _ = tx.send(result);
        });
        match rx.recv_timeout(KEYRING_PATIENCE) {
            Ok(result) => Some(result),
            Err(_) => {
                tracing::warn!("the credential store did not answer: using the file");
                self.keyring.store(false, Ordering::Relaxed);
                None
            }
        }
    }

    fn give_up_keyring(&self, e: &keyring::Error) {
        tracing::warn!(error = %crate::sanitize::server_text(&e.to_string(), 200), "the credential store failed: using the file");
        self.keyring.store(false, Ordering::Relaxed);
    }

    fn read_file(&self) -> Result<FileContents, Error> {
        let path = self.file_path();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileContents::default()),
            Err(e) => return Err(self.io_error(&path, &e)),
        };
        serde_json::from_str(&text).map_err(|e| {
            Error::Usage(format!("{} is unreadable ({e}): remove it and run wxpick auth login", path.display()))
        })
    }

    fn remove_from_file(&self, key: &str) -> Result<bool, Error> {
        if !self.file_path().exists() {
            return Ok(false);
        }
        let mut contents = self.read_file()?;
        if contents.sign_ins.remove(key).is_none() {
            return Ok(false);
        }
        self.write_file(&contents)?;
        Ok(true)
    }

    /// Writes the file atomically: a new 0600 file beside it, synced, then renamed over it.
    fn write_file(&self, contents: &FileContents) -> Result<(), Error> {
        self.make_dir()?;
        let path = self.file_path();
        let tmp = self.dir.join(format!(".credentials.{}.tmp", uuid::Uuid::new_v4().simple()));
        let text = serde_json::to_vec_pretty(&FileContents { version: 1, sign_ins: contents.sign_ins.clone() })
            .expect("serializable");
        let result = (|| {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                opts.mode(0o600);
            }
            let mut file = opts.open(&tmp)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(self.io_error(&path, &e));
        }
        Ok(())
    }

    /// The directory, 0700 (made so if it was not).
    fn make_dir(&self) -> Result<(), Error> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&self.dir).map_err(|e| self.io_error(&self.dir, &e))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(&self.dir).map_err(|e| self.io_error(&self.dir, &e))?;
            if meta.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| self.io_error(&self.dir, &e))?;
            }
        }
        Ok(())
    }

    fn io_error(&self, path: &Path, e: &std::io::Error) -> Error {
        Error::Usage(format!("cannot use {}: {e}", path.display()))
    }
}

/// Whether an OS credential store may answer here: always on macOS and Windows; on Linux and
/// the BSDs only with a D-Bus session (a headless machine has none, and asking would only wait).
fn keyring_may_answer() -> bool {
    if cfg!(any(target_os = "macos", target_os = "windows")) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty())
}

fn keyring_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "the Windows Credential Manager"
    } else {
        "the Secret Service"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_in(token: &str) -> SignIn {
        SignIn {
            base_url: "https://webexapis.com/v1".into(),
            client_id: "C".into(),
            client_secret: "S3cret-value".into(),
            access_token: token.into(),
            expires_at: super::super::now_secs() + 3600,
            refresh_token: Some("refresh-token-1".into()),
            refresh_expires_at: None,
            flow: "device".into(),
        }
    }

    #[test]
    fn the_file_is_private_atomic_and_keeps_one_sign_in_per_base_url() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("wxpick");
        let store = Store::file_only(dir.clone());
        assert_eq!(store.load("a").unwrap(), None);
        store.save("a", &sign_in("access-a-1")).unwrap();
        store.save("b", &sign_in("access-b-1")).unwrap();
        store.save("a", &sign_in("access-a-2")).unwrap();
        assert_eq!(store.load("a").unwrap().unwrap().access_token, "access-a-2");
        assert_eq!(store.load("b").unwrap().unwrap().access_token, "access-b-1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&store.file_path()), 0o600);
        }
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("credentials.json")], "no temporary file left");
        assert!(store.delete("a").unwrap());
        assert!(!store.delete("a").unwrap());
        assert_eq!(store.load("a").unwrap(), None);
        assert!(store.load("b").unwrap().is_some());
        assert!(!format!("{:?}", sign_in("access-x")).contains("access-x"));
    }

    #[cfg(unix)]
    #[test]
    fn a_too_open_directory_is_made_private() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("wxpick");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        Store::file_only(dir.clone()).save("a", &sign_in("access-a-1")).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    }
}
