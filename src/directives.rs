//! What a file's own comments say about the run, read before any parse: the
//! file-level `# perfmod: ignore-file` / `# perfmod: ignore-file[rule, ...]`,
//! and rule ids in suppression comments that name no known rule (reported,
//! as ruff's RUF100 reports unused `noqa` codes, so a typo never silences
//! nothing while looking like it silences something).
//!
//! Like the line suppressions (`engine::source`), directives are read from
//! the text, not the tokens: a file-level directive must be a comment on a
//! line of its own.
use aho_corasick::AhoCorasick;
use std::collections::BTreeSet;
use std::sync::LazyLock;

const MARK: &str = "# perfmod: ignore";

/// Every file is searched for the mark, also those the result cache answers:
/// a SIMD substring search keeps that a small share of reading the file.
static FINDER: LazyLock<AhoCorasick> = LazyLock::new(|| AhoCorasick::new([MARK]).expect("one literal pattern"));

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Directives {
    /// `# perfmod: ignore-file`: no rule runs on the file.
    pub ignore_file: bool,
    /// `# perfmod: ignore-file[a, b]`: these rules do not run on the file.
    pub ignored_rules: BTreeSet<String>,
    /// (line, id) of each rule id a suppression comment names that `known` lacks.
    pub unknown: Vec<(usize, String)>,
}

/// Reads the directives of `text`; `known` is every rule id the file's
/// configuration loads (selected or not).
pub fn read(text: &str, known: &BTreeSet<String>) -> Directives {
    let mut found = Directives::default();
    if !FINDER.is_match(text) {
        return found;
    }
    for (index, line) in text.lines().enumerate() {
        let Some(at) = line.find(MARK) else { continue };
        let rest = &line[at + MARK.len()..];
        let (file_level, rest) = match rest.strip_prefix("-file") {
            Some(rest) => (line.trim_start().starts_with(MARK), rest),
            None => (false, rest),
        };
        let list = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .map(|(list, _)| list);
        let ids: Vec<&str> = list
            .map(|l| l.split(',').map(str::trim).filter(|id| !id.is_empty()).collect())
            .unwrap_or_default();
        for id in &ids {
            if !known.contains(*id) {
                found.unknown.push((index + 1, id.to_string()));
            }
        }
        if file_level {
            match list {
                Some(_) => found.ignored_rules.extend(ids.iter().map(|id| id.to_string())),
                None => found.ignore_file = true,
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["a-rule", "b-rule"].iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn file_level_directives_must_stand_alone() {
        let all = read("# perfmod: ignore-file\nx = 1\n", &known());
        assert!(all.ignore_file);
        let some = read("x = 1\n    # perfmod: ignore-file[a-rule, b-rule]\n", &known());
        assert!(!some.ignore_file);
        assert_eq!(some.ignored_rules, known());
        // After code, it is an ordinary line suppression of that line.
        let trailing = read("x = 1  # perfmod: ignore-file\n", &known());
        assert_eq!(trailing, Directives::default());
    }

    #[test]
    fn unknown_ids_are_reported_with_their_line() {
        let found = read(
            "x = 1  # perfmod: ignore[a-rule, a-rul]\n# perfmod: ignore-file[nope]\n",
            &known(),
        );
        assert_eq!(found.unknown, vec![(1, "a-rul".to_string()), (2, "nope".to_string())]);
    }
}
