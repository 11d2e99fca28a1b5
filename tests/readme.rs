//! Every ```sh example of the README runs as written, in order, on a scratch
//! git repository (a copy of examples/ as `src/`, an `app.py`, `app/views.py`,
//! a remote `origin`), with `perfmod` on PATH and HOME inside the scratch
//! directory. A command passes when it exits 0 or 1 (findings) and prints no
//! `error:`. Blocks are committed between one another, as a user commits a
//! reviewed rewrite. ```text blocks are synopses (placeholders, installs).
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Examples not run here, each with the reason.
const SKIPPED: &[(&str, &str)] = &[(
    "python3 bench/scan.py",
    "the benchmark installs ruff and ast-grep and builds --release: minutes, run by hand",
)];

/// The ```sh blocks of the README, each as its lines.
fn sh_blocks(readme: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in readme.lines() {
        match (&mut current, line.trim_end()) {
            (None, "```sh") => current = Some(Vec::new()),
            (Some(_), "```") => blocks.push(current.take().unwrap()),
            (Some(block), text) if !text.trim().is_empty() => block.push(text.to_string()),
            _ => {}
        }
    }
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn sh(dir: &Path, path_var: &str, home: &Path, script: &str) -> std::process::Output {
    Command::new("bash")
        .args(["-c", script])
        .current_dir(dir)
        .env("PATH", path_var)
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .env("GIT_CONFIG_GLOBAL", home.join(".gitconfig"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn readme_shell_examples_run_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let blocks = sh_blocks(&fs::read_to_string(root.join("README.md")).unwrap());
    assert!(blocks.len() >= 8, "found {} ```sh blocks", blocks.len());

    let scratch = tempfile::tempdir().unwrap();
    let (home, repo, remote, bin) = (
        scratch.path().join("home"),
        scratch.path().join("repo"),
        scratch.path().join("origin.git"),
        scratch.path().join("bin"),
    );
    fs::create_dir_all(&home).unwrap();
    fs::create_dir_all(&bin).unwrap();
    fs::write(
        home.join(".gitconfig"),
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
    )
    .unwrap();
    copy_dir(&root.join("examples"), &repo.join("src"));
    fs::copy(root.join("examples/profile/slow.py"), repo.join("app.py")).unwrap();
    fs::create_dir_all(repo.join("app")).unwrap();
    fs::write(
        repo.join("app/views.py"),
        // A rewrite `fix` makes without `--unsafe` (a dict literal's `.keys()`).
        "def view(request):\n    allowed = {\"GET\": 200, \"HEAD\": 200}\n    return request.method in allowed.keys()\n",
    )
    .unwrap();
    fs::write(
        repo.join("test_app.py"),
        "import unittest\n\n\nclass Smoke(unittest.TestCase):\n    def test_ok(self):\n        self.assertTrue(True)\n",
    )
    .unwrap();
    // pytest is not installed in CI: a stand-in that runs the same kind of suite.
    let pytest = bin.join("pytest");
    fs::write(&pytest, "#!/bin/sh\nexec python3 -m unittest -q\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&pytest, fs::Permissions::from_mode(0o755)).unwrap();

    let perfmod_dir: PathBuf = Path::new(env!("CARGO_BIN_EXE_perfmod")).parent().unwrap().into();
    let path_var = format!(
        "{}:{}:{}",
        bin.display(),
        perfmod_dir.display(),
        std::env::var("PATH").unwrap()
    );
    let setup = format!(
        "git init -q --bare {remote} && git init -q && git add -A && git commit -qm start && \
         git remote add origin {remote} && git push -q -u origin main && git fetch -q origin",
        remote = remote.display()
    );
    let output = sh(&repo, &path_var, &home, &setup);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let mut ran = 0;
    for block in &blocks {
        for line in block {
            if let Some((_, why)) = SKIPPED.iter().find(|(prefix, _)| line.starts_with(prefix)) {
                eprintln!("skipped: {line} ({why})");
                continue;
            }
            let output = sh(&repo, &path_var, &home, line);
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            assert!(
                matches!(code, Some(0 | 1)) && !stderr.lines().any(|l| l.starts_with("error:")),
                "README example failed (exit {code:?}): {line}\nstdout:\n{}\nstderr:\n{stderr}",
                String::from_utf8_lossy(&output.stdout)
            );
            ran += 1;
        }
        // The user reviews and commits what the block did.
        sh(&repo, &path_var, &home, "git add -A && git commit -qm step || true");
    }
    assert!(ran >= 25, "ran {ran} examples");
}
