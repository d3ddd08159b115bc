//! The data directory and the files in it are the service user's alone.
//!
//! The SQLite database holds participants' names, e-mail addresses, claim
//! codes and facilitators' password hashes; `master.key` opens every
//! organisation's private key. So the data directory is created `0700` and
//! each file in it `0600`, and at every start [`secure_data_dir`] puts back
//! any mode found wider (a restore with `cp`, an archive unpacked with
//! another umask, a directory made by hand), saying so in the log.
//!
//! SQLite creates its `-wal` and `-shm` files with the mode of the database
//! file, so creating that file `0600` before SQLite opens it keeps all three
//! private from the first write on.

use std::io;
use std::path::{Path, PathBuf};

/// Mode of the data directory: owner only.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file in it: owner read and write only.
pub const FILE_MODE: u32 = 0o600;

/// A file or directory whose mode was wider than it should be, and was fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrowed {
    /// The path.
    pub path: PathBuf,
    /// The mode it had (permission bits only).
    pub was: u32,
    /// The mode it has now.
    pub now: u32,
}

/// Creates `dir` (and its missing parents) with mode `0700`, then narrows
/// the modes of the directory and of `files` that exist and are wider than
/// `0700` / `0600`. `sqlite` names the SQLite database file, created empty
/// with `0600` when missing; its `-wal`, `-shm` and `-journal` companions are
/// checked too. Returns what was narrowed, each also logged as a warning.
pub fn secure_data_dir(
    dir: &Path,
    sqlite: Option<&Path>,
    files: &[PathBuf],
) -> io::Result<Vec<Narrowed>> {
    create_private_dir(dir)?;
    let mut narrowed = Vec::new();
    narrowed.extend(narrow(dir, DIR_MODE)?);
    let mut paths: Vec<PathBuf> = files.to_vec();
    if let Some(database) = sqlite {
        create_private_file(database)?;
        paths.push(database.to_path_buf());
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut companion = database.as_os_str().to_owned();
            companion.push(suffix);
            paths.push(PathBuf::from(companion));
        }
    }
    for path in &paths {
        narrowed.extend(narrow(path, FILE_MODE)?);
    }
    for fixed in &narrowed {
        tracing::warn!(
            path = %fixed.path.display(),
            was = %format!("{:o}", fixed.was),
            now = %format!("{:o}", fixed.now),
            "permissions were wider than the owner's alone: narrowed"
        );
    }
    Ok(narrowed)
}

/// Creates `dir` and its missing parents; the directories created get `0700`.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(DIR_MODE);
    }
    builder.create(dir)
}

/// Creates `path` empty with mode `0600` if it does not exist; an existing
/// file is left as it is.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(FILE_MODE);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Narrows `path` to `mode` if it exists and grants anything beyond it.
#[cfg(unix)]
fn narrow(path: &Path, mode: u32) -> io::Result<Option<Narrowed>> {
    use std::os::unix::fs::PermissionsExt;
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let was = metadata.permissions().mode() & 0o7777;
    if was & !mode == 0 {
        return Ok(None);
    }
    let now = was & mode;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(now))?;
    Ok(Some(Narrowed {
        path: path.to_path_buf(),
        was,
        now,
    }))
}

/// Other systems have no mode bits to narrow.
#[cfg(not(unix))]
fn narrow(_path: &Path, _mode: u32) -> io::Result<Option<Narrowed>> {
    Ok(None)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn creates_private_and_narrows_what_is_wider() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/data");
        let database = dir.join("issuer.sqlite3");
        let key = dir.join("master.key");
        let narrowed = secure_data_dir(&dir, Some(&database), std::slice::from_ref(&key)).unwrap();
        assert!(narrowed.is_empty(), "{narrowed:?}");
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&database), 0o600);
        assert!(!key.exists(), "only the database file is created");

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::write(&key, "k").unwrap();
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o640)).unwrap();
        let wal = dir.join("issuer.sqlite3-wal");
        std::fs::write(&wal, "").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o666)).unwrap();
        let narrowed = secure_data_dir(&dir, Some(&database), std::slice::from_ref(&key)).unwrap();
        let found: Vec<(PathBuf, u32, u32)> = narrowed
            .into_iter()
            .map(|n| (n.path, n.was, n.now))
            .collect();
        assert_eq!(
            found,
            [
                (dir.clone(), 0o755, 0o700),
                (key.clone(), 0o640, 0o600),
                (database.clone(), 0o644, 0o600),
                (wal.clone(), 0o666, 0o600),
            ]
        );
        for path in [&database, &key, &wal] {
            assert_eq!(mode(path), 0o600, "{path:?}");
        }
        // Narrower modes are kept as they are.
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert!(
            secure_data_dir(&dir, Some(&database), std::slice::from_ref(&key))
                .unwrap()
                .is_empty()
        );
        assert_eq!(mode(&key), 0o400);
    }
}
