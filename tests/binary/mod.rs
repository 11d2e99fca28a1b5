//! Running the built `perfmod` binary in a temporary tree, for the tests that
//! drive the command line (cli, config, hostile).
#![allow(dead_code)] // each test binary uses a different part
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

/// `perfmod ARGS` in `dir`, without colour, and without `CI` (which hides
/// the progress bar) so CI and a developer's shell behave alike.
pub fn perfmod_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_perfmod"));
    command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI");
    command
}

pub fn perfmod(dir: &Path, args: &[&str]) -> Output {
    perfmod_command(dir, args).output().expect("the perfmod binary runs")
}

pub fn code(output: &Output) -> i32 {
    output.status.code().expect("perfmod exited, not killed")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A temporary directory holding `files` (name, text), parents created.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}
