//! `fix --apply --bench-cmd CMD`: did the batch of rewrites make the user's
//! program faster? CMD runs with the rewrites (as kept by `--verify-cmd`) and
//! without them, alternating (ABBA) so a machine that gets busier slows both
//! alike, `--bench-runs` times each; the report is the ratio of the medians
//! with a 95% bootstrap interval, as hyperfine would give. With `--bench-min`,
//! a batch whose interval does not lie above the threshold is reverted whole
//! and the run exits 1: the tree ends as it started, as with `--verify-cmd`.
use super::command::{run_shell, write_tail};
use super::interrupt;
use crate::cli::VerifyArgs;
use crate::commands::ExitStatus;
use crate::report::display_path;
use crate::run::FileResult;
use crate::write::write_atomically;
use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::Path;
use std::time::Instant;

const DEFAULT_RUNS: u32 = 10;

/// A file this run rewrote: its text as read and as it is now on disk.
struct Rewritten<'a> {
    path: &'a Path,
    before: &'a str,
    after: String,
}

/// Runs `--bench-cmd` (when given) over the files `fix --apply` wrote.
pub fn run_benchmark(args: &VerifyArgs, results: &[FileResult], err: &mut dyn Write) -> Result<ExitStatus> {
    let Some(cmd) = args.bench_cmd.as_deref() else {
        return Ok(ExitStatus::Success);
    };
    let files = rewritten(results);
    if files.is_empty() {
        writeln!(err, "bench: nothing was rewritten; `{cmd}` not run.")?;
        return Ok(ExitStatus::Success);
    }
    let runs = args.bench_runs.unwrap_or(DEFAULT_RUNS) as usize;
    let guard = interrupt::Guard::install();
    let outcome = measure(&files, cmd, runs, err);
    // Whatever happened, the tree goes back to the rewrites as kept...
    let restored = set(&files, State::After);
    drop(guard);
    restored?;
    let (before, after) = match outcome? {
        Measured::Times(before, after) => (before, after),
        Measured::Failed => return Ok(ExitStatus::Error),
    };
    let speedup = Speedup::of(&before, &after);
    writeln!(
        err,
        "bench: `{cmd}`, {runs} runs with and without the rewrites, interleaved:\n  \
         before: median {}, min {}, max {}\n  after:  median {}, min {}, max {}",
        seconds(median(&before)),
        seconds(min(&before)),
        seconds(max(&before)),
        seconds(median(&after)),
        seconds(min(&after)),
        seconds(max(&after)),
    )?;
    writeln!(
        err,
        "bench: {:.2}x {} with the rewrites (95% interval {:.2}-{:.2}).",
        speedup.median,
        if speedup.median >= 1.0 {
            "faster"
        } else {
            "as fast (slower)"
        },
        speedup.low,
        speedup.high
    )?;
    let Some(min_speedup) = args.bench_min else {
        return Ok(ExitStatus::Success);
    };
    if speedup.low >= min_speedup {
        writeln!(err, "bench: faster than --bench-min {min_speedup}: rewrites kept.")?;
        return Ok(ExitStatus::Success);
    }
    // ...unless they are not faster enough.
    set(&files, State::Before)?;
    writeln!(
        err,
        "bench: not shown faster than --bench-min {min_speedup} (interval {:.2}-{:.2}): every rewrite \
         reverted, the work tree is as it started.",
        speedup.low, speedup.high
    )?;
    Ok(ExitStatus::Findings)
}

/// The files whose content on disk is no longer what was read: those the
/// apply wrote and `--verify-cmd` kept rewrites in.
fn rewritten(results: &[FileResult]) -> Vec<Rewritten<'_>> {
    results
        .iter()
        .filter_map(|result| {
            let outcome = result.outcome.as_ref().ok()?;
            outcome.fixed.as_ref()?;
            let before = std::str::from_utf8(result.original.as_deref()?).ok()?;
            let after = std::fs::read_to_string(&result.path).ok()?;
            (after != before).then_some(Rewritten {
                path: &result.path,
                before,
                after,
            })
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Before,
    After,
}

fn set(files: &[Rewritten], state: State) -> Result<()> {
    for file in files {
        let (from, to) = match state {
            State::Before => (file.after.as_str(), file.before),
            State::After => (file.before, file.after.as_str()),
        };
        let on_disk = std::fs::read(file.path).with_context(|| format!("reading {}", display_path(file.path)))?;
        if on_disk != to.as_bytes() {
            write_atomically(file.path, from.as_bytes(), to)
                .with_context(|| format!("writing {}", display_path(file.path)))?;
        }
    }
    Ok(())
}

enum Measured {
    Times(Vec<f64>, Vec<f64>),
    /// CMD failed; said so.
    Failed,
}

fn measure(files: &[Rewritten], cmd: &str, runs: usize, err: &mut dyn Write) -> Result<Measured> {
    writeln!(
        err,
        "bench: timing `{cmd}` {runs} times with and {runs} times without the rewrites..."
    )?;
    let (mut before, mut after) = (Vec::with_capacity(runs), Vec::with_capacity(runs));
    for round in 0..runs {
        let order = if round % 2 == 0 {
            [State::Before, State::After]
        } else {
            [State::After, State::Before]
        };
        for state in order {
            set(files, state)?;
            let start = Instant::now();
            let run = run_shell(cmd, None)?;
            let took = start.elapsed().as_secs_f64();
            if !run.passed {
                let which = if state == State::Before { "without" } else { "with" };
                writeln!(err, "bench: `{cmd}` failed {which} the rewrites; no speedup measured:")?;
                write_tail(err, &run.tail)?;
                return Ok(Measured::Failed);
            }
            match state {
                State::Before => before.push(took),
                State::After => after.push(took),
            }
        }
    }
    if before.is_empty() {
        bail!("no run of `{cmd}`");
    }
    Ok(Measured::Times(before, after))
}

/// median(before) / median(after) and a 95% bootstrap interval, resampling
/// the interleaved pairs together.
struct Speedup {
    median: f64,
    low: f64,
    high: f64,
}

impl Speedup {
    fn of(before: &[f64], after: &[f64]) -> Speedup {
        const RESAMPLES: usize = 2000;
        let n = before.len();
        // xorshift64*, fixed seed: the same times give the same interval.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound
        };
        let mut ratios: Vec<f64> = (0..RESAMPLES)
            .map(|_| {
                let picks: Vec<usize> = (0..n).map(|_| next(n)).collect();
                let b: Vec<f64> = picks.iter().map(|&i| before[i]).collect();
                let a: Vec<f64> = picks.iter().map(|&i| after[i]).collect();
                median(&b) / median(&a)
            })
            .collect();
        ratios.sort_by(f64::total_cmp);
        Speedup {
            median: median(before) / median(after),
            low: ratios[RESAMPLES * 25 / 1000],
            high: ratios[RESAMPLES * 975 / 1000 - 1],
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn min(values: &[f64]) -> f64 {
    values.iter().copied().fold(f64::INFINITY, f64::min)
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

fn seconds(s: f64) -> String {
    crate::bench::docs::seconds(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speedup_interval_holds_the_ratio_of_medians() {
        let before = [2.0, 2.1, 1.9, 2.0, 2.2, 2.0];
        let after = [1.0, 1.05, 0.95, 1.0, 1.1, 1.0];
        let s = Speedup::of(&before, &after);
        assert!((s.median - 2.0).abs() < 1e-9);
        assert!(
            s.low <= 2.0 && 2.0 <= s.high && s.low > 1.7 && s.high < 2.3,
            "{}-{}",
            s.low,
            s.high
        );
    }
}
