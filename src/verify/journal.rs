//! The originals of the files a verified apply writes, recorded before each
//! write, so that every way out of the run before `--verify-cmd` has judged
//! the rewrites (an error, Ctrl-C or SIGTERM during the writes) puts them
//! back: the work tree ends passing or exactly as it started. While the
//! journal lives, SIGINT and SIGTERM only raise the interrupt flag, which the
//! write loop checks before each file.
use super::interrupt;
use crate::write::write_atomically;
use std::io::Write;
use std::path::{Path, PathBuf};

pub struct Journal {
    /// (path, original bytes, bytes perfmod writes there).
    entries: Vec<(PathBuf, Vec<u8>, Vec<u8>)>,
    _guard: interrupt::Guard,
    /// Set once the verification owns the files (it restores them itself).
    handed_over: bool,
}

impl Journal {
    /// A journal for `fix --apply --verify-cmd`; `None` for other runs.
    pub fn start(verify_cmd: Option<&str>, apply: bool) -> Option<Journal> {
        (apply && verify_cmd.is_some()).then(|| Journal {
            entries: Vec::new(),
            _guard: interrupt::Guard::install(),
            handed_over: false,
        })
    }

    /// Records `path` before perfmod writes `written` over `original`.
    pub fn record(&mut self, path: &Path, original: &[u8], written: &str) {
        self.entries
            .push((path.to_path_buf(), original.to_vec(), written.as_bytes().to_vec()));
    }

    /// Whether Ctrl-C or SIGTERM arrived; the writes must stop.
    pub fn interrupted(&self) -> bool {
        interrupt::interrupted()
    }

    /// The verification takes over the files and their restoring; the signal
    /// handlers stay until `self` (moved into it) is dropped.
    pub(super) fn hand_over(&mut self) {
        self.handed_over = true;
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        if self.handed_over || self.entries.is_empty() {
            return;
        }
        let mut err = std::io::stderr().lock();
        let mut failed = false;
        for (path, original, written) in self.entries.iter().rev() {
            // A file whose write failed (or that another program changed) is
            // not perfmod's to put back.
            if std::fs::read(path).ok().as_deref() != Some(written.as_slice()) {
                continue;
            }
            let Ok(text) = std::str::from_utf8(original) else {
                continue;
            };
            if let Err(e) = write_atomically(path, written, text) {
                failed = true;
                let _ = writeln!(err, "error: {}: restoring it: {e:#}", path.display());
            }
        }
        if !failed {
            let _ = writeln!(
                err,
                "verify: stopped before the command could verify the rewrites; every rewrite reverted, the work tree is as it started."
            );
        }
    }
}
