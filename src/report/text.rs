//! `path:line:col: rule-id [*] message`, one line per finding, then a summary.
//! With `--profile`, each line ends with the share of the time spent in the
//! function around the finding: `[time 42.1% incl, 3.2% self]`, or
//! `[time: not in the profile]`.
use super::{display_path, Located};
use crate::edit::Safety;
use std::io::{self, Write};

pub fn write_findings(out: &mut impl Write, findings: &[Located], unsafe_fixes: bool) -> io::Result<()> {
    let mut fixable = 0;
    let mut hidden = 0;
    for located in findings {
        let finding = located.finding;
        let marker = match finding.fix.as_ref().map(|f| f.safety) {
            Some(Safety::Safe) => {
                fixable += 1;
                "[*] "
            }
            Some(Safety::Unsafe) if unsafe_fixes => {
                fixable += 1;
                "[*] "
            }
            Some(Safety::Unsafe) => {
                hidden += 1;
                ""
            }
            None => "",
        };
        let time = match located.time.as_ref().map(|t| t.share) {
            None => String::new(),
            Some(None) => " [time: not in the profile]".to_string(),
            Some(Some(share)) => format!(
                " [time {:.1}% incl, {:.1}% self]",
                100.0 * share.inclusive,
                100.0 * share.self_time
            ),
        };
        writeln!(
            out,
            "{}:{}:{}: {} {marker}{}{time}",
            display_path(located.path),
            finding.start.line,
            finding.start.column,
            finding.rule,
            finding.message
        )?;
    }
    if findings.is_empty() {
        return writeln!(out, "All checks passed!");
    }
    let plural = if findings.len() == 1 { "" } else { "s" };
    write!(out, "Found {} finding{plural}", findings.len())?;
    let mut notes = Vec::new();
    if fixable > 0 {
        notes.push(format!("{fixable} fixable with `perfmod fix`"));
    }
    if hidden > 0 {
        notes.push(format!("{hidden} more with `perfmod fix --unsafe`"));
    }
    if notes.is_empty() {
        writeln!(out, ".")
    } else {
        writeln!(out, " ({}).", notes.join("; "))
    }
}
