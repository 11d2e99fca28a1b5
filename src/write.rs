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
