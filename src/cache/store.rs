//! The cache directory: where lists are kept, how they are written (a temporary file renamed
//! over the old one, mode 0600, in a directory of mode 0700) and how it is kept bounded.

use std::fs;
use std::io::{BufWriter, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::file::{self, CacheError, Entry, Item};
use super::key::Key;
use crate::safe_fs::{check_private_dir, create_private_dir, create_private_file, open_regular};

/// The variable that moves the cache (for tests, or a machine with an odd home).
pub const DIR_VAR: &str = "WXPICK_CACHE_DIR";

const SUFFIX: &str = ".cache";
const TEMP_SUFFIX: &str = ".tmp";
const PREFIX: &str = "list-";

/// How much the cache may hold: the oldest lists go first.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub files: usize,
    pub bytes: u64,
}

impl Default for Bounds {
    /// 32 lists, 256 MiB in all (a list of a million numbers is about 150 MB).
    fn default() -> Self {
        Bounds { files: 32, bytes: 256 << 20 }
    }
}

/// A cache directory.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    bounds: Bounds,
}

impl Cache {
    pub fn new(dir: PathBuf, bounds: Bounds) -> Self {
        Cache { dir, bounds }
    }

    /// `WXPICK_CACHE_DIR`, else the platform's cache directory + `wxpick` (`$XDG_CACHE_HOME/wxpick`
    /// or `~/.cache/wxpick` on Linux, `~/Library/Caches/wxpick` on macOS).
    pub fn default_dir() -> Result<PathBuf, CacheError> {
        match std::env::var_os(DIR_VAR).filter(|v| !v.is_empty()) {
            Some(dir) => Ok(PathBuf::from(dir)),
            None => dirs::cache_dir().map(|d| d.join("wxpick")).ok_or(CacheError::NoDirectory),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether the directory may be trusted with lists: the user's own, writable by nobody
    /// else, not a symbolic link (a directory yet to be made is fine: it is made private).
    pub fn check(&self) -> Result<(), CacheError> {
        check_private_dir(&self.dir).map_err(|e| CacheError::Unsafe(e.0))
    }

    fn path_of(&self, key: &Key) -> PathBuf {
        self.dir.join(format!("{}{SUFFIX}", key.stem()))
    }

    /// `key`'s list, if the cache has it and it is at most `max_age` old. A file that cannot be
    /// read as that list is ignored (the next save replaces it), and logged.
    pub fn load<T: Item>(&self, key: &Key, max_age: Option<std::time::Duration>) -> Option<Entry<T>> {
        let path = self.path_of(key);
        let read = || -> Result<Entry<T>, CacheError> {
            self.check()?;
            let f = open_regular(&path)?;
            let len = f.metadata()?.len();
            if len > self.bounds.bytes {
                return Err(CacheError::TooLarge { bytes: len, limit: self.bounds.bytes });
            }
            let mut bytes = Vec::with_capacity(len as usize);
            f.take(self.bounds.bytes + 1).read_to_end(&mut bytes)?;
            file::read(&bytes, key, SystemTime::now())
        };
        match read() {
            Ok(entry) if max_age.is_some_and(|max| entry.age > max) => {
                tracing::info!(path = %path.display(), age = ?entry.age, "cached list too old");
                None
            }
            Ok(entry) => {
                tracing::info!(path = %path.display(), numbers = entry.records.len(), age = ?entry.age, "cached list read");
                Some(entry)
            }
            Err(CacheError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cache file ignored");
                None
            }
        }
    }

    /// Keeps `records` as `key`'s list: written to a temporary file, then renamed over the old
    /// one, so a reader sees the old list or the new one, never a part. Then the oldest lists
    /// go until the cache is within its bounds.
    pub fn save<T: Item>(&self, key: &Key, records: &[T]) -> Result<(), CacheError> {
        create_private_dir(&self.dir)?;
        self.check()?;
        let path = self.path_of(key);
        let temp =
            self.dir.join(format!(".{}.{}.{:08x}{TEMP_SUFFIX}", key.stem(), std::process::id(), fastrand::u32(..)));
        let written = (|| -> Result<u64, CacheError> {
            let f = create_private_file(&temp)?;
            let mut w = BufWriter::with_capacity(1 << 16, f);
            file::write(&mut w, key, records, SystemTime::now())?;
            let f = w.into_inner().map_err(|e| e.into_error())?;
            f.sync_all()?;
            Ok(f.metadata()?.len())
        })();
        let bytes = match written {
            Ok(bytes) if bytes > self.bounds.bytes => Err(CacheError::TooLarge { bytes, limit: self.bounds.bytes }),
            other => other,
        };
        if let Err(e) = bytes.and_then(|_| fs::rename(&temp, &path).map_err(CacheError::from)) {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        tracing::info!(path = %path.display(), numbers = records.len(), "list cached");
        self.prune(&path);
        Ok(())
    }

    /// Removes the oldest lists (by modification time) until the cache is within its bounds;
    /// `keep` (the list just written) stays.
    fn prune(&self, keep: &Path) {
        let Ok(dir) = fs::read_dir(&self.dir) else { return };
        let entries: Vec<fs::DirEntry> = dir.filter_map(Result::ok).collect();
        // Temporary files left by a run that was killed while writing, once surely abandoned.
        for e in entries.iter().filter(|e| is_temp_file(&e.file_name().to_string_lossy())) {
            let old = e.metadata().and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|a| a > ABANDONED));
            if old {
                let _ = fs::remove_file(e.path());
            }
        }
        let mut files: Vec<(SystemTime, u64, PathBuf)> = entries
            .into_iter()
            .filter(|e| is_list_file(&e.file_name().to_string_lossy()))
            .filter_map(|e| {
                let meta = e.metadata().ok()?;
                Some((meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len(), e.path()))
            })
            .collect();
        // Newest first; the one just written counts as the newest whatever the clock says.
        files.sort_by(|a, b| (b.2 == keep).cmp(&(a.2 == keep)).then(b.0.cmp(&a.0)).then(a.2.cmp(&b.2)));
        let mut total = 0;
        for (i, (_, len, path)) in files.iter().enumerate() {
            total += len;
            if (i >= self.bounds.files || total > self.bounds.bytes) && path != keep {
                match fs::remove_file(path) {
                    Ok(()) => tracing::info!(path = %path.display(), "cached list dropped (cache bounds)"),
                    Err(e) => tracing::warn!(path = %path.display(), error = %e, "cannot drop a cached list"),
                }
                total -= len;
            }
        }
    }

    /// Removes every list (and temporary file) this cache holds; returns how many lists.
    pub fn clear(&self) -> Result<usize, CacheError> {
        let dir = match fs::read_dir(&self.dir) {
            Ok(dir) => dir,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e.into()),
        };
        let mut lists = 0;
        for entry in dir {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let temp = is_temp_file(&name);
            if is_list_file(&name) || temp {
                fs::remove_file(entry.path())?;
                lists += usize::from(!temp);
            }
        }
        Ok(lists)
    }
}

fn is_list_file(name: &str) -> bool {
    name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

fn is_temp_file(name: &str) -> bool {
    name.strip_prefix('.').is_some_and(|n| n.starts_with(PREFIX)) && name.ends_with(TEMP_SUFFIX)
}

/// A temporary file this old is no write in progress.
const ABANDONED: std::time::Duration = std::time::Duration::from_secs(3600);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::{NumberRecord, State};
    use std::time::Duration;

    fn key(n: u32) -> Key {
        Key::for_list("https://x/v1", &reqwest::Url::parse(&format!("https://x/v1/locations/L{n}/numbers")).unwrap())
    }

    fn records(n: usize) -> Vec<NumberRecord> {
        (0..n).map(|i| NumberRecord::new(&format!("+1205635{i:04}"), State::Active, false, false, false)).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_saved_list_is_read_back_and_written_private() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().join("a/wxpick"), Bounds::default());
        assert!(cache.load::<NumberRecord>(&key(1), None).is_none());
        cache.save(&key(1), &records(3)).unwrap();
        let entry = cache.load::<NumberRecord>(&key(1), None).expect("the list just saved");
        assert_eq!(entry.records.len(), 3);
        assert!(entry.age < Duration::from_secs(60));
        assert!(cache.load::<NumberRecord>(&key(1), Some(Duration::from_secs(3600))).is_some());
        assert!(cache.load::<NumberRecord>(&key(2), None).is_none(), "another list");
        // Only the list's file: the temporary file was renamed over it.
        assert_eq!(names(cache.dir()), vec![format!("{}.cache", key(1).stem())]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&cache.path_of(&key(1))), 0o600);
            assert_eq!(mode(cache.dir()), 0o700);
        }
    }

    #[test]
    fn a_save_replaces_the_list_atomically() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf(), Bounds::default());
        cache.save(&key(1), &records(3)).unwrap();
        let path = cache.path_of(&key(1));
        #[cfg(unix)]
        let before = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap());
        cache.save(&key(1), &records(5)).unwrap();
        assert_eq!(cache.load::<NumberRecord>(&key(1), None).unwrap().records.len(), 5);
        // A new file took the name (rename), rather than the old one being rewritten in place.
        #[cfg(unix)]
        assert_ne!(std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap()), before);
        assert_eq!(names(cache.dir()).len(), 1);
    }

    #[test]
    fn corrupt_and_foreign_files_are_ignored_then_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf(), Bounds::default());
        let path = cache.path_of(&key(1));
        for bad in [&b"garbage"[..], b"", b"{\"wxpick_cache\":99}\n", b"\x00\x01\x02\n{"] {
            fs::write(&path, bad).unwrap();
            assert!(cache.load::<NumberRecord>(&key(1), None).is_none(), "{bad:?}");
        }
        // Another list's file under this name (a hash collision, or a copied file).
        cache.save(&key(2), &records(2)).unwrap();
        fs::copy(cache.path_of(&key(2)), &path).unwrap();
        assert!(cache.load::<NumberRecord>(&key(1), None).is_none());
        cache.save(&key(1), &records(4)).unwrap();
        assert_eq!(cache.load::<NumberRecord>(&key(1), None).unwrap().records.len(), 4);
    }

    #[test]
    fn too_old_is_a_miss() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf(), Bounds::default());
        cache.save(&key(1), &records(1)).unwrap();
        let text = fs::read_to_string(cache.path_of(&key(1))).unwrap();
        let (header, body) = text.split_once('\n').unwrap();
        let mut header: serde_json::Value = serde_json::from_str(header).unwrap();
        let saved = header["saved_at"].as_u64().unwrap();
        header["saved_at"] = (saved - 600).into();
        fs::write(cache.path_of(&key(1)), format!("{header}\n{body}")).unwrap();
        assert!(cache.load::<NumberRecord>(&key(1), Some(Duration::from_secs(300))).is_none());
        let entry = cache.load::<NumberRecord>(&key(1), Some(Duration::from_secs(900))).unwrap();
        assert!(entry.age >= Duration::from_secs(600));
    }

    /// Sets a file's modification time `secs_ago` seconds back.
    fn age(path: &Path, secs_ago: u64) {
        let f = fs::File::options().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(secs_ago)).unwrap();
    }

    #[test]
    fn the_oldest_lists_go_first_when_there_are_too_many() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf(), Bounds { files: 3, bytes: 1 << 20 });
        for n in 1..=3 {
            cache.save(&key(n), &records(2)).unwrap();
        }
        age(&cache.path_of(&key(1)), 100);
        age(&cache.path_of(&key(2)), 300);
        age(&cache.path_of(&key(3)), 200);
        fs::write(tmp.path().join("unrelated.txt"), "mine").unwrap();
        // A write cut short long ago, and one that may still be going on.
        let (abandoned, recent) = (tmp.path().join(".list-1.1.1.tmp"), tmp.path().join(".list-2.2.2.tmp"));
        fs::write(&abandoned, "partial").unwrap();
        fs::write(&recent, "partial").unwrap();
        age(&abandoned, 7200);
        cache.save(&key(4), &records(2)).unwrap();
        assert!(!abandoned.exists() && recent.exists());
        assert!(cache.load::<NumberRecord>(&key(2), None).is_none(), "the oldest went");
        for n in [1, 3, 4] {
            assert!(cache.load::<NumberRecord>(&key(n), None).is_some(), "list {n} stays");
        }
        assert!(tmp.path().join("unrelated.txt").exists(), "only wxpick's files are touched");
    }

    #[test]
    fn the_oldest_lists_go_first_when_the_cache_is_too_large() {
        let tmp = tempfile::tempdir().unwrap();
        let probe = Cache::new(tmp.path().join("probe"), Bounds::default());
        probe.save(&key(1), &records(100)).unwrap();
        let one = fs::metadata(probe.path_of(&key(1))).unwrap().len();
        // Room for two lists of 100 numbers, not three.
        let cache = Cache::new(tmp.path().join("c"), Bounds { files: 10, bytes: one * 2 + one / 2 });
        cache.save(&key(1), &records(100)).unwrap();
        cache.save(&key(2), &records(100)).unwrap();
        age(&cache.path_of(&key(1)), 100);
        age(&cache.path_of(&key(2)), 50);
        cache.save(&key(3), &records(100)).unwrap();
        assert!(cache.load::<NumberRecord>(&key(1), None).is_none());
        assert!(
            cache.load::<NumberRecord>(&key(2), None).is_some() && cache.load::<NumberRecord>(&key(3), None).is_some()
        );
        // A list larger than the whole cache is not kept, and leaves nothing behind.
        let e = cache.save(&key(4), &records(1000)).unwrap_err();
        assert!(matches!(e, CacheError::TooLarge { .. }), "{e}");
        assert_eq!(names(cache.dir()).len(), 2);
    }

    #[test]
    fn clear_removes_only_wxpick_lists() {
        let tmp = tempfile::tempdir().unwrap();
        let cache = Cache::new(tmp.path().to_path_buf(), Bounds::default());
        assert_eq!(Cache::new(tmp.path().join("none"), Bounds::default()).clear().unwrap(), 0);
        cache.save(&key(1), &records(1)).unwrap();
        cache.save(&key(2), &records(1)).unwrap();
        fs::write(tmp.path().join(format!(".{}.1.0.tmp", key(3).stem())), "partial").unwrap();
        fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
        assert_eq!(cache.clear().unwrap(), 2);
        assert_eq!(names(tmp.path()), vec!["keep.txt".to_string()]);
    }
}
