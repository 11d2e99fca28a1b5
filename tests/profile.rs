//! `--profile` and `--hot`: profiles made by running `python3 -m cProfile` (and
//! the pure-Python `profile` module) on small programs in the test, and the
//! checked-in py-spy profiles of `tests/data/profile/app.py`, must rank the
//! finding in the hot function first and restrict `fix --hot` to it.
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_perfmod");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/profile");

/// The program the py-spy profiles were recorded from, with fewer rounds so
/// that running it under cProfile stays quick. `hot` has two findings (lines
/// 11 and 12), `cold` one (line 5).
fn program() -> String {
    std::fs::read_to_string(Path::new(DATA).join("app.py"))
        .unwrap()
        .replace("hot(2_000_000)", "hot(200_000)")
        .replace("range(60)", "range(6)")
}

fn perfmod(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN).current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `python3 -m MODULE -o out.prof SCRIPT` in `dir`.
fn profile_with(module: &str, dir: &Path, script: &str) {
    let out = Command::new("python3")
        .current_dir(dir)
        .args(["-m", module, "-o", "out.prof", script])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The `line:rule` of each finding line, in output order.
fn ranking(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| l.contains(".py:"))
        .map(|l| {
            let parts: Vec<&str> = l.splitn(4, ':').collect();
            format!("{}:{}", parts[1], parts[3].split_whitespace().next().unwrap())
        })
        .collect()
}

fn share(line: &str, kind: &str) -> f64 {
    let at = line
        .find(&format!("% {kind}"))
        .unwrap_or_else(|| panic!("no {kind} in {line}"));
    let start = line[..at].rfind([' ', '[']).unwrap() + 1;
    line[start..at].parse().unwrap()
}

#[test]
fn cprofile_ranks_the_hot_findings_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), program()).unwrap();
    profile_with("cProfile", dir.path(), "app.py");
    let (code, stdout, stderr) = perfmod(dir.path(), &["check", "--profile", "out.prof", "app.py"]);
    assert_eq!(code, 1, "{stderr}");
    let order = ranking(&stdout);
    assert_eq!(order.len(), 3, "{stdout}");
    assert!(
        order[..2].iter().all(|r| r.starts_with("11:") || r.starts_with("12:")),
        "{stdout}"
    );
    assert_eq!(order[2], "5:sorted-for-extreme", "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    // `sorted()` is a builtin: its time counts to `hot`'s self time.
    assert!(share(lines[0], "self") > 50.0, "{stdout}");
    assert!(share(lines[2], "self") < 20.0, "{stdout}");
    assert!(
        stderr.contains("profile: 5 of ") && stderr.contains("0 findings outside"),
        "{stderr}"
    );

    // Without --profile the output is as it always was.
    let (_, plain, _) = perfmod(dir.path(), &["check", "app.py"]);
    assert!(!plain.contains("[time"));
    assert!(plain.lines().next().unwrap().starts_with("app.py:5:"), "{plain}");

    let (_, json, _) = perfmod(
        dir.path(),
        &["check", "--profile", "out.prof", "--format", "json", "app.py"],
    );
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["profile"]["function"], "hot");
    assert_eq!(rows[0]["profile"]["function_line"], 8);
    assert_eq!(rows[2]["profile"]["function"], "cold");
    assert!(rows[2]["profile"]["inclusive_percent"].as_f64().unwrap() < 20.0);

    let (_, hot, stderr) = perfmod(dir.path(), &["check", "--profile", "out.prof", "--hot", "50", "app.py"]);
    assert_eq!(ranking(&hot).len(), 2, "{hot}");
    assert!(!hot.contains("app.py:5:"), "{hot}");
    assert!(stderr.contains("hot: the hottest function takes"), "{stderr}");
    assert!(stderr.contains("1 finding outside them left out"), "{stderr}");
}

#[test]
fn profile_module_dumps_and_other_roots_match() {
    // Profiled as `pkg/app.py` from one directory, checked as `src/pkg/app.py` from another.
    let dir = tempfile::tempdir().unwrap();
    let ran = dir.path().join("ran");
    let checked = dir.path().join("checked");
    for root in [ran.join("pkg"), checked.join("src/pkg")] {
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(root.join("app.py"), program().replace("hot(200_000)", "hot(20_000)")).unwrap();
    }
    profile_with("profile", &ran, "pkg/app.py");
    let prof = ran.join("out.prof");
    let (code, stdout, stderr) = perfmod(&checked, &["check", "--profile", prof.to_str().unwrap(), "src"]);
    assert_eq!(code, 1, "{stderr}");
    let order = ranking(&stdout);
    assert_eq!(order.last().unwrap(), "5:sorted-for-extreme", "{stdout}");
    assert!(!stdout.contains("not in the profile"), "{stdout}");
}

#[test]
fn speedscope_and_collapsed_stacks_rank_alike() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(Path::new(DATA).join("app.py"), dir.path().join("app.py")).unwrap();
    for name in ["app.speedscope.json", "app.collapsed.txt"] {
        let profile = Path::new(DATA).join(name);
        let (code, stdout, stderr) = perfmod(dir.path(), &["check", "--profile", profile.to_str().unwrap(), "app.py"]);
        assert_eq!(code, 1, "{name}: {stderr}");
        let order = ranking(&stdout);
        assert_eq!(order.last().unwrap(), "5:sorted-for-extreme", "{name}: {stdout}");
        let lines: Vec<&str> = stdout.lines().collect();
        assert!(share(lines[0], "incl") > 70.0, "{name}: {stdout}");
        let cold = share(lines[2], "incl");
        assert!(cold > 0.0 && cold < 20.0, "{name}: {stdout}");
        assert!(stderr.contains("0 findings outside"), "{name}: {stderr}");
    }
}

#[test]
fn fix_hot_rewrites_only_the_hot_code() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("app.py");
    std::fs::write(&app, program()).unwrap();
    profile_with("cProfile", dir.path(), "app.py");
    let (code, _, stderr) = perfmod(dir.path(), &["fix", "--profile", "out.prof", "app.py"]);
    assert_eq!(code, 2, "fix uses a profile only with --hot: {stderr}");
    let (code, _, stderr) = perfmod(
        dir.path(),
        // `sorted([i, 3, 2, 1])[0]` is unsafe: perfmod cannot show `i` is a number.
        &[
            "fix",
            "--apply",
            "--unsafe",
            "--profile",
            "out.prof",
            "--hot",
            "80",
            "app.py",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let fixed = std::fs::read_to_string(&app).unwrap();
    assert!(fixed.contains("total += min([i, 3, 2, 1])"), "{fixed}");
    assert!(
        fixed.contains("return sorted(values)[0]"),
        "the cold rewrite is left: {fixed}"
    );
}

#[test]
fn what_is_not_a_profile_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), "x = 1\n").unwrap();
    std::fs::write(dir.path().join("junk.prof"), [0xff, 0x00, 0x13]).unwrap();
    let (code, _, stderr) = perfmod(dir.path(), &["check", "--profile", "junk.prof", "app.py"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a profile perfmod reads"), "{stderr}");
    let (code, _, stderr) = perfmod(dir.path(), &["check", "--hot", "50", "app.py"]);
    assert_eq!(code, 2, "--hot needs --profile: {stderr}");
}
