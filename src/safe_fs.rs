//! Files wxpick does not fully trust: the cache directory and its files, the log file, the
//! token file. All the platform-specific file code is here, so that each platform's rules sit
//! side by side.
//!
//! - Unix: the cache directory must be the user's own, not writable by group or others, and not
//!   a symbolic link; cache files are opened with `O_NOFOLLOW | O_NONBLOCK` (a FIFO planted in
//!   their place can neither hang nor redirect a read) and must be regular files; new files are
//!   created 0600, new directories 0700; the log file is created 0600 and never through a
//!   symbolic link.
//! - Elsewhere (Windows): access is governed by ACLs, which the user profile's defaults already
//!   make private; a symbolic link (a reparse point) in the cache directory's place is still
//!   refused, and only regular files are read.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// Why a cache directory is not used: one line, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe(pub String);

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `dir` may hold the cache: missing (it will be created private), or a directory of
/// the user's that nobody else can write to. A symbolic link is refused, wherever it points.
pub fn check_private_dir(dir: &Path) -> Result<(), Unsafe> {
    let shown = dir.display();
    let meta = match fs::symlink_metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Unsafe(format!("{shown}: {e}"))),
    };
    if meta.file_type().is_symlink() {
        return Err(Unsafe(format!("{shown} is a symbolic link; give the directory itself")));
    }
    if !meta.is_dir() {
        return Err(Unsafe(format!("{shown} is not a directory")));
    }
    platform::check_dir_owner(dir, &meta)
}

/// Creates the directory (and its parents), readable by the user only.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    platform::private_dir(&mut builder);
    builder.create(dir)
}

/// Creates a new file (never an existing one, nor through a symbolic link), readable and
/// writable by the user only.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    platform::private_file(&mut opts);
    opts.open(path)
}

/// Opens a file of the cache for reading: never through a symbolic link, never waiting (a FIFO
/// opens at once, and is then refused), regular files only.
pub fn open_regular(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    platform::no_follow_no_wait(&mut opts);
    let file = opts.open(path).map_err(platform::explain_link)?;
    regular_only(file)
}

/// Opens (or creates, 0600) the log file for appending: never through a symbolic link, and only
/// a regular file (a FIFO or a terminal is refused: the log never reaches a terminal).
pub fn open_log(path: &Path) -> io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.create(true).append(true);
    platform::private_file(&mut opts);
    platform::no_follow_no_wait(&mut opts);
    let file = opts.open(path).map_err(platform::explain_link)?;
    regular_only(file)
}

fn regular_only(file: File) -> io::Result<File> {
    if file.metadata()?.is_file() { Ok(file) } else { Err(not_regular()) }
}

fn not_regular() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")
}

/// Opens a token file: a regular file, or a pipe (`--token-file <(pass show webex)`); a
/// directory or a device is refused before it is opened (opening a device may do something).
/// Also returns a warning when other users may read the file.
pub fn open_token_file(path: &Path) -> io::Result<(File, Option<&'static str>)> {
    let kind = fs::metadata(path)?.file_type();
    if !(kind.is_file() || platform::is_fifo(&kind)) {
        return Err(not_regular());
    }
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !(meta.is_file() || platform::is_fifo(&meta.file_type())) {
        return Err(not_regular());
    }
    let warning = if meta.is_file() { platform::readable_by_others(&meta) } else { None };
    Ok((file, warning))
}

#[cfg(unix)]
mod platform {
    use std::fs::{DirBuilder, FileType, Metadata, OpenOptions};
    use std::io;
    use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, OpenOptionsExt, PermissionsExt};
    use std::path::Path;

    use super::Unsafe;

    pub fn check_dir_owner(dir: &Path, meta: &Metadata) -> Result<(), Unsafe> {
        let shown = dir.display();
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(Unsafe(format!("{shown} belongs to another user (uid {}, not {me})", meta.uid())));
        }
        let mode = meta.permissions().mode();
        if mode & 0o022 != 0 {
            let who = if mode & 0o002 != 0 { "every user" } else { "its group" };
            return Err(Unsafe(format!("{shown} is writable by {who}; run chmod 700 {shown}")));
        }
        Ok(())
    }

    pub fn private_dir(builder: &mut DirBuilder) {
        builder.mode(0o700);
    }

    pub fn private_file(opts: &mut OpenOptions) {
        opts.mode(0o600);
    }

    pub fn no_follow_no_wait(opts: &mut OpenOptions) {
        opts.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }

    /// `O_NOFOLLOW` on a symbolic link fails with ELOOP ("too many levels of symbolic links"):
    /// say what it means.
    pub fn explain_link(e: io::Error) -> io::Error {
        if e.raw_os_error() == Some(libc::ELOOP) {
            io::Error::new(io::ErrorKind::InvalidInput, "is a symbolic link (not followed)")
        } else {
            e
        }
    }

    pub fn is_fifo(kind: &FileType) -> bool {
        kind.is_fifo()
    }

    pub fn readable_by_others(meta: &Metadata) -> Option<&'static str> {
        let mode = meta.permissions().mode();
        if mode & 0o004 != 0 {
            Some("every user")
        } else if mode & 0o040 != 0 {
            Some("its group")
        } else {
            None
        }
    }
}

#[cfg(not(unix))]
mod platform {
    use std::fs::{DirBuilder, FileType, Metadata, OpenOptions};
    use std::io;
    use std::path::Path;

    use super::Unsafe;

    /// Windows guards the user's profile (where the cache lives) with ACLs of its own.
    pub fn check_dir_owner(_: &Path, _: &Metadata) -> Result<(), Unsafe> {
        Ok(())
    }

    pub fn private_dir(_: &mut DirBuilder) {}

    pub fn private_file(_: &mut OpenOptions) {}

    /// Windows opens no FIFO by a file path; a link planted in a file's place is caught by the
    /// regular-file check after opening.
    pub fn no_follow_no_wait(_: &mut OpenOptions) {}

    pub fn explain_link(e: io::Error) -> io::Error {
        e
    }

    pub fn is_fifo(_: &FileType) -> bool {
        false
    }

    pub fn readable_by_others(_: &Metadata) -> Option<&'static str> {
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(p: &Path, mode: u32) {
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
    }

    fn mkfifo(p: &Path) {
        let c = std::ffi::CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    #[test]
    fn a_cache_directory_must_be_private_and_real() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c");
        assert_eq!(check_private_dir(&dir), Ok(()), "missing: created private later");
        create_private_dir(&dir).unwrap();
        assert_eq!(fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
        assert_eq!(check_private_dir(&dir), Ok(()));
        chmod(&dir, 0o777);
        let e = check_private_dir(&dir).unwrap_err().0;
        assert!(e.contains("writable by every user") && e.contains("chmod 700"), "{e}");
        chmod(&dir, 0o770);
        assert!(check_private_dir(&dir).unwrap_err().0.contains("writable by its group"));
        chmod(&dir, 0o755);
        assert_eq!(check_private_dir(&dir), Ok(()), "readable by others is no danger to the user");
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(check_private_dir(&link).unwrap_err().0.contains("symbolic link"));
        let file = tmp.path().join("f");
        fs::write(&file, "").unwrap();
        assert!(check_private_dir(&file).unwrap_err().0.contains("not a directory"));
        // /proc belongs to root (the tests do not run as root).
        if unsafe { libc::geteuid() } != 0 {
            assert!(check_private_dir(Path::new("/proc")).unwrap_err().0.contains("another user"));
        }
    }

    #[test]
    fn cache_files_open_only_as_regular_files_and_never_wait() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join("fifo");
        mkfifo(&fifo);
        // Without O_NONBLOCK this open would wait for a writer forever.
        let e = open_regular(&fifo).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file");
        let file = tmp.path().join("file");
        fs::write(&file, "x").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(open_regular(&link).unwrap_err().to_string().contains("symbolic link"));
        assert!(open_regular(tmp.path()).is_err(), "a directory");
        assert!(open_regular(&file).is_ok());
    }

    #[test]
    fn the_log_is_created_private_and_never_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let log = tmp.path().join("log");
        open_log(&log).unwrap();
        assert_eq!(fs::metadata(&log).unwrap().permissions().mode() & 0o777, 0o600);
        let target = tmp.path().join("target");
        fs::write(&target, "").unwrap();
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(open_log(&link).unwrap_err().to_string().contains("symbolic link"));
        let fifo = tmp.path().join("fifo");
        mkfifo(&fifo);
        assert!(open_log(&fifo).is_err());
        assert!(open_log(tmp.path()).is_err());
    }

    #[test]
    fn token_files_say_who_else_can_read_them() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("token");
        fs::write(&file, "t").unwrap();
        for (mode, warning) in [(0o600, None), (0o640, Some("its group")), (0o644, Some("every user"))] {
            chmod(&file, mode);
            assert_eq!(open_token_file(&file).unwrap().1, warning, "{mode:o}");
        }
        assert_eq!(open_token_file(tmp.path()).unwrap_err().to_string(), "not a regular file");
        assert_eq!(open_token_file(Path::new("/dev/null")).unwrap_err().to_string(), "not a regular file");
    }
}
