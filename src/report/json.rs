//! `--format json`: an array of objects, one per finding:
//!
//! | field | meaning |
//! |---|---|
//! | `rule` | codemod id |
//! | `path` | file as given or walked |
//! | `line`, `column`, `end_line`, `end_column` | 1-based; columns count characters |
//! | `message` | what is wrong and what to do |
//! | `fixable` | whether a rewrite exists |
//! | `safety` | `"safe"`, `"unsafe"`, or `null` when there is no rewrite |
//!
//! Arrays from several runs (e.g. CI shards) merge by concatenating their elements.
use super::{display_path, Located};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    fixable: bool,
    safety: Option<&'static str>,
}

pub fn write_findings(out: &mut impl Write, findings: &[Located]) -> io::Result<()> {
    let rows: Vec<JsonFinding> = findings
        .iter()
        .map(|l| JsonFinding {
            rule: &l.finding.rule,
            path: display_path(l.path),
            line: l.finding.start.line,
            column: l.finding.start.column,
            end_line: l.finding.end.line,
            end_column: l.finding.end.column,
            message: &l.finding.message,
            fixable: l.finding.fix.is_some(),
            safety: l.finding.fix.as_ref().map(|f| f.safety.as_str()),
        })
        .collect();
    serde_json::to_writer_pretty(&mut *out, &rows).map_err(io::Error::other)?;
    writeln!(out)
}
