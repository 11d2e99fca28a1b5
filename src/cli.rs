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
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug)]
pub struct FixArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Write the rewrites in place instead of showing diffs.
    #[arg(long)]
    pub apply: bool,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub codemods: CodemodSource,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Args, Debug, Clone, Default)]
pub struct CodemodSource {
    /// Also load user codemods from this directory (same layout as the built-in ones).
    #[arg(long, value_name = "DIR")]
    pub codemods: Option<PathBuf>,
}

#[derive(Args, Debug, Clone)]
pub struct CommonArgs {
    /// Files or directories (default: the current directory). Directories are
    /// walked respecting .gitignore; files named here are always processed.
    pub paths: Vec<PathBuf>,
    /// Only these codemods (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub select: Option<Vec<String>>,
    /// Leave these codemods out (comma-separated ids).
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    pub ignore: Option<Vec<String>>,
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
    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// How many coroutines the concurrency rewrites let run at once (default 10).
    #[arg(long, value_name = "N")]
    pub concurrency_limit: Option<u32>,
    /// Neither read nor write the result cache (`.perfmod_cache/`).
    #[arg(long)]
    pub no_cache: bool,
    #[command(flatten)]
    pub codemods: CodemodSource,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}
