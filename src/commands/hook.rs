//! `perfmod hook install` and the pre-push check the hook runs.
//!
//! The hook is a two-line shell script that hands git's arguments and stdin to
//! `perfmod hook pre-push`, so all the logic is here and tested in Rust. It
//! checks each pushed file as the pushed commit has it (not the work tree, which
//! may hold uncommitted edits), with the configuration that commit has, and
//! blocks the push when there are findings.
//!
//! `hook install` replaces only a hook perfmod wrote: one whose bytes are
//! exactly what perfmod writes (for some binary path), never a symlink.
//! Anything else (binary, another encoding, unreadable, a script mentioning
//! perfmod) is refused; `--force` moves it to `pre-push.perfmod-backup`
//! first (a symlink is moved as the link; its target is never written).
use super::ExitStatus;
use crate::cli::{CommonArgs, HookCommand};
use crate::git;
use crate::report::{display_path, text, Located};
use crate::run;
use crate::settings::Settings;
use anyhow::{bail, Context};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The first comment of our hook, for people reading it.
const MARKER: &str = "# Installed by `perfmod hook install`";
/// Where `--force` keeps the hook it replaces.
const BACKUP: &str = "pre-push.perfmod-backup";

pub fn run_hook(command: &HookCommand) -> anyhow::Result<ExitStatus> {
    match command {
        HookCommand::Install { force } => install(*force),
        HookCommand::PrePush { remote, .. } => {
            let mut lines = String::new();
            std::io::stdin().read_to_string(&mut lines)?;
            pre_push(remote, &lines)
        }
    }
}

/// The hook's text: perfmod from PATH when there is one (so upgrades are picked
/// up), else the binary that installed the hook.
fn hook_script(fallback: &Path) -> String {
    let quoted = fallback.display().to_string().replace('\'', r"'\''");
    format!("{}{quoted}{}", script_head(), SCRIPT_TAIL)
}

/// Everything of the hook before the quoted fallback path.
fn script_head() -> String {
    format!(
        "#!/bin/sh\n\
         {MARKER}: checks the Python files a push changes and blocks the push\n\
         # when perfmod finds anything. Skip once with `git push --no-verify`.\n\
         if command -v perfmod >/dev/null 2>&1; then\n\
         \texec perfmod hook pre-push \"$@\"\n\
         fi\n\
         exec '"
    )
}

const SCRIPT_TAIL: &str = "' hook pre-push \"$@\"\n";

/// Whether `bytes` are exactly a hook perfmod writes: the script for the
/// fallback path it names, byte for byte.
fn is_perfmod_hook(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    let head = script_head();
    let Some(quoted) = text
        .strip_prefix(head.as_str())
        .and_then(|t| t.strip_suffix(SCRIPT_TAIL))
    else {
        return false;
    };
    let fallback = quoted.replace(r"'\''", "'");
    hook_script(Path::new(&fallback)) == text
}

fn install(force: bool) -> anyhow::Result<ExitStatus> {
    let hooks = git::hooks_dir(Path::new("."))?;
    let path = hooks.join("pre-push");
    let exe = std::env::current_exe().context("finding the perfmod binary")?;
    let script = hook_script(&exe);
    let mut err = std::io::stderr().lock();
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => bail!("cannot inspect {}: {e}", path.display()),
        Ok(meta) => {
            let existing = (!meta.file_type().is_symlink())
                .then(|| std::fs::read(&path).ok())
                .flatten();
            if existing.as_deref() == Some(script.as_bytes()) {
                writeln!(err, "perfmod pre-push hook already installed at {}", path.display())?;
                return Ok(ExitStatus::Success);
            }
            if !existing.as_deref().is_some_and(is_perfmod_hook) {
                if !force {
                    bail!(
                        "{} exists and was not written by perfmod; left alone (--force replaces it, keeping it \
                         as {BACKUP}; or call `perfmod hook pre-push \"$@\"` from it)",
                        path.display()
                    );
                }
                let backup = hooks.join(BACKUP);
                if std::fs::symlink_metadata(&backup).is_ok() {
                    bail!(
                        "{} exists from an earlier --force; move it away first, the hook is left alone",
                        backup.display()
                    );
                }
                // A rename moves a symlink itself, and keeps a file's bytes and mode.
                std::fs::rename(&path, &backup)
                    .with_context(|| format!("moving {} to {}", path.display(), backup.display()))?;
                writeln!(err, "kept the previous pre-push hook as {}", backup.display())?;
            }
        }
    }
    git::write_executable(&path, &script)?;
    writeln!(err, "installed the perfmod pre-push hook at {}", path.display())?;
    Ok(ExitStatus::Success)
}

fn pre_push(remote: &str, lines: &str) -> anyhow::Result<ExitStatus> {
    let top = git::toplevel(Path::new("."))?;
    let pushed = git::pushed_files(&top, remote, lines)?;
    let mut err = std::io::stderr().lock();
    let mut results = Vec::new();
    let mut unsafe_fixes = false;
    let mut commits: Vec<&str> = pushed.iter().map(|f| f.commit.as_str()).collect();
    commits.dedup();
    for commit in commits {
        // The configuration as the pushed commit has it, not the work tree's.
        let config = tempfile::tempdir().context("creating a directory for the pushed configuration")?;
        git::checkout_config_files(&top, commit, config.path())?;
        let settings = Settings::resolve(
            &CommonArgs {
                paths: vec![config.path().to_path_buf()],
                no_cache: true,
                ..CommonArgs::default()
            },
            false,
        )?;
        unsafe_fixes |= settings.unsafe_fixes()?;
        let projects = &settings.projects;
        for file in pushed.iter().filter(|f| f.commit == commit) {
            // Each file with its nearest configuration, as the pushed commit has it.
            let as_configured = config.path().join(&file.path);
            if !file.path.ends_with(".py") || projects.excludes(&as_configured) {
                continue;
            }
            let Some(source) = git::blob(&top, file) else {
                continue;
            };
            let rules = projects.rules_for(&as_configured)?;
            let result = run::process_source(&PathBuf::from(&file.path), source, &rules, projects);
            if let Err(reason) = &result.outcome {
                writeln!(err, "perfmod: {}: {reason}; not checked", file.path)?;
            }
            results.push(result);
        }
    }
    let findings: Vec<Located> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|o| (r, o)))
        .flat_map(|(r, o)| o.findings.iter().map(move |finding| Located::new(&r.path, finding)))
        .collect();
    if findings.is_empty() {
        return Ok(ExitStatus::Success);
    }
    writeln!(err, "perfmod: the push adds performance anti-patterns:\n")?;
    text::write_findings(&mut err, &findings, unsafe_fixes)?;
    let mut paths: Vec<String> = findings.iter().map(|l| display_path(l.path)).collect();
    paths.dedup();
    writeln!(
        err,
        "\nPush blocked. Fix them (`perfmod fix --apply {}`), commit, and push again;\n\
         silence one with `# perfmod: ignore[RULE]`, or skip this check once with `git push --no-verify`.",
        paths.join(" ")
    )?;
    Ok(ExitStatus::Findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exactly_our_script_counts_as_ours() {
        let ours = hook_script(Path::new("/opt/it's here/perfmod"));
        assert!(is_perfmod_hook(ours.as_bytes()));
        assert!(is_perfmod_hook(hook_script(Path::new("/usr/bin/perfmod")).as_bytes()));
        assert!(!is_perfmod_hook(format!("{ours}echo mine\n").as_bytes()));
        assert!(!is_perfmod_hook(
            format!("#!/bin/sh\n{MARKER}\nrm -rf build\n").as_bytes()
        ));
        let mut latin1 = ours.clone().into_bytes();
        latin1.insert(20, 0xe9);
        assert!(!is_perfmod_hook(&latin1));
        assert!(!is_perfmod_hook(b"\x7fELF\x02\x01\x01\x00"));
    }

    #[test]
    fn hook_quotes_the_fallback_path() {
        let script = hook_script(Path::new("/opt/it's here/perfmod"));
        assert!(script.starts_with("#!/bin/sh\n"));
        assert!(script.contains(MARKER));
        assert!(script.contains(r"exec '/opt/it'\''s here/perfmod' hook pre-push"));
    }
}
