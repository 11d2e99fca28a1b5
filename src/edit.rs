//! Edits, fixes and their safety: the currency between matching and writing.
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Replace `range` (byte offsets into the source) with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

impl Edit {
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Self {
        Edit {
            range,
            text: text.into(),
        }
    }

    pub fn insert(at: usize, text: impl Into<String>) -> Self {
        Edit {
            range: at..at,
            text: text.into(),
        }
    }

    pub fn delete(range: Range<usize>) -> Self {
        Edit {
            range,
            text: String::new(),
        }
    }
}

/// Whether `fix --apply` may apply a rewrite without `--unsafe`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Safety {
    /// Keeps the program's behaviour.
    Safe,
    /// Can change behaviour in edge cases (the rule's docs say which).
    Unsafe,
}

impl Safety {
    pub fn as_str(self) -> &'static str {
        match self {
            Safety::Safe => "safe",
            Safety::Unsafe => "unsafe",
        }
    }
}

/// A module (`asyncio`) or a member of one (`functools.cache`) that a fix refers to
/// and that the file may have to import.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ImportRequest {
    pub module: String,
    pub member: Option<String>,
}

impl ImportRequest {
    /// The statement that binds the request when the file has nothing to reuse.
    pub fn statement(&self) -> String {
        match &self.member {
            Some(member) => format!("from {} import {member}", self.module),
            None => format!("import {}", self.module),
        }
    }
}

/// One rewrite: edits that land together or not at all, and the imports they need.
#[derive(Clone, Debug)]
pub struct Fix {
    pub edits: Vec<Edit>,
    pub imports: Vec<ImportRequest>,
    pub safety: Safety,
    /// Why an unsafe rewrite is unsafe: what perfmod could not prove (shown in
    /// the finding's message and in `--format json`).
    pub unsafe_reason: Option<String>,
}

impl Fix {
    /// A fix known to exist, with only its safety: what the result cache keeps
    /// for reporting. It has no edits, so it is never applied.
    pub fn known(safety: Safety, unsafe_reason: Option<String>) -> Self {
        Fix {
            edits: Vec::new(),
            imports: Vec::new(),
            safety,
            unsafe_reason,
        }
    }

    /// The smallest range covering every edit; fixes whose spans overlap conflict.
    pub fn span(&self) -> Range<usize> {
        let start = self.edits.iter().map(|e| e.range.start).min().unwrap_or(0);
        let end = self.edits.iter().map(|e| e.range.end).max().unwrap_or(0);
        start..end
    }
}

/// Applies non-overlapping edits to `source`. Edits are sorted here; the caller
/// guarantees they do not overlap (two inserts at one offset keep their order).
pub fn apply_edits(source: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(source.len() + 64);
    let mut cursor = 0;
    for edit in sorted {
        debug_assert!(edit.range.start >= cursor, "overlapping edits");
        out.push_str(&source[cursor..edit.range.start]);
        out.push_str(&edit.text);
        cursor = edit.range.end;
    }
    out.push_str(&source[cursor..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_edits_in_offset_order() {
        let edits = [
            Edit::replace(6..11, "there"),
            Edit::insert(0, ">> "),
            Edit::delete(5..6),
        ];
        assert_eq!(apply_edits("hello world", &edits), ">> hellothere");
    }
}
