//! Shared by the corpus and fuzz tests: the installed standard library as test
//! material, every built-in codemod (unsafe rewrites included), one parser per
//! thread.
#![allow(dead_code)] // each test binary uses a different part
use perfmod::codemod;
use perfmod::engine::{self, FileOutcome, Mode, RuleSet};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const FIX_ALL: Mode = Mode {
    fix: true,
    unsafe_fixes: true,
};

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new(engine::python_parser());
}

pub fn all_rules() -> RuleSet {
    RuleSet::new(
        codemod::builtin().unwrap(),
        HashMap::from([("concurrency-limit".to_string(), "10".to_string())]),
    )
    .unwrap()
}

pub fn process(text: &str, rules: &RuleSet) -> Result<FileOutcome, String> {
    process_with(text, rules, FIX_ALL)
}

pub fn process_with(text: &str, rules: &RuleSet, mode: Mode) -> Result<FileOutcome, String> {
    PARSER.with(|p| engine::process(text, rules, mode, &mut p.borrow_mut()))
}

/// Whether tree-sitter parses `text` without an error node.
pub fn parses(text: &str) -> bool {
    PARSER.with(|p| {
        p.borrow_mut()
            .parse(text.strip_prefix('\u{feff}').unwrap_or(text), None)
            .is_some_and(|t| !t.root_node().has_error())
    })
}

/// The installed standard library's directory.
pub fn stdlib_dir() -> PathBuf {
    let output = Command::new("python3")
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"])
        .output()
        .expect("python3 is installed");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().trim())
}

/// Every `*.py` under `root`, sorted, without installed third-party packages.
pub fn python_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_dir() && entry.file_name() != "site-packages" && entry.file_name() != "__pycache__" {
                stack.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "py") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
