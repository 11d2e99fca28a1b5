//! `perfmod hook install` and the pre-push check the hook runs.
//!
//! The hook is a two-line shell script that hands git's arguments and stdin to
//! `perfmod hook pre-push`, so all the logic is here and tested in Rust. It
//! checks each pushed file as the pushed commit has it (not the work tree, which
//! may hold uncommitted edits), and blocks the push when there are findings.
use super::ExitStatus;
use crate::cli::{CommonArgs, HookCommand};
use crate::git::{self, PushedFile};
use crate::report::{display_path, text, Located};
use crate::run;
use crate::settings::Settings;
use anyhow::{bail, Context};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The line that tells our hook from someone else's.
const MARKER: &str = "# Installed by `perfmod hook install`";

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
    format!(
        "#!/bin/sh\n\
         {MARKER}: checks the Python files a push changes and blocks the push\n\
         # when perfmod finds anything. Skip once with `git push --no-verify`.\n\
         if command -v perfmod >/dev/null 2>&1; then\n\
         \texec perfmod hook pre-push \"$@\"\n\
         fi\n\
         exec '{quoted}' hook pre-push \"$@\"\n"
    )
}

fn install(force: bool) -> anyhow::Result<ExitStatus> {
    let path = git::hooks_dir(Path::new("."))?.join("pre-push");
    let exe = std::env::current_exe().context("finding the perfmod binary")?;
    let script = hook_script(&exe);
    let mut err = std::io::stderr().lock();
    match std::fs::read_to_string(&path) {
        Ok(existing) if existing == script => {
            writeln!(err, "perfmod pre-push hook already installed at {}", path.display())?;
            return Ok(ExitStatus::Success);
        }
        Ok(existing) if !existing.contains(MARKER) && !force => bail!(
            "{} exists and was not written by perfmod; left alone (use --force to replace it, \
             or call `perfmod hook pre-push \"$@\"` from it)",
            path.display()
        ),
        _ => {}
    }
    git::write_executable(&path, &script)?;
    writeln!(err, "installed the perfmod pre-push hook at {}", path.display())?;
    Ok(ExitStatus::Success)
}

fn pre_push(remote: &str, lines: &str) -> anyhow::Result<ExitStatus> {
    let top = git::toplevel(Path::new("."))?;
    let settings = Settings::resolve(
        &CommonArgs {
            paths: vec![top.clone()],
            no_cache: true,
            ..CommonArgs::default()
        },
        false,
    )?;
    let projects = &settings.projects;
    let files: Vec<PushedFile> = git::pushed_files(&top, remote, lines)?
        .into_iter()
        .filter(|f| f.path.ends_with(".py") && !projects.excludes(&top.join(&f.path)))
        .collect();
    let unsafe_fixes = settings.unsafe_fixes()?;
    let mut err = std::io::stderr().lock();
    let mut results = Vec::new();
    for file in &files {
        let Some(source) = git::blob(&top, file) else {
            continue;
        };
        let rules = projects.rules_for(&top.join(&file.path))?;
        let result = run::process_source(&PathBuf::from(&file.path), source, &rules, projects);
        if let Err(reason) = &result.outcome {
            writeln!(err, "perfmod: {}: {reason}; not checked", file.path)?;
        }
        results.push(result);
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
    fn hook_quotes_the_fallback_path() {
        let script = hook_script(Path::new("/opt/it's here/perfmod"));
        assert!(script.starts_with("#!/bin/sh\n"));
        assert!(script.contains(MARKER));
        assert!(script.contains(r"exec '/opt/it'\''s here/perfmod' hook pre-push"));
    }
}
