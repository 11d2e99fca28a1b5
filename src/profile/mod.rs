//! Profiles of the user's program (`--profile FILE`): which of perfmod's
//! findings sit in the code where the time goes.
//!
//! Three formats are read, told apart by their content: cProfile/profile dumps
//! (`python -m cProfile -o FILE`, read with [`marshal`]), speedscope JSON
//! (`py-spy record --format speedscope`) and collapsed stacks (`frame;frame
//! count`, py-spy `--format raw` and the flamegraph tools). Each becomes a
//! [`Profile`]: frames (file, line, function name) with either per-function
//! times or weighted stacks. [`timing`] maps the frames onto the functions of
//! the checked files and gives each finding its share of the time.
pub mod collapsed;
pub mod marshal;
pub mod pstats;
pub mod speedscope;
pub mod timing;

use anyhow::{bail, Context, Result};
use std::collections::HashMap;
use std::path::Path;

/// Code a profile names: a function (or class body, or module) by file, line
/// and name. The line is the function's first line (cProfile) or the line
/// running when the sample was taken (samplers); `None` when not given.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Frame {
    pub file: String,
    pub line: Option<usize>,
    pub name: String,
}

/// One function's totals in a cProfile dump.
#[derive(Debug, Clone)]
pub struct FunctionStats {
    pub frame: usize,
    /// Time in the function's own code (cProfile's `tottime`).
    pub self_time: f64,
    /// Time in it and everything it called (`cumtime`).
    pub inclusive: f64,
    /// Who called it: (caller's frame, `cumtime` of the calls from that caller).
    pub callers: Vec<(usize, f64)>,
}

/// A stack seen for `weight` (seconds, or samples), root first.
#[derive(Debug, Clone)]
pub struct Sample {
    pub stack: Vec<usize>,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub enum Data {
    /// Per-function totals, without stacks (cProfile, profile).
    Functions(Vec<FunctionStats>),
    /// Weighted stacks (sampling profilers).
    Stacks(Vec<Sample>),
}

#[derive(Debug, Clone)]
pub struct Profile {
    /// The format's name, for messages.
    pub format: &'static str,
    pub frames: Vec<Frame>,
    pub data: Data,
    /// What could not be read, one sentence each; the rest of the profile is used.
    pub notes: Vec<String>,
}

impl Profile {
    /// The whole time (or sample count) the profile covers.
    pub fn total(&self) -> f64 {
        match &self.data {
            Data::Functions(functions) => functions.iter().map(|f| f.self_time).sum(),
            Data::Stacks(samples) => samples.iter().map(|s| s.weight).sum(),
        }
    }

    pub fn load(path: &Path) -> Result<Profile> {
        let bytes = std::fs::read(path).with_context(|| format!("reading the profile {}", path.display()))?;
        Profile::parse(&bytes).with_context(|| format!("reading the profile {}", path.display()))
    }

    /// Reads any supported format, recognised by its content (not its name).
    pub fn parse(bytes: &[u8]) -> Result<Profile> {
        let text = std::str::from_utf8(bytes).ok();
        let looks_like_json = text.is_some_and(|t| t.trim_start().starts_with('{'));
        if looks_like_json {
            let json_error = match speedscope::parse(text.unwrap()) {
                Ok(profile) => return Ok(profile),
                Err(e) => e,
            };
            // A marshal dict without FLAG_REF starts with `{` too (marshal version < 3).
            return pstats::parse(bytes).or(Err(json_error));
        }
        if bytes.first().is_some_and(|b| b & 0x7f == b'{') {
            return pstats::parse(bytes);
        }
        match text {
            Some(text) => collapsed::parse(text),
            None => bail!(
                "not a profile perfmod reads: a cProfile/profile dump (`python -m cProfile -o FILE`), \
                 speedscope JSON (`py-spy record --format speedscope`) or collapsed stacks (`frame;frame count`)"
            ),
        }
    }
}

/// Frames numbered as they are first seen.
#[derive(Default)]
struct FrameTable {
    frames: Vec<Frame>,
    index: HashMap<Frame, usize>,
}

impl FrameTable {
    fn intern(&mut self, frame: Frame) -> usize {
        if let Some(&i) = self.index.get(&frame) {
            return i;
        }
        self.frames.push(frame.clone());
        self.index.insert(frame, self.frames.len() - 1);
        self.frames.len() - 1
    }
}
