//! `fix --apply --verify-cmd CMD`: after the rewrites are written, run the
//! user's own check (their tests); if it fails, bisect the applied rewrites,
//! keep every one the check passes with, revert the culprits and name them.
//! The work tree ends either with CMD passing or exactly as it started.
//!
//! CMD runs in its own process group. perfmod waits for the shell itself, not
//! for the pipe its output goes to (a background child such as `sleep 30 &`
//! keeps that open), and on Ctrl-C, SIGTERM or `--verify-timeout` it kills the
//! whole group: SIGTERM, then SIGKILL after a grace period, so a command that
//! ignores signals cannot hold the run.
use super::bisect::{default_max_runs, find_culprits};
use super::interrupt;
use super::journal::Journal;
use super::{distinct_ids, rewrite_with};
use crate::cli::VerifyArgs;
use crate::commands::ExitStatus;
use crate::engine::{self, FixId};
use crate::report::display_path;
use crate::run::{FileResult, FileRules};
use crate::write::write_atomically;
use anyhow::{bail, Context, Result};
use std::collections::HashSet;
use std::io::{Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tree_sitter::Parser;

/// How many of CMD's last output lines a report shows.
const TAIL_LINES: usize = 12;

/// Runs `--verify-cmd` (when given) over the files `fix --apply` wrote.
pub fn run_command(
    args: &VerifyArgs,
    journal: Option<Journal>,
    results: &[FileResult],
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    let Some(cmd) = args.verify_cmd.as_deref() else {
        return Ok(ExitStatus::Success);
    };
    // From here the files are restored by the bisection; the journal's signal
    // handlers stay in place (a new guard would forget a Ctrl-C already seen).
    let journal = journal.map(|mut j| {
        j.hand_over();
        j
    });
    let timeout = args.verify_timeout.map(Duration::from_secs);
    let mut tree = WorkTree::written_by(results);
    let n = tree.fixes.len();
    if n == 0 {
        writeln!(err, "verify: nothing was rewritten; `{cmd}` not run.")?;
        return Ok(ExitStatus::Success);
    }
    let max_runs = args.verify_max_runs.map_or_else(|| default_max_runs(n), |m| m as usize);
    let guard = journal.is_none().then(interrupt::Guard::install);
    let status = verify(&mut tree, cmd, max_runs, timeout, err);
    if status.is_err() {
        // Leave the tree as it started rather than in a half-tested state.
        match tree.set(&[]) {
            Ok(()) => writeln!(err, "verify: every rewrite reverted; the work tree is as it started.")?,
            Err(e) => writeln!(err, "error: restoring the files perfmod rewrote: {e:#}")?,
        }
    }
    drop(guard);
    drop(journal);
    status
}

fn verify(
    tree: &mut WorkTree,
    cmd: &str,
    max_runs: usize,
    timeout: Option<Duration>,
    err: &mut dyn Write,
) -> Result<ExitStatus> {
    let n = tree.fixes.len();
    let rewrites = |k: usize| format!("{k} rewrite{}", if k == 1 { "" } else { "s" });
    writeln!(err, "verify: running `{cmd}` with {} applied...", rewrites(n))?;
    let all = run_shell(cmd, timeout)?;
    if all.passed {
        writeln!(err, "verify: `{cmd}` passes with all {} applied.", rewrites(n))?;
        return Ok(ExitStatus::Success);
    }
    if max_runs < 2 {
        tree.set(&[])?;
        writeln!(
            err,
            "verify: `{cmd}` fails with the rewrites applied, and --verify-max-runs {max_runs} leaves no run \
             to look for the culprits: every rewrite reverted, the work tree is as it started."
        )?;
        write_tail(err, &all.tail)?;
        return Ok(ExitStatus::Findings);
    }
    tree.set(&[])?;
    let none = run_shell(cmd, timeout)?;
    if !none.passed {
        writeln!(
            err,
            "verify: `{cmd}` fails even with every rewrite reverted: it fails on its own, not because of \
             perfmod. Every rewrite reverted, the work tree is as it started."
        )?;
        write_tail(err, &none.tail)?;
        return Ok(ExitStatus::Error);
    }
    writeln!(
        err,
        "verify: `{cmd}` fails with the rewrites and passes without them; bisecting {} \
         (at most {} more runs of `{cmd}`, --verify-max-runs {max_runs})...",
        rewrites(n),
        max_runs - 2
    )?;
    let mut runs = 2;
    let mut test = |keep: &[usize]| -> Result<Result<(), String>> {
        tree.set(keep)?;
        let outcome = run_shell(cmd, timeout)?;
        runs += 1;
        writeln!(
            err,
            "verify: run {runs} of at most {max_runs}: {} of {n} applied: {}",
            keep.len(),
            if outcome.passed { "passes" } else { "fails" }
        )?;
        Ok(if outcome.passed { Ok(()) } else { Err(outcome.tail) })
    };
    let found = find_culprits((0..n).collect(), all.tail, Some(max_runs - 2), &mut test)?;
    tree.set(&found.kept)?;
    let mut shown_tail = None;
    for (culprit, tail) in &found.culprits {
        writeln!(
            err,
            "verify: reverted {}: `{cmd}` fails with it{}",
            tree.describe(*culprit),
            if shown_tail == Some(tail) {
                " (same output as above)"
            } else {
                ":"
            }
        )?;
        if shown_tail != Some(tail) {
            write_tail(err, tail)?;
            shown_tail = Some(tail);
        }
    }
    if !found.untested.is_empty() {
        let names: Vec<String> = found.untested.iter().map(|&i| tree.describe(i)).collect();
        writeln!(
            err,
            "verify: reverted {} left untested when --verify-max-runs {max_runs} was reached: {}",
            rewrites(names.len()),
            names.join(", ")
        )?;
    }
    writeln!(
        err,
        "verify: kept {} of {n}; `{cmd}` passes with them ({} runs of at most {max_runs}).",
        found.kept.len(),
        found.runs + 2
    )?;
    Ok(if found.kept.len() == n {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}

/// The files this run wrote, and which of their fixes are on disk now.
struct WorkTree<'a> {
    files: Vec<WrittenFile<'a>>,
    /// Every applied fix: (index into `files`, its id, its line in the file as read).
    fixes: Vec<(usize, FixId, usize)>,
    parser: Parser,
}

struct WrittenFile<'a> {
    path: &'a Path,
    /// The rules it was rewritten with (its configuration's).
    rules: &'a FileRules,
    original: &'a str,
    /// The text with all its fixes, and their ids: most bisection steps keep a
    /// file whole or revert it whole, and need no re-run of the engine.
    fixed: &'a str,
    all: HashSet<FixId>,
    /// What perfmod last wrote there, to write over only that.
    on_disk: Vec<u8>,
    /// The fixes in `on_disk`.
    applied: HashSet<FixId>,
}

impl<'a> WorkTree<'a> {
    /// The rewritten files whose content on disk is their rewrite: those the
    /// apply wrote (a file that failed to write, or changed since, is left out).
    fn written_by(results: &'a [FileResult]) -> Self {
        let mut files = Vec::new();
        let mut fixes = Vec::new();
        for result in results {
            let (Ok(outcome), Some(bytes), Some(rules)) = (&result.outcome, &result.original, &result.rules) else {
                continue;
            };
            let (Some(fixed), Ok(original)) = (&outcome.fixed, std::str::from_utf8(bytes)) else {
                continue;
            };
            if std::fs::read(&result.path).ok().as_deref() != Some(fixed.as_bytes()) {
                continue;
            }
            let ids = distinct_ids(&outcome.applied);
            for id in &ids {
                let line = outcome.applied.iter().find(|a| &a.id() == id).map_or(0, |a| a.line);
                fixes.push((files.len(), id.clone(), line));
            }
            let all: HashSet<FixId> = ids.into_iter().collect();
            files.push(WrittenFile {
                path: &result.path,
                rules,
                original,
                fixed,
                on_disk: fixed.as_bytes().to_vec(),
                applied: all.clone(),
                all,
            });
        }
        WorkTree {
            files,
            fixes,
            parser: engine::python_parser(),
        }
    }

    /// Puts exactly the fixes `keep` (indices into `fixes`) on disk; files
    /// whose set is unchanged are not touched.
    fn set(&mut self, keep: &[usize]) -> Result<()> {
        for (f, file) in self.files.iter_mut().enumerate() {
            let ids: HashSet<FixId> = keep
                .iter()
                .map(|&i| &self.fixes[i])
                .filter(|(owner, _, _)| *owner == f)
                .map(|(_, id, _)| id.clone())
                .collect();
            if ids == file.applied {
                continue;
            }
            let text = if ids == file.all {
                file.fixed.to_string()
            } else {
                rewrite_with(
                    file.original,
                    ids.clone(),
                    &file.rules.rules,
                    file.rules.mode,
                    &mut self.parser,
                )?
                .0
            };
            if text.as_bytes() != file.on_disk {
                write_atomically(file.path, &file.on_disk, &text)
                    .with_context(|| format!("writing {}", display_path(file.path)))?;
                file.on_disk = text.into_bytes();
            }
            file.applied = ids;
        }
        Ok(())
    }

    /// `rule at path:line`.
    fn describe(&self, fix: usize) -> String {
        let (file, id, line) = &self.fixes[fix];
        format!("{} at {}:{line}", id.rule, display_path(self.files[*file].path))
    }
}

pub(super) struct ShellRun {
    pub passed: bool,
    /// The last lines of stdout and stderr, interleaved as written.
    pub tail: String,
}

/// How long a killed command's group gets between SIGTERM and SIGKILL.
const KILL_GRACE: Duration = Duration::from_secs(2);
/// How long output still arriving after the shell exited is awaited (from
/// background children that hold the pipe, it may never end).
const OUTPUT_GRACE: Duration = Duration::from_millis(200);

/// Runs `cmd` with `sh -c` in the current directory, in a process group of its
/// own, stdout and stderr into one pipe read by a thread; fails if perfmod was
/// interrupted before or during the run. A run past `timeout` is killed and
/// counts as failing. `PYTHONDONTWRITEBYTECODE` keeps Python from caching bytecode of
/// a file perfmod may rewrite again within the same second (the cache is keyed
/// by whole-second mtime and size, so it could serve the previous version).
pub(super) fn run_shell(cmd: &str, timeout: Option<Duration>) -> Result<ShellRun> {
    if interrupt::interrupted() {
        bail!("interrupted");
    }
    let (mut reader, writer) = std::io::pipe()?;
    // The Command owns the pipe's write ends; dropping it lets the read end
    // see EOF once every process holding them has exited.
    let mut child = {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(cmd)
            .stdin(Stdio::null())
            .stdout(writer.try_clone()?)
            .stderr(writer)
            .process_group(0)
            .env("PYTHONDONTWRITEBYTECODE", "1");
        command.spawn().with_context(|| format!("starting `sh -c {cmd}`"))?
    };
    let group = child.id() as libc::pid_t;
    let output = Arc::new(Mutex::new(Vec::new()));
    let (done, finished) = mpsc::channel();
    {
        let output = Arc::clone(&output);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                output
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend_from_slice(&buffer[..n]);
            }
            let _ = done.send(());
        });
    }
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if interrupt::interrupted() {
            kill_group(group, &mut child);
            bail!("interrupted while `{cmd}` ran");
        }
        if timeout.is_some_and(|t| started.elapsed() >= t) {
            timed_out = true;
            break kill_group(group, &mut child);
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = finished.recv_timeout(OUTPUT_GRACE);
    if interrupt::interrupted() {
        bail!("interrupted while `{cmd}` ran");
    }
    let output = output.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut text = String::from_utf8_lossy(&output).into_owned();
    if timed_out {
        let secs = timeout.map_or(0, |t| t.as_secs());
        text.push_str(&format!("\n(perfmod: killed after --verify-timeout {secs} s)"));
    }
    let lines: Vec<&str> = text.lines().collect();
    Ok(ShellRun {
        passed: status.success() && !timed_out,
        tail: lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n"),
    })
}

/// Kills the process group of `child`: SIGTERM, then SIGKILL if the shell has
/// not exited after a grace period (or ignores signals). Returns its status.
fn kill_group(group: libc::pid_t, child: &mut std::process::Child) -> std::process::ExitStatus {
    // SAFETY: signals a process group we created; no memory is involved.
    unsafe { libc::killpg(group, libc::SIGTERM) };
    let deadline = Instant::now() + KILL_GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(status)) = child.try_wait() {
            // SAFETY: as above; children left in the group go too.
            unsafe { libc::killpg(group, libc::SIGKILL) };
            return status;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    // SAFETY: as above.
    unsafe { libc::killpg(group, libc::SIGKILL) };
    child
        .wait()
        .unwrap_or_else(|_| std::process::ExitStatus::from_raw(libc::SIGKILL))
}

pub(super) fn write_tail(err: &mut dyn Write, tail: &str) -> Result<()> {
    for line in tail.lines() {
        writeln!(err, "    | {line}")?;
    }
    Ok(())
}
