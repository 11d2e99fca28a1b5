//! perfmod against a hostile user and a hostile tree: it writes only what the
//! running user may write, keeps every file's identity (owner, mode, ACLs,
//! extended attributes, hard links), never follows links out of the tree,
//! keeps the git guard watertight, never follows links at its cache, keeps
//! `--verify-cmd`'s promise on every exit path, and survives valid input that
//! is built to crash or stall it. Tests that need root (another user, another
//! owner) or `setfacl` skip with a printed reason when they cannot run; CI runs
//! as root with `setfacl` installed.
use std::ffi::CString;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

mod binary;
use binary::{code, perfmod, perfmod_command, stderr, stdout, tree};

/// A rewrite perfmod proves safe (`flags` is bound only to a dict literal), so
/// `fix --apply` makes it.
const SLOW: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags.keys()\n";
const FIXED: &str = "def enabled(name):\n    flags = {'debug': True}\n    return name in flags\n";

/// The uid and gid of `nobody`, which the non-root tests run as.
const NOBODY: u32 = 65534;

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn skip(reason: &str) {
    println!("skipped: {reason}");
}

fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .unwrap();
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

fn committed_repo(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tree(files);
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "init"]);
    dir
}

fn set_xattr(path: &Path, name: &str, value: &[u8]) -> std::io::Result<()> {
    let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
    let c_name = CString::new(name).unwrap();
    // SAFETY: valid NUL-terminated strings and a buffer of the given length.
    let r = unsafe { libc::setxattr(c_path.as_ptr(), c_name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
    if r == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

fn get_xattr(path: &Path, name: &str) -> Option<Vec<u8>> {
    let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
    let c_name = CString::new(name).unwrap();
    let mut buffer = vec![0u8; 4096];
    // SAFETY: valid NUL-terminated strings and a buffer of the given length.
    let n = unsafe {
        libc::getxattr(
            c_path.as_ptr(),
            c_name.as_ptr(),
            buffer.as_mut_ptr().cast(),
            buffer.len(),
        )
    };
    (n >= 0).then(|| buffer[..n as usize].to_vec())
}

fn has_command(name: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

// ---- Writes it must not make ----

#[test]
fn a_user_cannot_rewrite_a_file_it_may_not_write() {
    if !is_root() {
        return skip("needs root to run perfmod as another user (nobody)");
    }
    let dir = tree(&[("theirs.py", SLOW), ("mine.py", SLOW)]);
    // The directory is writable by everyone, so a rename would succeed.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o777)).unwrap();
    let theirs = dir.path().join("theirs.py");
    fs::set_permissions(&theirs, fs::Permissions::from_mode(0o644)).unwrap();
    let mine = dir.path().join("mine.py");
    std::os::unix::fs::chown(&mine, Some(NOBODY), Some(NOBODY)).unwrap();
    let output = perfmod_command(dir.path(), &["fix", "--apply", "--no-cache"])
        .uid(NOBODY)
        .gid(NOBODY)
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error: theirs.py: permission denied"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(&theirs).unwrap(), SLOW);
    let meta = fs::metadata(&theirs).unwrap();
    assert_eq!((meta.uid(), meta.mode() & 0o7777), (0, 0o644), "owner and mode kept");
    assert_eq!(fs::read_to_string(&mine).unwrap(), FIXED, "its own file is rewritten");
    assert_eq!(fs::metadata(&mine).unwrap().uid(), NOBODY);
}

#[test]
fn setuid_setgid_and_owner_survive_apply() {
    if !is_root() {
        return skip("needs root to give a file another owner");
    }
    let dir = tree(&[("a.py", SLOW), ("b.py", SLOW)]);
    let a = dir.path().join("a.py");
    let b = dir.path().join("b.py");
    std::os::unix::fs::chown(&a, Some(4321), Some(4322)).unwrap();
    fs::set_permissions(&a, fs::Permissions::from_mode(0o6755)).unwrap();
    fs::set_permissions(&b, fs::Permissions::from_mode(0o1640)).unwrap();
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let meta = fs::metadata(&a).unwrap();
    assert_eq!(fs::read_to_string(&a).unwrap(), FIXED);
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o7777), (4321, 4322, 0o6755));
    assert_eq!(fs::metadata(&b).unwrap().mode() & 0o7777, 0o1640);
}

#[test]
fn extended_attributes_survive_apply() {
    let dir = tree(&[("a.py", SLOW)]);
    let path = dir.path().join("a.py");
    if let Err(e) = set_xattr(&path, "user.origin", b"reviewed\0by ops") {
        return skip(&format!("the temp file system has no user xattrs ({e})"));
    }
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(
        get_xattr(&path, "user.origin").as_deref(),
        Some(&b"reviewed\0by ops"[..])
    );
}

#[test]
fn acls_survive_apply_and_the_mask_is_not_widened() {
    if !has_command("setfacl") || !has_command("getfacl") {
        return skip("setfacl/getfacl not installed (apt-get install acl)");
    }
    let dir = tree(&[("a.py", SLOW), ("plain.py", SLOW)]);
    let path = dir.path().join("a.py");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
    let setfacl = Command::new("setfacl")
        .args(["-m", "u:4242:rw-,g:4243:r--,m::r--"])
        .arg(&path)
        .output()
        .unwrap();
    if !setfacl.status.success() {
        return skip(&format!("setfacl failed here: {}", stderr(&setfacl).trim()));
    }
    // A default ACL on the directory must not leak onto a file that had none.
    let default = Command::new("setfacl")
        .args(["-d", "-m", "u:4244:rwx"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(default.status.success());
    let acl = |p: &Path| stdout(&Command::new("getfacl").args(["-cp"]).arg(p).output().unwrap());
    let before = acl(&path);
    let plain_before = acl(&dir.path().join("plain.py"));
    let mode_before = fs::metadata(&path).unwrap().mode();
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&path).unwrap(), FIXED);
    assert_eq!(acl(&path), before);
    assert!(
        before.contains("user:4242:rw-") && before.contains("mask::r--"),
        "{before}"
    );
    assert_eq!(fs::metadata(&path).unwrap().mode(), mode_before);
    assert_eq!(acl(&dir.path().join("plain.py")), plain_before);
}

#[test]
fn a_hard_linked_file_is_refused_and_keeps_its_links() {
    let dir = tree(&[("a.py", SLOW)]);
    let a = dir.path().join("a.py");
    let other = dir.path().join("elsewhere.txt");
    fs::hard_link(&a, &other).unwrap();
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache", "a.py"]);
    assert_eq!(code(&output), 2);
    assert_eq!(
        stderr(&output).lines().find(|l| l.starts_with("error:")),
        Some("error: a.py: has 2 hard links, which replacing it would detach from each other; left alone")
    );
    assert_eq!(fs::metadata(&a).unwrap().ino(), fs::metadata(&other).unwrap().ino());
    assert_eq!(fs::read_to_string(&a).unwrap(), SLOW);
}

#[test]
fn stale_temp_files_of_a_killed_run_are_removed_and_nothing_else() {
    let dir = tree(&[
        ("a.py", SLOW),
        (".perfmod-Ab12Cd.tmp", "half"),
        (".perfmod-notes.tmp", "mine"),
        ("x.perfmod-Ab12Cd.tmp", "mine"),
    ]);
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for name in [".perfmod-Ab12Cd.tmp", ".perfmod-notes.tmp", "x.perfmod-Ab12Cd.tmp"] {
        let file = fs::File::options().write(true).open(dir.path().join(name)).unwrap();
        file.set_modified(hour_ago).unwrap();
    }
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".perfmod-notes.tmp", "a.py", "x.perfmod-Ab12Cd.tmp"]);
}

#[test]
fn walking_never_follows_a_directory_symlink_out_of_the_tree() {
    let outside = tree(&[("victim.py", SLOW), ("lib/deep.py", SLOW)]);
    let repo = committed_repo(&[("app.py", SLOW)]);
    std::os::unix::fs::symlink(outside.path(), repo.path().join("vendor")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("lib"), repo.path().join("lib")).unwrap();
    let output = perfmod(repo.path(), &["fix", "--apply", "--no-cache", "."]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(repo.path().join("app.py")).unwrap(), FIXED);
    assert_eq!(fs::read_to_string(outside.path().join("victim.py")).unwrap(), SLOW);
    assert_eq!(fs::read_to_string(outside.path().join("lib/deep.py")).unwrap(), SLOW);
}

#[test]
fn a_file_symlink_out_of_the_checked_paths_is_skipped_unless_named() {
    let outside = tree(&[("target.py", SLOW)]);
    let dir = tree(&[("real.py", SLOW), ("pkg/x.py", "x = 1\n")]);
    let d = dir.path();
    std::os::unix::fs::symlink(outside.path().join("target.py"), d.join("pkg/out.py")).unwrap();
    std::os::unix::fs::symlink(d.join("real.py"), d.join("pkg/inside.py")).unwrap();
    let output = perfmod(d, &["check", "--no-cache", "pkg"]);
    assert!(
        stderr(&output).contains("warning: pkg/out.py: symlink to ")
            && stderr(&output).contains("outside the checked paths"),
        "{}",
        stderr(&output)
    );
    // `pkg/inside.py` points to `real.py`, outside `pkg`: skipped too.
    assert!(
        stderr(&output).contains("warning: pkg/inside.py: symlink to "),
        "{}",
        stderr(&output)
    );
    assert!(!stdout(&output).contains("out.py:"), "{}", stdout(&output));
    // From the top, `real.py` is inside, and met once: not through its link too.
    let output = perfmod(d, &["check", "--no-cache", "."]);
    assert!(stdout(&output).contains("real.py:"), "{}", stdout(&output));
    assert!(!stdout(&output).contains("pkg/inside.py:"), "{}", stdout(&output));
    assert!(!stdout(&output).contains("pkg/out.py:"), "{}", stdout(&output));
    let output = perfmod(d, &["fix", "--apply", "--no-cache", "."]);
    assert_eq!(fs::read_to_string(outside.path().join("target.py")).unwrap(), SLOW);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    // Named explicitly, the link is the user's choice.
    let output = perfmod(d, &["fix", "--apply", "--no-cache", "pkg/out.py"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(outside.path().join("target.py")).unwrap(), FIXED);
    assert!(fs::symlink_metadata(d.join("pkg/out.py"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn fifos_and_devices_are_refused_without_blocking() {
    let dir = tree(&[("good.py", "x = 1\n")]);
    let fifo = dir.path().join("pipe.py");
    let c_path = CString::new(fifo.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
    for named in ["pipe.py", "/dev/zero"] {
        let mut child = perfmod_command(dir.path(), &["check", "--no-cache", named, "good.py"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while child.try_wait().unwrap().is_none() {
            if started.elapsed() > Duration::from_secs(60) {
                child.kill().unwrap();
                panic!("perfmod blocked on {named}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let output = child.wait_with_output().unwrap();
        assert_eq!(code(&output), 2, "{named}");
        let errors: Vec<String> = stderr(&output)
            .lines()
            .filter(|l| l.starts_with("error:"))
            .map(String::from)
            .collect();
        assert_eq!(
            errors,
            [format!(
                "error: {named}: is not a regular file (a FIFO, device or socket); skipped"
            )]
        );
    }
}

#[test]
fn nothing_inside_dot_git_is_ever_taken() {
    let repo = committed_repo(&[("app.py", "x = 1\n")]);
    let hook = repo.path().join(".git/hooks/helper.py");
    fs::write(&hook, SLOW).unwrap();
    for named in [".git/hooks/helper.py", ".git"] {
        let output = perfmod(repo.path(), &["fix", "--apply", "--no-cache", named]);
        assert_eq!(code(&output), 2, "{}", stderr(&output));
        assert!(
            stderr(&output).contains("is inside a .git directory"),
            "{}",
            stderr(&output)
        );
    }
    let output = perfmod(&repo.path().join(".git"), &["fix", "--apply", "--no-cache", "."]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&hook).unwrap(), SLOW);
}

// ---- The git guard ----

#[test]
fn untracked_files_with_hostile_names_are_refused() {
    let repo = committed_repo(&[("app.py", "x = 1\n")]);
    let names = [":!x.py", ":(exclude)y.py", ":^z.py", ":(glob)w.py", "*.py", "[a].py"];
    for name in names {
        fs::write(repo.path().join(name), SLOW).unwrap();
    }
    let raw = repo.path().join(std::ffi::OsStr::from_bytes(b"caf\xe9.py"));
    fs::write(&raw, SLOW).unwrap();
    let output = perfmod(repo.path(), &["fix", "--apply", "--no-cache", "."]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    for name in names {
        assert_eq!(
            fs::read_to_string(repo.path().join(name)).unwrap(),
            SLOW,
            "{name} was written"
        );
        assert!(
            stderr(&output).contains(&format!("error: {name}: has uncommitted changes")),
            "{name}: {}",
            stderr(&output)
        );
    }
    assert_eq!(
        fs::read_to_string(&raw).unwrap(),
        SLOW,
        "the non-UTF-8 name was written"
    );
    // Named one by one, too.
    let output = perfmod(repo.path(), &["fix", "--apply", "--no-cache", ":!x.py"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(repo.path().join(":!x.py")).unwrap(), SLOW);
}

#[test]
fn assume_unchanged_and_skip_worktree_files_are_not_clean() {
    let repo = committed_repo(&[("a.py", SLOW), ("b.py", SLOW), ("clean.py", SLOW)]);
    git(repo.path(), &["update-index", "--assume-unchanged", "a.py"]);
    git(repo.path(), &["update-index", "--skip-worktree", "b.py"]);
    let work = format!("{SLOW}# local work\n");
    fs::write(repo.path().join("a.py"), &work).unwrap();
    fs::write(repo.path().join("b.py"), &work).unwrap();
    let output = perfmod(repo.path(), &["fix", "--apply", "--no-cache", "."]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("error: a.py: is marked assume-unchanged"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("error: b.py: is marked skip-worktree"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(repo.path().join("a.py")).unwrap(), work);
    assert_eq!(fs::read_to_string(repo.path().join("b.py")).unwrap(), work);
    assert_eq!(fs::read_to_string(repo.path().join("clean.py")).unwrap(), FIXED);
}

#[test]
fn a_git_dir_naming_another_repository_is_not_asked() {
    // The other repository has this file exactly as it is modified here.
    let work = format!("{SLOW}# uncommitted work\n");
    let other = committed_repo(&[("a.py", &work)]);
    let repo = committed_repo(&[("a.py", SLOW)]);
    fs::write(repo.path().join("a.py"), &work).unwrap();
    let output = perfmod_command(repo.path(), &["fix", "--apply", "--no-cache", "a.py"])
        .env("GIT_DIR", other.path().join(".git"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(
        stderr(&output).contains("has uncommitted changes"),
        "{}",
        stderr(&output)
    );
    assert_eq!(fs::read_to_string(repo.path().join("a.py")).unwrap(), work);
    // Its own GIT_DIR (as in a hook) is fine.
    git(repo.path(), &["commit", "-qam", "work"]);
    let output = perfmod_command(repo.path(), &["fix", "--apply", "--no-cache", "a.py"])
        .env("GIT_DIR", repo.path().join(".git"))
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
}

// ---- Hooks ----

/// A git command isolated from the user's configuration, with the built
/// perfmod first on PATH (as the installed hook finds it).
fn git_env(dir: &Path, args: &[&str]) -> Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_perfmod")).parent().unwrap();
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@t")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@t")
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()),
        )
        .env_remove("GIT_DIR")
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn git_ok(dir: &Path, args: &[&str]) {
    let output = git_env(dir, args);
    assert!(output.status.success(), "git {args:?}: {}", stderr(&output));
}

#[test]
fn hook_install_refuses_every_hook_it_did_not_write() {
    let repo = committed_repo(&[("a.py", "x = 1\n")]);
    let hooks = repo.path().join(".git/hooks");
    let hook = hooks.join("pre-push");
    let theirs: Vec<(&str, Vec<u8>)> = vec![
        ("binary", b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec()),
        ("latin-1", b"#!/bin/sh\n# caf\xe9\nexit 0\n".to_vec()),
        (
            "mentions the marker",
            b"#!/bin/sh\n# Installed by `perfmod hook install`: no, by me\nmake lint\n".to_vec(),
        ),
    ];
    for (what, bytes) in &theirs {
        fs::write(&hook, bytes).unwrap();
        let output = perfmod(repo.path(), &["hook", "install"]);
        assert_eq!(code(&output), 2, "{what}: {}", stderr(&output));
        assert!(
            stderr(&output).contains("was not written by perfmod"),
            "{what}: {}",
            stderr(&output)
        );
        assert_eq!(&fs::read(&hook).unwrap(), bytes, "{what}");
    }
    // Unreadable (a directory cannot be read as a file, even by root).
    fs::remove_file(&hook).unwrap();
    fs::create_dir(&hook).unwrap();
    let output = perfmod(repo.path(), &["hook", "install"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(hook.is_dir());
    fs::remove_dir(&hook).unwrap();
    // With --force: a backup with the old bytes, and a hook of ours.
    fs::write(&hook, &theirs[1].1).unwrap();
    let output = perfmod(repo.path(), &["hook", "install", "--force"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read(hooks.join("pre-push.perfmod-backup")).unwrap(), theirs[1].1);
    assert!(fs::read_to_string(&hook).unwrap().contains("perfmod hook pre-push"));
    // A second --force over our own hook needs no backup, and keeps the first.
    let output = perfmod(repo.path(), &["hook", "install", "--force"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read(hooks.join("pre-push.perfmod-backup")).unwrap(), theirs[1].1);
}

#[test]
fn hook_install_force_replaces_a_symlinked_hook_not_its_target() {
    let repo = committed_repo(&[("a.py", "x = 1\n")]);
    let shared = tree(&[("shared-pre-push", "#!/bin/sh\nexec team-checks\n")]);
    let target = shared.path().join("shared-pre-push");
    let hooks = repo.path().join(".git/hooks");
    std::os::unix::fs::symlink(&target, hooks.join("pre-push")).unwrap();
    let output = perfmod(repo.path(), &["hook", "install"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let output = perfmod(repo.path(), &["hook", "install", "--force"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(fs::read_to_string(&target).unwrap(), "#!/bin/sh\nexec team-checks\n");
    let backup = hooks.join("pre-push.perfmod-backup");
    assert_eq!(fs::read_link(&backup).unwrap(), target, "the link itself is the backup");
    let hook = fs::symlink_metadata(hooks.join("pre-push")).unwrap();
    assert!(hook.is_file() && hook.mode() & 0o777 == 0o755);
}

/// A bare remote with one pushed commit holding a finding (pushed with
/// --no-verify), and a clone with perfmod's hook installed.
fn pushed_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    git_ok(dir.path(), &["init", "-q", "--bare", "-b", "main", "remote.git"]);
    git_ok(dir.path(), &["clone", "-q", "remote.git", "work"]);
    let work = dir.path().join("work");
    git_ok(&work, &["checkout", "-q", "-b", "main"]);
    fs::write(work.join("old.py"), SLOW).unwrap();
    git_ok(&work, &["add", "-A"]);
    git_ok(&work, &["commit", "-qm", "old finding"]);
    git_ok(&work, &["push", "-q", "--no-verify", "origin", "main"]);
    let output = perfmod(&work, &["hook", "install"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    (dir, work)
}

#[test]
fn pre_push_reads_the_configuration_of_the_pushed_commit() {
    let (_dir, work) = pushed_repo();
    fs::write(work.join("new.py"), SLOW).unwrap();
    git_ok(&work, &["add", "new.py"]);
    git_ok(&work, &["commit", "-qm", "new finding"]);
    // An uncommitted configuration silencing the rule does not let it through.
    fs::write(
        work.join("pyproject.toml"),
        "[tool.perfmod]\nignore = [\"dict-keys-membership\"]\n",
    )
    .unwrap();
    let output = git_env(&work, &["push", "-q", "origin", "main"]);
    assert!(!output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("new.py:3:20: dict-keys-membership"),
        "{}",
        stderr(&output)
    );
    // Committed, it does (and a work tree without it changes nothing).
    git_ok(&work, &["add", "pyproject.toml"]);
    git_ok(&work, &["commit", "-qm", "config"]);
    fs::remove_file(work.join("pyproject.toml")).unwrap();
    let output = git_env(&work, &["push", "-q", "origin", "main"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn pre_push_to_a_url_compares_with_what_the_remote_has() {
    let (dir, work) = pushed_repo();
    fs::write(work.join("clean.py"), "x = 1\n").unwrap();
    git_ok(&work, &["add", "clean.py"]);
    git_ok(&work, &["commit", "-qm", "clean"]);
    let url = dir.path().join("remote.git");
    // A new branch: `old.py`, which the remote has, is not taken as new.
    let output = git_env(&work, &["push", "-q", url.to_str().unwrap(), "main:feature"]);
    assert!(output.status.success(), "{}", stderr(&output));
    // A URL no remote has compares with every remote-tracking ref.
    let copy = dir.path().join("copy.git");
    git_ok(dir.path(), &["clone", "-q", "--bare", "remote.git", "copy.git"]);
    fs::write(work.join("more.py"), "y = 2\n").unwrap();
    git_ok(&work, &["add", "more.py"]);
    git_ok(&work, &["commit", "-qm", "more"]);
    let output = git_env(&work, &["push", "-q", copy.to_str().unwrap(), "main:other"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

// ---- The cache ----

#[test]
fn symlinks_at_or_in_the_cache_are_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    let planted = outside.path().join("planted");
    // A dangling `.gitignore` link inside the cache directory.
    let dir = tree(&[("a.py", SLOW)]);
    fs::create_dir(dir.path().join(".perfmod_cache")).unwrap();
    std::os::unix::fs::symlink(&planted, dir.path().join(".perfmod_cache/.gitignore")).unwrap();
    let output = perfmod(dir.path(), &["check", "a.py"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let err = stderr(&output);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(".gitignore is a symlink") && warnings[0].contains("runs without one"),
        "{warnings:?}"
    );
    assert!(!planted.exists(), "the link's target was created");
    assert_eq!(fs::read_dir(dir.path().join(".perfmod_cache")).unwrap().count(), 1);
    // The cache directory itself a link.
    let dir = tree(&[("a.py", SLOW)]);
    std::os::unix::fs::symlink(outside.path(), dir.path().join(".perfmod_cache")).unwrap();
    let output = perfmod(dir.path(), &["check", "a.py"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    assert!(stderr(&output).contains("is a symlink"), "{}", stderr(&output));
    assert_eq!(
        fs::read_dir(outside.path()).unwrap().count(),
        0,
        "nothing written through the link"
    );
}

// ---- --verify-cmd keeps its promise on every exit path ----

/// A tree of `n` files with a rewrite each.
fn slow_tree(n: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        fs::write(dir.path().join(format!("m{i:04}.py")), SLOW).unwrap();
    }
    dir
}

fn all_original(dir: &Path) -> bool {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .all(|p| fs::read_to_string(p).unwrap() == SLOW)
}

fn wait_with_deadline(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("perfmod still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn interrupt(child: &std::process::Child) {
    // SAFETY: signals our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
}

#[test]
fn ctrl_c_during_the_writes_of_a_verified_apply_restores_every_file() {
    let dir = slow_tree(2000);
    let mut child = perfmod_command(dir.path(), &["fix", "--apply", "--no-cache", "--verify-cmd", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Interrupt as soon as the first file is written.
    let first = dir.path().join("m0000.py");
    let started = Instant::now();
    while fs::read_to_string(&first).unwrap_or_default() == SLOW {
        assert!(started.elapsed() < Duration::from_secs(300), "no write started");
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    interrupt(&child);
    let status = wait_with_deadline(&mut child, Duration::from_secs(300));
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    if status.success() {
        // The signal came after the command ran: everything verified and kept.
        return skip("the run finished before the interrupt landed");
    }
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("every rewrite reverted"), "{err}");
    assert!(
        all_original(dir.path()),
        "a file was left rewritten and unverified: {err}"
    );
}

#[test]
fn a_closed_stdout_does_not_stop_a_verified_apply() {
    let dir = slow_tree(20);
    let script = format!(
        "'{}' fix --apply --no-cache --verify-cmd 'touch verified' | head -1; exit ${{PIPESTATUS[0]}}",
        env!("CARGO_BIN_EXE_perfmod")
    );
    let output = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 1);
    assert!(
        dir.path().join("verified").exists(),
        "the command never ran: {}",
        stderr(&output)
    );
    assert!(fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .all(|p| fs::read_to_string(p).unwrap() == FIXED));
}

#[test]
fn a_background_child_of_the_command_does_not_hold_the_run() {
    let dir = slow_tree(2);
    let mut child = perfmod_command(
        dir.path(),
        &["fix", "--apply", "--no-cache", "--verify-cmd", "sleep 120 & true"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    let status = wait_with_deadline(&mut child, Duration::from_secs(90));
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_command_ignoring_signals_is_killed_with_its_group_on_ctrl_c() {
    let dir = slow_tree(2);
    let cmd = "trap '' INT TERM; touch started; sleep 120; echo done > finished";
    let mut child = perfmod_command(dir.path(), &["fix", "--apply", "--no-cache", "--verify-cmd", cmd])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !dir.path().join("started").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the command never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    interrupt(&child);
    let status = wait_with_deadline(&mut child, Duration::from_secs(90));
    assert_eq!(status.code(), Some(2));
    assert!(all_original(dir.path()));
    std::thread::sleep(Duration::from_millis(200));
    assert!(!dir.path().join("finished").exists());
}

#[test]
fn verify_timeout_kills_the_command_and_counts_as_failing() {
    let dir = slow_tree(2);
    let mut child = perfmod_command(
        dir.path(),
        &[
            "fix",
            "--apply",
            "--no-cache",
            "--verify-timeout",
            "1",
            "--verify-cmd",
            "sleep 120",
        ],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    let status = wait_with_deadline(&mut child, Duration::from_secs(90));
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("killed after --verify-timeout 1 s"), "{err}");
    assert!(all_original(dir.path()));
}

// ---- Bytes ----

#[test]
fn a_replaced_import_line_keeps_its_carriage_return_in_a_mixed_file() {
    // The first line (which sets the file's default) ends in LF, the import in CRLF.
    // The rewrite that replaces an import is the unsafe `blocking-sleep-in-async`.
    let source = "# tools\nimport time\r\n\r\n\r\nasync def poll():\r\n    time.sleep(1)\r\n";
    let dir = tree(&[("a.py", source)]);
    let output = perfmod(dir.path(), &["fix", "--apply", "--unsafe", "--no-cache"]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(
        fs::read_to_string(dir.path().join("a.py")).unwrap(),
        "# tools\nimport asyncio\r\n\r\n\r\nasync def poll():\r\n    await asyncio.sleep(1)\r\n"
    );
}

// ---- Hostile but valid input ----

#[test]
fn deep_nesting_costs_one_file_not_the_run() {
    let nested_sorted = format!("x = {}y{}\n", "sorted(".repeat(30_000), ")[0]".repeat(30_000));
    let nested_calls = format!("x = {}sorted(y)[0]{}\n", "f(".repeat(2_000), ")".repeat(2_000));
    let conditionals: String = (0..2_000).map(|i| format!("sorted(a{i})[0] if k else ")).collect();
    let operators = format!("x = sorted(a)[0]{}\n", " + a".repeat(30_000));
    let dir = tree(&[
        ("sorted.py", &nested_sorted),
        ("calls.py", &nested_calls),
        ("conditionals.py", &format!("x = {conditionals}None\n")),
        ("operators.py", &operators),
        ("good.py", SLOW),
    ]);
    let output = perfmod(dir.path(), &["check", "--no-cache"]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    let err = stderr(&output);
    for name in ["sorted.py", "calls.py", "conditionals.py", "operators.py"] {
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| l.starts_with(&format!("error: {name}: ")))
            .collect();
        assert_eq!(lines.len(), 1, "{name}: {err}");
        assert!(lines[0].contains("nests deeper than 1000 levels"), "{}", lines[0]);
    }
    assert!(
        stdout(&output).contains("good.py:3:20: dict-keys-membership"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_file_over_its_time_budget_is_reported_and_the_run_goes_on() {
    // 250 nested `sorted(...)[0]`: under the depth bound, and many seconds of guard work.
    let slow = format!("x = {}y{}\n", "sorted(".repeat(250), ")[0]".repeat(250));
    let dir = tree(&[("slow.py", &slow), ("good.py", SLOW)]);
    let output = perfmod_command(dir.path(), &["check", "--no-cache"])
        .env("PERFMOD_FILE_BUDGET_MS", "2000")
        .output()
        .unwrap();
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert_eq!(
        stderr(&output)
            .lines()
            .filter(|l| l.starts_with("error:"))
            .collect::<Vec<_>>(),
        ["error: slow.py: took over 2 s, perfmod's time budget for one file; skipped"]
    );
    assert!(stdout(&output).contains("good.py:3:20"), "{}", stdout(&output));
}

// ---- One line per error, honest summaries ----

#[test]
fn a_broken_pyproject_is_one_error_line() {
    let dir = tree(&[
        ("pyproject.toml", "[tool.perfmod]\nselect = [\"a\",\nignore = 3\n"),
        ("a.py", "x = 1\n"),
    ]);
    let output = perfmod(dir.path(), &["check", "--no-cache", "a.py"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("pyproject.toml:3:1: "), "{err}");
}

#[test]
fn no_rewrites_to_make_is_not_said_after_failed_writes() {
    let dir = tree(&[("a.py", SLOW)]);
    let a = dir.path().join("a.py");
    fs::hard_link(&a, dir.path().join("b.txt")).unwrap();
    let output = perfmod(dir.path(), &["fix", "--apply", "--no-cache", "a.py"]);
    assert_eq!(code(&output), 2);
    let err = stderr(&output);
    assert!(!err.contains("No rewrites to make"), "{err}");
    assert!(err.contains("No rewrites made: 1 file could not be written"), "{err}");
}
