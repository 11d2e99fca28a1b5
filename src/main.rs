//! The `perfmod` binary: parses the command line, runs one subcommand, and maps
//! how it ended to the exit code (0 clean, 1 findings or pending rewrites, 2 error).
use clap::{CommandFactory, Parser};
use perfmod::cli::{Cli, Command};
use perfmod::commands::{bench, check, fix, hook, man, rules, ExitStatus};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { ExitStatus::Error.code() } else { 0 });
        }
    };
    let result = match &cli.command {
        Command::Check(args) => check::run_check(args),
        Command::Fix(args) => fix::run_fix(args),
        Command::Rules(args) => rules::run_rules(args),
        Command::Explain { rule, codemods } => rules::run_explain(rule, codemods),
        Command::Bench(args) => bench::run_bench(args),
        Command::Hook(command) => hook::run_hook(command),
        Command::Completions { shell } => {
            clap_complete::generate(*shell, &mut Cli::command(), "perfmod", &mut std::io::stdout());
            Ok(ExitStatus::Success)
        }
        Command::ParseOnly { paths } => rules::run_parse_only(paths),
        // The language server has its own exit codes (LSP's 0 or 1).
        Command::Server => return perfmod::server::run(),
        Command::Man(args) => man::run_man(args),
    };
    match result {
        Ok(status) => ExitCode::from(status.code()),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(ExitStatus::Error.code())
        }
    }
}

/// `perfmod check | head` closes our stdout early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
