//! Unified diffs of rewritten files, coloured on a terminal.
use std::io::{self, Write};

pub fn write_diff(out: &mut impl Write, path: &str, old: &str, new: &str, colour: bool) -> io::Result<()> {
    // Patience anchors on unique lines: linear on a batch rewrite's many small
    // scattered hunks, where Myers' O(N·D) takes seconds.
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    for line in text.split_inclusive('\n') {
        let style = match line.as_bytes().first() {
            _ if !colour => None,
            Some(b'+') if !line.starts_with("+++") => Some("\x1b[32m"),
            Some(b'-') if !line.starts_with("---") => Some("\x1b[31m"),
            Some(b'@') => Some("\x1b[36m"),
            Some(b'+' | b'-') => Some("\x1b[1m"),
            _ => None,
        };
        match style {
            Some(code) => write!(
                out,
                "{code}{}\x1b[0m{}",
                line.trim_end_matches(['\n', '\r']),
                &line[line.trim_end_matches(['\n', '\r']).len()..]
            )?,
            None => write!(out, "{line}")?,
        }
        if !line.ends_with('\n') {
            writeln!(out, "\n\\ No newline at end of file")?;
        }
    }
    Ok(())
}
