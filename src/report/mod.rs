//! Printing results. Printers take plain data and a writer, so tests can
//! render into a `Vec<u8>`.
pub mod diff;
pub mod github;
pub mod json;
pub mod sarif;
pub mod statistics;
pub mod text;

use crate::engine::Finding;
use crate::profile::timing::FindingTime;
use std::path::Path;

/// A finding with the file it is in, as the printers need it.
pub struct Located<'a> {
    pub path: &'a Path,
    pub finding: &'a Finding,
    /// With `--profile`: the function it is in and that function's share of the time.
    pub time: Option<FindingTime>,
}

impl<'a> Located<'a> {
    pub fn new(path: &'a Path, finding: &'a Finding) -> Self {
        Located {
            path,
            finding,
            time: None,
        }
    }
}

/// Whether to colour output: only on a terminal, and never with NO_COLOR set.
pub fn use_colour(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

pub fn display_path(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}
