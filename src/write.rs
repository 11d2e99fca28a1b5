//! Writing rewritten files without ever leaving one half-written: a temporary
//! file in the same directory, fsync, then rename over the original, with its
//! permissions and ownership. A file that changed since it was read is left alone.
use anyhow::{bail, Context, Result};
use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub fn write_atomically(path: &Path, read_as: &[u8], new_text: &str) -> Result<()> {
    // Write through symlinks to their target, never replacing the link itself.
    let target = fs::canonicalize(path).with_context(|| format!("resolving {}", path.display()))?;
    let metadata = fs::metadata(&target)?;
    if metadata.permissions().readonly() {
        bail!("file is read-only; left alone");
    }
    if fs::read(&target)? != read_as {
        bail!("changed on disk while perfmod was working; left alone");
    }
    let dir = target.parent().context("file has no parent directory")?;
    let mut temp = tempfile::Builder::new()
        .prefix(".perfmod-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    temp.write_all(new_text.as_bytes())?;
    temp.as_file().set_permissions(metadata.permissions())?;
    // Ownership can only be kept when we may set it (e.g. as root); otherwise
    // the new file is ours, as with any editor's save.
    let _ = std::os::unix::fs::fchown(temp.as_file(), Some(metadata.uid()), Some(metadata.gid()));
    temp.as_file().sync_all()?;
    temp.persist(&target)
        .map_err(|e| e.error)
        .with_context(|| format!("replacing {}", target.display()))?;
    if let Ok(dir) = fs::File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
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
}
