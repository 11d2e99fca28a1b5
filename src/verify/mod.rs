//! Verified apply: rewrites proven with the user's own Python and tests.
//!
//! Tree-sitter re-parses every round, but code can parse and still not compile,
//! or compile and break a test. So, after the rewrites of a run are computed:
//! `compile` has the user's interpreter `compile()` every rewritten file (one
//! process per run) and drops the rewrites that do not compile; after they are
//! written, `command` runs `--verify-cmd` and, when it fails, reverts exactly
//! the rewrites that break it. Both find culprits with `bisect`, re-running a
//! file with only some of its fixes through [`FixFilter`]. Last, `bench` times
//! `--bench-cmd` with and without the rewrites that were kept.
pub mod bench;
pub mod bisect;
pub mod command;
pub mod compile;
mod interrupt;
pub mod journal;
pub mod python;

pub use bench::run_benchmark;
pub use command::run_command;
pub use compile::compile_check;
pub use journal::Journal;

use crate::engine::{self, AppliedFix, FixFilter, FixId, Mode, RuleSet};
use anyhow::{anyhow, Result};
use std::collections::HashSet;
use tree_sitter::Parser;

/// A file's text as read, rewritten with just the fixes in `keep`, with the
/// fixes that landed.
fn rewrite_with(
    original: &str,
    keep: HashSet<FixId>,
    rules: &RuleSet,
    mode: Mode,
    parser: &mut Parser,
) -> Result<(String, Vec<AppliedFix>)> {
    if keep.is_empty() {
        return Ok((original.to_string(), Vec::new()));
    }
    let outcome = engine::process_filtered(original, rules, mode, &FixFilter::Only(keep), parser)
        .map_err(|reason| anyhow!("re-running the fixes: {reason}"))?;
    Ok((outcome.fixed.unwrap_or_else(|| original.to_string()), outcome.applied))
}

/// The distinct ids of the fixes applied to a file, in order.
fn distinct_ids(applied: &[AppliedFix]) -> Vec<FixId> {
    let mut seen = HashSet::new();
    applied
        .iter()
        .map(AppliedFix::id)
        .filter(|id| seen.insert(id.clone()))
        .collect()
}
