//! Writing rewritten files without ever leaving one half-written, and without
//! changing anything about a file but its bytes.
//!
//! A temporary file in the same directory gets the new text, the original's
//! owner, extended attributes (ACLs are the `system.posix_acl_access`
//! attribute) and exact mode (setuid/setgid included), is fsynced, and is
//! renamed over the original. Files perfmod cannot replace faithfully are left
//! alone with a one-line reason: files the user may not write (renaming needs
//! only the directory's permission, so this is checked on the file itself, as
//! ruff's "Permission denied"), files with more than one hard link (a rename
//! would detach them from their other names), files whose owner or attributes
//! cannot be kept, and files that changed since they were read.
//!
//! The changed-on-disk check runs twice: right before the rename, on the open
//! file (inode, size, modification time and content), and right after it, on
//! the same open file. A program that wrote into the file between the two is
//! detected and its version is put back (the file is then reported as not
//! rewritten). The race that remains: a program that *replaces* the file
//! (its own rename) in the microseconds between the last check and ours loses
//! its version, as with any editor's save.
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::ffi::{CStr, CString, OsStr};
use std::fs::{self, File};
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::SystemTime;

/// Temporary files are `.perfmod-XXXXXX.tmp`: this prefix, six random
/// alphanumerics, this suffix.
const TEMP_PREFIX: &str = ".perfmod-";
const TEMP_SUFFIX: &str = ".tmp";
const TEMP_RANDOM_LEN: usize = 6;

pub fn write_atomically(path: &Path, read_as: &[u8], new_text: &str) -> Result<()> {
    // Write through symlinks to their target, never replacing the link itself.
    let target = fs::canonicalize(path).with_context(|| format!("resolving {}", path.display()))?;
    let original = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(&target)?;
    let before = original.metadata()?;
    if !before.is_file() {
        bail!("is not a regular file; left alone");
    }
    if before.permissions().readonly() {
        bail!("file is read-only; left alone");
    }
    if !may_write(&target) {
        bail!("permission denied: you may not write this file (only its directory); left alone");
    }
    if before.nlink() > 1 {
        bail!(
            "has {} hard links, which replacing it would detach from each other; left alone",
            before.nlink()
        );
    }
    if read_all(&original)? != read_as {
        bail!("changed on disk while perfmod was working; left alone");
    }
    let dir = target.parent().context("file has no parent directory")?;
    remove_stale_temp_files(dir);
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_LEN)
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(new_text.as_bytes())?;
    copy_identity(&original, &before, temp.as_file())?;
    temp.as_file().sync_all()?;
    // The last look before the rename, on the file as it is now.
    if changed_since(&original, &before, &target, read_as)? {
        bail!("changed on disk while perfmod was writing it; left alone");
    }
    temp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("replacing {}", target.display()))?;
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    // A program that had the file open and wrote into it during the rename
    // wrote into the old file: put its version back rather than lose it.
    let after = read_all(&original)?;
    if after != read_as {
        put_back(&target, &original, &before, &after)?;
        bail!("changed on disk while perfmod was replacing it; the other program's version was put back");
    }
    Ok(())
}

/// Whether the running user may write the file itself (effective ids, ACLs).
fn may_write(path: &Path) -> bool {
    let Ok(c_path) = CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated path; faccessat only reads it.
    unsafe { libc::faccessat(libc::AT_FDCWD, c_path.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

/// The whole content of an open file, read from its start.
fn read_all(file: &File) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let n = file.read_at(&mut buffer, bytes.len() as u64)?;
        if n == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(&buffer[..n]);
    }
}

/// Whether the file differs from how it was read: the path now names another
/// inode, or the open file's size, modification time or content changed.
fn changed_since(file: &File, before: &fs::Metadata, path: &Path, read_as: &[u8]) -> Result<bool> {
    let now = file.metadata()?;
    let at_path = fs::symlink_metadata(path)?;
    Ok((at_path.dev(), at_path.ino()) != (before.dev(), before.ino())
        || now.len() != before.len()
        || (now.mtime(), now.mtime_nsec()) != (before.mtime(), before.mtime_nsec())
        || read_all(file)? != read_as)
}

/// Writes `text` (another program's version) back over `path`, with the
/// original's identity.
fn put_back(path: &Path, original: &File, before: &fs::Metadata, text: &[u8]) -> Result<()> {
    let dir = path.parent().context("file has no parent directory")?;
    let mut temp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(TEMP_RANDOM_LEN)
        .tempfile_in(dir)?;
    temp.write_all(text)?;
    copy_identity(original, before, temp.as_file())?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Gives `temp` the owner, extended attributes and mode of `original`. In
/// this order: a change of owner clears setuid/setgid and file capabilities,
/// and setting an ACL rewrites the group bits of the mode.
fn copy_identity(original: &File, before: &fs::Metadata, temp: &File) -> Result<()> {
    let ours = temp.metadata()?;
    if (ours.uid(), ours.gid()) != (before.uid(), before.gid()) {
        std::os::unix::fs::fchown(temp, Some(before.uid()), Some(before.gid())).map_err(|e| {
            anyhow::anyhow!(
                "owned by uid {} gid {}, which perfmod cannot keep ({e}); left alone",
                before.uid(),
                before.gid()
            )
        })?;
    }
    copy_xattrs(original, temp)?;
    // SAFETY: fchmod on an open descriptor we own.
    if unsafe { libc::fchmod(temp.as_raw_fd(), before.mode() & 0o7777) } != 0 {
        bail!("cannot keep its mode: {}", std::io::Error::last_os_error());
    }
    Ok(())
}

/// Copies every extended attribute of `from` to `to` and removes those `to`
/// got that `from` lacks (a directory's default ACL, inherited at creation).
fn copy_xattrs(from: &File, to: &File) -> Result<()> {
    let wanted = xattr_names(from)?;
    for name in &wanted {
        let value = xattr_value(from, name)?;
        // SAFETY: valid descriptor, NUL-terminated name, buffer of the given length.
        let set = unsafe { libc::fsetxattr(to.as_raw_fd(), name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
        if set != 0 {
            let error = std::io::Error::last_os_error();
            // A label the new file already has with the same value (SELinux) is kept.
            if xattr_value(to, name).ok().as_deref() != Some(value.as_slice()) {
                bail!(
                    "cannot keep its extended attribute `{}` ({error}); left alone",
                    name.to_string_lossy()
                );
            }
        }
    }
    let wanted: HashSet<&CStr> = wanted.iter().map(CString::as_c_str).collect();
    for name in xattr_names(to)? {
        if !wanted.contains(name.as_c_str()) {
            // SAFETY: valid descriptor and NUL-terminated name.
            if unsafe { libc::fremovexattr(to.as_raw_fd(), name.as_ptr()) } != 0 {
                let error = std::io::Error::last_os_error();
                bail!(
                    "the new file gets the extended attribute `{}` the file lacks, and removing it failed ({error}); left alone",
                    name.to_string_lossy()
                );
            }
        }
    }
    Ok(())
}

fn xattr_names(file: &File) -> Result<Vec<CString>> {
    // SAFETY: a null buffer of size 0 asks for the size needed.
    let size = unsafe { libc::flistxattr(file.as_raw_fd(), std::ptr::null_mut(), 0) };
    if size < 0 {
        let error = std::io::Error::last_os_error();
        if error.raw_os_error() == Some(libc::ENOTSUP) {
            return Ok(Vec::new()); // a file system without extended attributes
        }
        bail!("cannot list its extended attributes: {error}");
    }
    let mut buffer = vec![0u8; size as usize];
    // SAFETY: the buffer has the length passed.
    let size = unsafe { libc::flistxattr(file.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) };
    if size < 0 {
        bail!(
            "cannot list its extended attributes: {}",
            std::io::Error::last_os_error()
        );
    }
    Ok(buffer[..size as usize]
        .split(|&b| b == 0)
        .filter(|name| !name.is_empty())
        .filter_map(|name| CString::new(name).ok())
        .collect())
}

fn xattr_value(file: &File, name: &CStr) -> Result<Vec<u8>> {
    // SAFETY: a null buffer of size 0 asks for the size needed.
    let size = unsafe { libc::fgetxattr(file.as_raw_fd(), name.as_ptr(), std::ptr::null_mut(), 0) };
    if size < 0 {
        bail!(
            "cannot read its extended attribute `{}`: {}",
            name.to_string_lossy(),
            std::io::Error::last_os_error()
        );
    }
    let mut value = vec![0u8; size as usize];
    // SAFETY: the buffer has the length passed.
    let size = unsafe { libc::fgetxattr(file.as_raw_fd(), name.as_ptr(), value.as_mut_ptr().cast(), value.len()) };
    if size < 0 {
        bail!(
            "cannot read its extended attribute `{}`: {}",
            name.to_string_lossy(),
            std::io::Error::last_os_error()
        );
    }
    value.truncate(size as usize);
    Ok(value)
}

/// Whether `name` is one of perfmod's temporary files: `.perfmod-XXXXXX.tmp`.
fn is_temp_name(name: &OsStr) -> bool {
    let name = name.as_bytes();
    name.strip_prefix(TEMP_PREFIX.as_bytes())
        .and_then(|rest| rest.strip_suffix(TEMP_SUFFIX.as_bytes()))
        .is_some_and(|random| random.len() == TEMP_RANDOM_LEN && random.iter().all(u8::is_ascii_alphanumeric))
}

/// Removes the temporary files a killed run left in `dir` (perfmod's own
/// name pattern, regular files last modified before this run's first write),
/// once per directory per run. A concurrent run's file in flight is younger.
fn remove_stale_temp_files(dir: &Path) {
    static RUN_START: OnceLock<SystemTime> = OnceLock::new();
    static CLEANED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    let start = *RUN_START.get_or_init(SystemTime::now);
    {
        let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        if cleaned.iter().any(|d| d == dir) {
            return;
        }
        cleaned.push(dir.to_path_buf());
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if !is_temp_name(&entry.file_name()) {
            continue;
        }
        let stale =
            fs::symlink_metadata(entry.path()).is_ok_and(|m| m.is_file() && m.modified().is_ok_and(|t| t < start));
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_file_changed_since_it_was_read_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "edited by someone else\n").unwrap();
        let error = write_atomically(&path, b"as perfmod read it\n", "rewritten\n").unwrap_err();
        assert!(error.to_string().contains("changed on disk"), "{error}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone else\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temp file left");
    }

    #[test]
    fn writes_through_symlinks_and_keeps_the_mode() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("real.py");
        fs::write(&target, "old\n").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        let link = dir.path().join("link.py");
        std::os::unix::fs::symlink("real.py", &link).unwrap();
        write_atomically(&link, b"old\n", "new\n").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_change_right_before_the_rename_is_seen_on_the_open_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.py");
        fs::write(&path, "x = 1\n").unwrap();
        let file = File::open(&path).unwrap();
        let before = file.metadata().unwrap();
        assert!(!changed_since(&file, &before, &path, b"x = 1\n").unwrap());
        // Same size, other content, written in place.
        fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .write_all(b"x = 2\n")
            .unwrap();
        assert!(changed_since(&file, &before, &path, b"x = 1\n").unwrap());
        // The path replaced by another file with the content as read.
        let replacement = dir.path().join("b.py");
        fs::write(&replacement, "x = 1\n").unwrap();
        fs::rename(&replacement, &path).unwrap();
        let file = File::open(&path).unwrap();
        let before_replace = file.metadata().unwrap();
        let newer = dir.path().join("c.py");
        fs::write(&newer, "x = 1\n").unwrap();
        fs::rename(&newer, &path).unwrap();
        assert!(changed_since(&file, &before_replace, &path, b"x = 1\n").unwrap());
    }

    #[test]
    fn recognises_only_its_own_temp_names() {
        assert!(is_temp_name(OsStr::new(".perfmod-a1B2c3.tmp")));
        assert!(!is_temp_name(OsStr::new(".perfmod-a1B2c.tmp")));
        assert!(!is_temp_name(OsStr::new(".perfmod-a1B2c3.tmp.py")));
        assert!(!is_temp_name(OsStr::new(".perfmod-a1/2c3.tmp")));
        assert!(!is_temp_name(OsStr::new("perfmod-a1B2c3.tmp")));
    }
}
