//! The result cache never serves a stale result: a changed file, a different
//! rule selection or options are misses, and `--no-cache` leaves no cache behind.
use std::path::Path;
use std::process::{Command, Output};

fn perfmod(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_perfmod"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("perfmod runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A finding `fix` rewrites (perfmod proves it safe), and the file after it.
const SLOW: &str = "def f(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
const CLEAN: &str = "def f(name):\n    flags = {'debug': True}\n    return name in flags\n";

#[test]
fn cached_results_follow_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), SLOW).unwrap();
    let first = perfmod(dir.path(), &["check", "a.py"]);
    assert_eq!(first.status.code(), Some(1));
    assert!(
        dir.path().join(".perfmod_cache").is_dir(),
        "the first run fills the cache"
    );
    let second = perfmod(dir.path(), &["check", "a.py"]);
    assert_eq!(stdout(&first), stdout(&second), "a warm run reports the same findings");
    // The same configuration finds the same cache again (a key that changed from
    // run to run, e.g. by hashing an address, would make every run cold).
    let caches = std::fs::read_dir(dir.path().join(".perfmod_cache"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "json"))
        .count();
    assert_eq!(caches, 1, "two runs with one configuration wrote {caches} cache files");

    std::fs::write(dir.path().join("a.py"), CLEAN).unwrap();
    let after_edit = perfmod(dir.path(), &["check", "a.py"]);
    assert_eq!(
        after_edit.status.code(),
        Some(0),
        "stale result served: {}",
        stdout(&after_edit)
    );
}

#[test]
fn cached_results_follow_the_rule_selection() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), SLOW).unwrap();
    assert_eq!(perfmod(dir.path(), &["check", "a.py"]).status.code(), Some(1));
    let ignored = perfmod(dir.path(), &["check", "--ignore", "dict-keys-membership", "a.py"]);
    assert_eq!(ignored.status.code(), Some(0), "{}", stdout(&ignored));
}

#[test]
fn a_warm_fix_still_produces_the_rewrite() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), SLOW).unwrap();
    perfmod(dir.path(), &["check", "a.py"]);
    let fixed = perfmod(dir.path(), &["fix", "a.py"]);
    assert_eq!(fixed.status.code(), Some(1));
    assert!(
        stdout(&fixed).contains("+    return name in flags\n"),
        "{}",
        stdout(&fixed)
    );
}

#[test]
fn no_cache_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.py"), SLOW).unwrap();
    perfmod(dir.path(), &["check", "--no-cache", "a.py"]);
    assert!(!dir.path().join(".perfmod_cache").exists());
}
