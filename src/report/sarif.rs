//! `--format sarif`: a SARIF 2.1.0 log with one run, as GitHub code scanning
//! and other SARIF viewers read it. Every active rule is listed under
//! `tool.driver.rules` and results name their rule by `ruleId` only (no
//! `ruleIndex`), so the logs of CI shards run with the same settings merge by
//! concatenating their `runs[0].results` arrays. Columns count characters
//! (`columnKind: unicodeCodePoints`), as in every perfmod output; paths are
//! relative URIs, as given or walked.
use super::{display_path, Located};
use serde_json::json;
use std::io::{self, Write};

/// What the log says about a rule: its id and one-line summary.
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub summary: &'a str,
}

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn write_findings(out: &mut impl Write, findings: &[Located], rules: &[RuleInfo]) -> io::Result<()> {
    let rules: Vec<_> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "shortDescription": { "text": r.summary },
                "help": { "text": format!("Run `perfmod explain {}` for the rule's documentation.", r.id) },
                "defaultConfiguration": { "level": "warning" },
            })
        })
        .collect();
    let results: Vec<_> = findings
        .iter()
        .map(|l| {
            let f = l.finding;
            json!({
                "ruleId": f.rule,
                "level": "warning",
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&display_path(l.path)) },
                        "region": {
                            "startLine": f.start.line,
                            "startColumn": f.start.column,
                            "endLine": f.end.line,
                            "endColumn": f.end.column,
                        },
                    },
                }],
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "perfmod",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log).map_err(io::Error::other)?;
    writeln!(out)
}

/// A path as a relative URI reference: `/` separators, and every byte that is
/// not unreserved (RFC 3986) percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("src/my app/é.py"), "src/my%20app/%C3%A9.py");
    }
}
