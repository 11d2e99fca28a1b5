//! The result cache: an unchanged file costs a hash and a lookup.
//!
//! Entries are keyed by the file's path and a hash of its bytes; the cache file
//! itself is named by a hash of everything else a result depends on (this
//! build of perfmod, the active codemods and their definitions, the options),
//! so a cached result is never stale: any change is a miss. Only successful
//! results are cached; a file that could not be processed is tried again.
//!
//! The cache directory lives in the project, where anyone with commit access
//! can put a symlink (a committed dangling `.perfmod_cache/.gitignore` would
//! make perfmod create its target anywhere). So perfmod never follows a
//! symlink at or inside it: with one there, the run goes on without a cache.
use crate::edit::{Fix, Safety};
use crate::engine::module_index::{dependencies_unchanged, Dependency};
use crate::engine::source::Position;
use crate::engine::{FileOutcome, Finding};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A hash of the sources perfmod was built from (set by build.rs).
const BUILD_HASH: &str = env!("PERFMOD_BUILD_HASH");

#[derive(Serialize, Deserialize, Clone)]
struct Entry {
    content: u64,
    /// The project modules the findings depended on (see
    /// [`crate::engine::module_index`]), with the hash of their bytes then: a
    /// change to one of them is a miss.
    #[serde(default)]
    dependencies: Vec<Dependency>,
    findings: Vec<CachedFinding>,
}

#[derive(Serialize, Deserialize, Clone)]
struct CachedFinding {
    rule: String,
    message: String,
    range: (usize, usize),
    start: (usize, usize),
    end: (usize, usize),
    safety: Option<Safety>,
    #[serde(default)]
    unsafe_reason: Option<String>,
}

pub struct Cache {
    file: PathBuf,
    entries: HashMap<PathBuf, Entry>,
    fresh: Mutex<Vec<(PathBuf, Entry)>>,
}

/// Refuses a cache directory that is, or holds, a symlink, or is no directory.
fn refuse_links(dir: &Path) -> Result<(), String> {
    let refuse = |what: String| {
        Err(format!(
            "{what}; perfmod never follows links at or in its cache, so it runs without one"
        ))
    };
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => refuse(format!("cannot inspect the cache directory {}: {e}", dir.display())),
        Ok(meta) if meta.file_type().is_symlink() => {
            refuse(format!("the cache directory {} is a symlink", dir.display()))
        }
        Ok(meta) if !meta.is_dir() => refuse(format!("the cache path {} is not a directory", dir.display())),
        Ok(_) => {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| format!("cannot read the cache directory {}: {e}", dir.display()))?;
            for entry in entries.flatten() {
                if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                    return refuse(format!("{} is a symlink", entry.path().display()));
                }
            }
            Ok(())
        }
    }
}

/// A stable 64-bit hash (SipHash with fixed keys) of anything hashable.
pub fn stable_hash(value: impl Hash) -> u64 {
    #[allow(deprecated)] // SipHasher's output is fixed for fixed keys, which is what a cache needs.
    let mut hasher = std::hash::SipHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    /// Opens the cache for one configuration (`run_key`) in `dir`; a missing or
    /// unreadable cache is an empty one. A symlink at or in `dir` is refused
    /// (the reason is returned; the run goes on without a cache).
    pub fn open(dir: &Path, run_key: impl Hash) -> Result<Cache, String> {
        refuse_links(dir)?;
        let file = dir.join(format!("{:016x}.json", stable_hash((BUILD_HASH, run_key))));
        let entries = std::fs::File::options()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&file)
            .ok()
            .and_then(|f| serde_json::from_reader(std::io::BufReader::new(f)).ok())
            .unwrap_or_default();
        Ok(Cache {
            file,
            entries,
            fresh: Mutex::new(Vec::new()),
        })
    }

    /// The cached outcome of `path` if its bytes, and those of every project
    /// module its findings depended on, are unchanged. Cached findings carry
    /// their fix's safety but not its edits ([`Fix::known`]).
    pub fn lookup(&self, path: &Path, bytes: &[u8]) -> Option<FileOutcome> {
        let entry = self
            .entries
            .get(path)
            .filter(|e| e.content == stable_hash(bytes) && dependencies_unchanged(&e.dependencies))?;
        let position = |(line, column)| Position { line, column };
        let findings = entry
            .findings
            .iter()
            .map(|f| Finding {
                rule: f.rule.clone(),
                message: f.message.clone(),
                range: f.range.0..f.range.1,
                start: position(f.start),
                end: position(f.end),
                fix: f.safety.map(|safety| Fix::known(safety, f.unsafe_reason.clone())),
            })
            .collect();
        Some(FileOutcome {
            findings,
            ..FileOutcome::default()
        })
    }

    pub fn record(&self, path: &Path, bytes: &[u8], outcome: &FileOutcome, dependencies: Vec<Dependency>) {
        let findings = outcome
            .findings
            .iter()
            .map(|f| CachedFinding {
                rule: f.rule.clone(),
                message: f.message.clone(),
                range: (f.range.start, f.range.end),
                start: (f.start.line, f.start.column),
                end: (f.end.line, f.end.column),
                safety: f.fix.as_ref().map(|fix| fix.safety),
                unsafe_reason: f.fix.as_ref().and_then(|fix| fix.unsafe_reason.clone()),
            })
            .collect();
        let entry = Entry {
            content: stable_hash(bytes),
            dependencies,
            findings,
        };
        self.fresh
            .lock()
            .expect("no thread panics holding the lock")
            .push((path.to_path_buf(), entry));
    }

    /// Writes the cache back (atomically, so a concurrent run reads either
    /// version), if this run learned anything.
    pub fn save(&self) -> std::io::Result<()> {
        let fresh = std::mem::take(&mut *self.fresh.lock().expect("no thread panics holding the lock"));
        if fresh.is_empty() {
            return Ok(());
        }
        let mut entries = self.entries.clone();
        entries.extend(fresh);
        let dir = self.file.parent().expect("cache files live in a directory");
        std::fs::create_dir_all(dir)?;
        refuse_links(dir).map_err(std::io::Error::other)?;
        // Like .ruff_cache: keep the cache out of version control. `create_new`
        // never follows a link put there since `refuse_links` looked.
        let ignore = std::fs::File::options()
            .write(true)
            .create_new(true)
            .open(dir.join(".gitignore"));
        match ignore {
            Ok(mut file) => file.write_all(b"# Created by perfmod\n*\n")?,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut temp, &entries)?;
        temp.persist(&self.file).map_err(|e| e.error)?;
        Ok(())
    }
}
