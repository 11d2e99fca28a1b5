//! The command line, as clap parses it. Values are only checked for form here;
//! `settings` turns them (with `[tool.perfmod]`) into what a run uses.
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "perfmod",
    version,
    about = "Find performance anti-patterns in Python code and rewrite them"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Report anti-patterns: `path:line:col: rule-id message`. Exit 1 if any.
    Check(CheckArgs),
    /// Show the rewrites as unified diffs (dry run), or write them with --apply.
    Fix(FixArgs),
    /// List the codemods: id, safety, minimum Python, summary.
    Rules(RulesArgs),
    /// Print a codemod's documentation with its before/after example.
    Explain {
        /// A codemod id, e.g. `readlines-loop`.
        rule: String,
        #[command(flatten)]
        codemods: CodemodSource,
    },
    /// Measure each rewrite on your Python: its micro-benchmark before and after
    /// perfmod's own rewrite, at several sizes, with a confidence interval.
    Bench(BenchArgs),
    /// Git hooks: `perfmod hook install` sets up the pre-push check.
    #[command(subcommand)]
    Hook(HookCommand),
    /// Print a shell completion script (e.g. `perfmod completions bash > ~/.local/share/bash-completion/completions/perfmod`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// A language server (LSP over stdio) for editors: diagnostics, quick fixes, hovers.
    Server,
    /// Print a man page (roff): `perfmod man > perfmod.1`, `perfmod man check >
    /// perfmod-check.1`, or every page with `perfmod man --dir ~/.local/share/man/man1`.
    Man(ManArgs),
    /// Parse every file with tree-sitter and nothing else: the floor the
    /// benchmark (`bench/scan.py`) compares a full scan against.
    #[command(hide = true)]
    ParseOnly { paths: Vec<std::path::PathBuf> },
}

#[derive(Args, Debug)]
pub struct ManArgs {
    /// A subcommand (e.g. `check`, or `hook install`): print its page,
    /// perfmod-check(1), instead of perfmod(1).
    pub subcommand: Vec<String>,
    /// Write the pages of perfmod and of every subcommand into DIR
    /// (perfmod.1, perfmod-check.1, perfmod-hook-install.1, ...).
    #[arg(long, value_name = "DIR", conflicts_with = "subcommand")]
    pub dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum HookCommand {
    /// Write .git/hooks/pre-push: each push is checked for findings in the Python
    /// files it changes, and blocked when there are any.
    Install {
        /// Replace a pre-push hook that perfmod did not write.
        #[arg(long)]
        force: bool,
    },
    /// What the installed hook runs: reads git's pre-push lines from stdin.
    #[command(hide = true)]
    PrePush {
        /// The remote's name (or URL when pushing to a URL).
        remote: String,
        /// The remote's URL.
        url: Option<String>,
    },
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FindingsFormat::Text)]
    pub format: FindingsFormat,
    /// Print the number of findings per rule instead of the findings (text or json).
    #[arg(long)]
    pub statistics: bool,
    /// Print the settings that apply to FILE (its configuration file, rules,
    /// target version, ...) and exit.
    #[arg(long, value_name = "FILE")]
    pub show_settings: Option<PathBuf>,
    #[command(flatten)]
    pub profile: ProfileArgs,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write the rewrites in place instead of showing diffs.
    #[arg(long)]
    pub apply: bool,
    /// Ask about each rewrite (y apply, n skip, a apply all of this rule, q quit),
    /// then write the accepted ones.
    #[arg(long, conflicts_with_all = ["apply", "stdin_filename"])]
    pub interactive: bool,
    #[command(flatten)]
    pub verify: VerifyArgs,
    #[command(flatten)]
    pub profile: ProfileArgs,
    /// With --apply or --interactive, also rewrite files that have uncommitted
    /// changes in git (by default they are refused, so every rewrite can be undone).
    #[arg(long)]
    pub allow_dirty: bool,
}

#[derive(Args, Debug)]
pub struct BenchArgs {
    /// Rule ids or effect categories (speed, memory, correctness, modernize);
    /// default: every codemod that has a benchmark.
    pub rules: Vec<String>,
    /// The Python to measure on.
    #[arg(long, value_name = "PATH", default_value = "python3")]
    pub python: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Seconds of timing, shared among the cases (each gets at least half a
    /// fair share, and a slow call completes its minimum rounds, so a run can
    /// take a little longer); a case stops earlier once its interval is within ±2%.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub budget: f64,
    /// Write each rule's table into DIR/<id>/docs.md (default DIR: ./codemods).
    #[arg(long, value_name = "DIR", num_args = 0..=1, default_missing_value = "codemods")]
    pub write_docs: Option<PathBuf>,
    #[command(flatten)]
    pub codemods: CodemodSource,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub codemods: CodemodSource,
    /// List the guards, template filters and fixers a codemod can use (markdown),
    /// instead of the codemods.
    #[arg(long)]
    pub registry: bool,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug, Clone, Default)]
pub struct CodemodSource {
    /// Also load user codemods from this directory (same layout as the built-in ones).
    #[arg(long, value_name = "DIR")]
    pub codemods: Option<PathBuf>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct CommonArgs {
    /// Files or directories (default: the current directory). Directories are
    /// walked respecting .gitignore; files named here are always processed.
    pub paths: Vec<PathBuf>,
    /// Only these codemods: ids or effect categories (speed, memory, correctness,
    /// modernize, ALL), comma-separated. Default: speed,correctness.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Option<Vec<String>>,
    /// Leave these codemods out: ids or effect categories, comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Option<Vec<String>>,
    /// Add these codemods (ids or categories) to those selected.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub extend_select: Option<Vec<String>>,
    /// Apply only these codemods' rewrites (ids or categories); the others are reported only.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub fixable: Option<Vec<String>>,
    /// Never apply these codemods' rewrites; their findings are still reported.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub unfixable: Option<Vec<String>>,
    /// The settings of this file (a perfmod.toml or a pyproject.toml) for every
    /// file, instead of each file's nearest configuration.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Also apply rewrites marked unsafe (they can change behaviour in edge cases).
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Python version the code must keep running on, py38..py314
    /// (default: `requires-python` of the nearest pyproject.toml, else py310).
    #[arg(long, value_name = "VERSION")]
    pub target_version: Option<String>,
    /// Skip walked paths matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also skip walked paths matching this glob, relative to the configuration's directory (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub extend_exclude: Vec<String>,
    /// The longest line a rewrite may write (default: `line-length` of perfmod's,
    /// ruff's or black's configuration, else 88).
    #[arg(long, value_name = "N")]
    pub line_length: Option<u32>,
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// How many coroutines the concurrency rewrites let run at once (default 10).
    #[arg(long, value_name = "N")]
    pub concurrency_limit: Option<u32>,
    /// Neither read nor write the result cache (`.perfmod_cache/`).
    #[arg(long)]
    pub no_cache: bool,
    /// Parse and match every file whole, skipping no statement (for checking
    /// that the prefilter never changes a result).
    #[arg(long, hide = true)]
    pub no_prefilter: bool,
    #[command(flatten)]
    pub codemods: CodemodSource,
    /// Only files changed since this git revision (committed, staged or not), plus untracked ones.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Only findings on lines changed since --changed-since REF (`git diff -U0 REF`).
    #[arg(long, requires = "changed_since")]
    pub changed_lines_only: bool,
    /// Process only shard K of N (1-based) of the files, for parallel CI jobs.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,
    /// Read the source from stdin, as if it were the file PATH (its config applies):
    /// `check` prints its findings, `fix` prints the fixed source.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["paths", "changed_since", "shard"])]
    pub stdin_filename: Option<PathBuf>,
}

/// `--shard K/N`: shard K (1-based) of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not K/N with 1 <= K <= N, e.g. 2/4");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let (index, count): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

/// A profile of the program, to rank findings by the time spent where they are
/// (`src/profile/`).
#[derive(Args, Debug, Clone, Default)]
pub struct ProfileArgs {
    /// A profile of the program: `python -m cProfile -o FILE`, py-spy's speedscope
    /// JSON, or collapsed stacks (`frame;frame count`); the format is read from the
    /// content. `check` shows each finding's share of the time and sorts by it.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Only findings (and, for `fix`, rewrites) in the functions that, ranked by
    /// self time, together take PCT% of the profile's time.
    #[arg(long, value_name = "PCT", requires = "profile", value_parser = parse_percent)]
    pub hot: Option<f64>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 100.0 => Ok(p),
        _ => Err(format!("`{text}` is not a percentage above 0 and at most 100")),
    }
}

/// How `check` prints findings.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingsFormat {
    /// `path:line:col: rule-id [*] message`
    Text,
    /// An array of objects (see `report::json`).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other viewers.
    Sarif,
    /// GitHub Actions workflow annotations (`::warning file=...`).
    Github,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Checking rewrites with the user's own Python and tests (`src/verify/`),
/// whichever way the rewrites were chosen. Not on stdin (an editor's buffer has
/// no project to run): refused there rather than silently skipped.
#[derive(Args, Debug, Clone, Default)]
pub struct VerifyArgs {
    /// Dry run: compile every rewritten file with Python first, as --apply always
    /// does, and show only the rewrites that compile.
    #[arg(long, conflicts_with_all = NOT_VERIFIED)]
    pub verify: bool,
    /// The Python that compiles the rewritten files (default: `python3` on PATH).
    #[arg(long, value_name = "PATH", conflicts_with_all = NOT_VERIFIED)]
    pub python: Option<PathBuf>,
    /// With --apply or --interactive: after writing, run this shell command (e.g.
    /// "pytest -x -q"); if it fails, find the rewrites that break it by bisection
    /// and revert only those.
    #[arg(long, value_name = "COMMAND", conflicts_with_all = NOT_VERIFIED)]
    pub verify_cmd: Option<String>,
    /// At most this many runs of --verify-cmd (default: 2*log2(rewrites) + 4).
    #[arg(long, value_name = "N", requires = "verify_cmd", value_parser = clap::value_parser!(u32).range(1..))]
    pub verify_max_runs: Option<u32>,
    /// Stop a run of --verify-cmd after this many seconds (it counts as failing);
    /// its whole process group is killed.
    #[arg(long, value_name = "SECS", requires = "verify_cmd", value_parser = clap::value_parser!(u64).range(1..))]
    pub verify_timeout: Option<u64>,
    /// After applying (and --verify-cmd), time this shell command with and
    /// without the rewrites, interleaved, and report the speedup with its interval.
    #[arg(long, value_name = "COMMAND", requires = "apply", conflicts_with_all = NOT_VERIFIED)]
    pub bench_cmd: Option<String>,
    /// Runs of --bench-cmd with and without the rewrites, each (default 10).
    #[arg(long, value_name = "N", requires = "bench_cmd", value_parser = clap::value_parser!(u32).range(2..))]
    pub bench_runs: Option<u32>,
    /// Revert every rewrite and exit 1 unless the speedup's 95% interval lies
    /// above SPEEDUP (e.g. 1.05 for at least 5% faster).
    #[arg(long, value_name = "SPEEDUP", requires = "bench_cmd")]
    pub bench_min: Option<f64>,
}

/// The `fix` mode that writes no files, so has nothing to verify.
const NOT_VERIFIED: [&str; 1] = ["stdin_filename"];
