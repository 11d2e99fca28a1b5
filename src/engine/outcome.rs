//! What processing a file produces: findings (each with its rendered fix) and
//! the fix plan, the fixes the fixpoint applied, each named by a stable
//! [`FixId`] so any subset can be rendered again.
use super::origin::FixId;
use super::source::Position;
use crate::edit::{Fix, Safety};
use std::ops::Range;

/// One reported anti-pattern.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub message: String,
    pub range: Range<usize>,
    pub start: Position,
    pub end: Position,
    pub fix: Option<Fix>,
}

impl Finding {
    /// Its fix's name in a [`FixFilter`] (a finding of the file as read).
    pub fn id(&self) -> FixId {
        FixId {
            rule: self.rule.clone(),
            range: self.range.clone(),
        }
    }
}

/// A fix the fixpoint applied: one entry of a file's fix plan.
#[derive(Debug, Clone)]
pub struct AppliedFix {
    pub rule: String,
    /// The line of its finding in the file as read.
    pub line: usize,
    /// Its finding's range in the file as read (see [`FixId`]).
    pub range: Range<usize>,
    /// The fix round that applied it (0 for the first, on the file as read).
    pub round: usize,
    /// The fixes of earlier rounds whose rewritten text it was found in or
    /// overlaps: leaving one of them out can make this one disappear.
    pub depends_on: Vec<FixId>,
}

impl AppliedFix {
    /// Its name for [`FixFilter`], to leave it out of (or single it out in) a re-run.
    pub fn id(&self) -> FixId {
        FixId {
            rule: self.rule.clone(),
            range: self.range.clone(),
        }
    }
}

/// What processing one file produced.
#[derive(Debug, Default)]
pub struct FileOutcome {
    /// Findings in the file as it was read.
    pub findings: Vec<Finding>,
    /// The rewritten file (BOM and line endings kept), if anything changed.
    pub fixed: Option<String>,
    /// The fix plan: every fix that made `fixed`, in the order applied, each
    /// with a stable id. Any subset renders with [`process_filtered`] and a
    /// [`FixFilter`] over these ids (what `--hot`, `--changed-lines-only`,
    /// `--interactive` and the compile and `--verify-cmd` checks do).
    pub applied: Vec<AppliedFix>,
    /// Rewrites that were dropped and why (e.g. they would not re-parse).
    pub warnings: Vec<String>,
}

/// What a run asks of each file.
#[derive(Debug, Clone, Copy, Default)]
pub struct Mode {
    /// Compute rewrites (`fix`), not only findings (`check`).
    pub fix: bool,
    /// Also apply rewrites marked unsafe.
    pub unsafe_fixes: bool,
}

/// Whether `mode` applies this finding's rewrite.
pub fn applicable(finding: &Finding, mode: Mode) -> bool {
    finding
        .fix
        .as_ref()
        .is_some_and(|fix| mode.unsafe_fixes || fix.safety == Safety::Safe)
}
