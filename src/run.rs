//! Runs the engine over the discovered files in parallel (one parser per
//! thread) and hands back per-file results sorted by path, whatever the thread
//! count, so output is deterministic.
use crate::engine::{self, FileOutcome, Mode, RuleSet};
use rayon::prelude::*;
use std::cell::RefCell;
use std::path::{Path, PathBuf};

/// Files larger than this are reported, not parsed.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

pub struct FileResult {
    pub path: PathBuf,
    /// The bytes as read (kept only when the file was rewritten, for diffs and
    /// the changed-on-disk check).
    pub original: Option<Vec<u8>>,
    pub outcome: Result<FileOutcome, String>,
}

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(engine::python_parser());
}

pub fn run(files: &[PathBuf], rules: &RuleSet, mode: Mode, jobs: Option<usize>) -> Vec<FileResult> {
    let work = || {
        files
            .par_iter()
            .map(|path| process_path(path, rules, mode))
            .collect::<Vec<_>>()
    };
    let mut results = match jobs {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .map_or_else(|_| work(), |pool| pool.install(work)),
        None => work(),
    };
    results.sort_by(|a, b| a.path.cmp(&b.path));
    results
}

fn process_path(path: &Path, rules: &RuleSet, mode: Mode) -> FileResult {
    let result = |original, outcome| FileResult {
        path: path.to_path_buf(),
        original,
        outcome,
    };
    let bytes = match read_source(path) {
        Ok(bytes) => bytes,
        Err(reason) => return result(None, Err(reason)),
    };
    let text = match decode(&bytes) {
        Ok(text) => text,
        Err(reason) => return result(None, Err(reason)),
    };
    let outcome = PARSER.with(|parser| engine::process(text, rules, mode, &mut parser.borrow_mut()));
    let changed = outcome.as_ref().is_ok_and(|o| o.fixed.is_some());
    result(changed.then_some(bytes), outcome)
}

fn read_source(path: &Path) -> Result<Vec<u8>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if metadata.is_dir() {
        return Err("is a directory, not a Python file".into());
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(format!(
            "file is {} MiB, over the {} MiB limit; skipped",
            metadata.len() >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// perfmod reads UTF-8 (with or without BOM), as Python does by default. A file
/// declaring another encoding is left alone rather than risk mojibake.
fn decode(bytes: &[u8]) -> Result<&str, String> {
    if bytes.contains(&0) {
        return Err("contains NUL bytes (binary file?); skipped".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "not valid UTF-8 (byte {}); perfmod reads UTF-8 only, file left alone",
            e.valid_up_to()
        )
    })?;
    if let Some(encoding) = declared_encoding(text) {
        let normalized = encoding.to_ascii_lowercase().replace('_', "-");
        if !matches!(normalized.as_str(), "utf-8" | "utf8" | "ascii" | "us-ascii") && !text.is_ascii() {
            return Err(format!(
                "declares encoding `{encoding}`; perfmod rewrites UTF-8 only, file left alone"
            ));
        }
    }
    Ok(text)
}

/// The PEP 263 coding cookie of the first two lines (the second counts only
/// after a comment line).
fn declared_encoding(text: &str) -> Option<&str> {
    text.lines()
        .take(2)
        .take_while(|l| l.trim_start().starts_with('#'))
        .find_map(|line| {
            let at = line.find("coding")?;
            let rest = line[at + 6..].strip_prefix([':', '='])?.trim_start();
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            Some(&rest[..end]).filter(|e| !e.is_empty())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_coding_cookies() {
        assert_eq!(declared_encoding("# -*- coding: latin-1 -*-\nx = 1\n"), Some("latin-1"));
        assert_eq!(
            declared_encoding("#!/usr/bin/python\n# vim: set fileencoding=utf-8 :\n"),
            Some("utf-8")
        );
        assert_eq!(declared_encoding("x = 1\n# coding: latin-1\n"), None);
    }

    #[test]
    fn refuses_what_it_cannot_rewrite_faithfully() {
        assert!(decode(b"x = 1\x00").is_err());
        assert!(decode(b"x = '\xe9'\n").is_err());
        assert!(decode("# coding: latin-1\nx = 'é'\n".as_bytes()).is_err());
        assert!(decode(b"# coding: latin-1\nx = 1\n").is_ok());
    }
}
