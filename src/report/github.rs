//! `--format github`: one GitHub Actions workflow command per finding,
//! `::warning file=P,line=L,col=C,endLine=L,endColumn=C,title=RULE::MESSAGE`,
//! which the runner turns into annotations on the pull request's diff.
use super::{display_path, Located};
use std::io::{self, Write};

pub fn write_findings(out: &mut impl Write, findings: &[Located]) -> io::Result<()> {
    for located in findings {
        let f = located.finding;
        writeln!(
            out,
            "::warning file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&display_path(located.path)),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&f.rule),
            escape_data(&f.message)
        )?;
    }
    Ok(())
}

/// The runner's escaping of a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// The runner's escaping of a command's property values, where `:` and `,` delimit.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50% of\nlines"), "50%25 of%0Alines");
        assert_eq!(escape_property("a,b:c.py"), "a%2Cb%3Ac.py");
    }
}
