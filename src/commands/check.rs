//! `perfmod check`: report findings.
use super::{process_files, ExitStatus};
use crate::cli::{CheckArgs, Format};
use crate::engine::Mode;
use crate::report::{json, text, Located};
use crate::settings::Settings;
use std::io::Write;

pub fn run_check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let settings = Settings::resolve(&args.common)?;
    let unsafe_fixes = settings.unsafe_fixes;
    let (results, failed) = process_files(
        settings,
        Mode {
            fix: false,
            unsafe_fixes,
        },
    )?;
    let findings: Vec<Located> = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|o| (r, o)))
        .flat_map(|(r, o)| o.findings.iter().map(move |finding| Located { path: &r.path, finding }))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        Format::Text => text::write_findings(&mut out, &findings, unsafe_fixes)?,
        Format::Json => json::write_findings(&mut out, &findings)?,
    }
    out.flush()?;
    Ok(if failed {
        ExitStatus::Error
    } else if findings.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Findings
    })
}
