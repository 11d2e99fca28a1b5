//! Naming a fix by where it sits in the file as read, whatever round found it.
//!
//! Fixes are applied in rounds and later rounds match the rewritten text, so a
//! finding's byte range is only meaningful in its round. To exclude a fix from a
//! re-run of the same file (a rewrite that does not compile, a culprit a
//! `--verify-cmd` bisection found) it needs a name that stays the same across
//! runs: its rule and its range mapped back through every edit applied before it.
use crate::edit::Edit;
use std::collections::HashSet;
use std::ops::Range;

/// A fix named by its rule and its finding's range in the file as read.
///
/// A finding inside text an earlier round inserted is named by the range that
/// text replaced, so it keeps its name as long as that earlier fix is applied
/// (two same-rule findings inside one replacement share a name and are kept or
/// dropped together).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FixId {
    pub rule: String,
    pub range: Range<usize>,
}

/// Which fixes a run may apply: all of them (the default), all but some (drop
/// the ones that broke something), or only some (try a subset, as bisection does;
/// a fix outside the set never lands, even one that only appears because another
/// was left out), or those within some byte ranges of the file as read (the hot
/// code of `--hot`, whatever round finds the fix).
#[derive(Debug, Clone, Default)]
pub enum FixFilter {
    #[default]
    All,
    Except(HashSet<FixId>),
    Only(HashSet<FixId>),
    Within(Vec<Range<usize>>),
}

impl FixFilter {
    pub fn allows(&self, id: &FixId) -> bool {
        match self {
            FixFilter::All => true,
            FixFilter::Except(ids) => !ids.contains(id),
            FixFilter::Only(ids) => ids.contains(id),
            FixFilter::Within(ranges) => ranges
                .iter()
                .any(|r| r.start <= id.range.start && id.range.end <= r.end),
        }
    }
}

/// The edits applied so far, one step per `apply_edits` call, to map offsets of
/// the current text back to the text as read.
#[derive(Debug, Default)]
pub struct OriginMap {
    /// Per step, its edits sorted by position: (range replaced, length of the new text).
    steps: Vec<Vec<(Range<usize>, usize)>>,
}

impl OriginMap {
    /// Records edits that were just applied (in the coordinates of the text they applied to).
    pub fn record(&mut self, edits: &[Edit]) {
        let mut step: Vec<(Range<usize>, usize)> = edits.iter().map(|e| (e.range.clone(), e.text.len())).collect();
        step.sort_by_key(|(range, _)| (range.start, range.end));
        self.steps.push(step);
    }

    /// A range of the current text as a range of the text as read; an end
    /// inside inserted text maps to the end of what that text replaced, a start
    /// to its start.
    pub fn to_original(&self, range: Range<usize>) -> Range<usize> {
        let (mut start, mut end) = (range.start, range.end);
        for step in self.steps.iter().rev() {
            start = map_back(step, start, false);
            end = map_back(step, end, true);
        }
        start..end
    }
}

fn map_back(step: &[(Range<usize>, usize)], offset: usize, is_end: bool) -> usize {
    // `shift` = (new length - old length) of the edits before `offset`.
    let mut shift: isize = 0;
    for (old, new_len) in step {
        let new_start = old.start.saturating_add_signed(shift);
        if offset < new_start || (offset == new_start && *new_len > 0 && is_end) {
            break;
        }
        if offset < new_start + new_len {
            return if is_end { old.end } else { old.start };
        }
        shift += *new_len as isize - old.len() as isize;
    }
    offset.saturating_add_signed(-shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_back_through_rounds() {
        let original = "a = f(x)\nb = g(y)\n";
        let mut map = OriginMap::default();
        // Round 1: `f(x)` -> `await ff(x)`, an import inserted on top.
        map.record(&[Edit::replace(4..8, "await ff(x)"), Edit::insert(0, "import m\n")]);
        let round1 = "import m\na = await ff(x)\nb = g(y)\n";
        let g = round1.find("g(y)").unwrap();
        assert_eq!(
            map.to_original(g..g + 4),
            original.find("g(y)").unwrap()..original.find("g(y)").unwrap() + 4
        );
        // Something found inside the round-1 replacement is named by what it replaced.
        let ff = round1.find("ff(x)").unwrap();
        assert_eq!(map.to_original(ff..ff + 5), 4..8);
        // A second round's edits compose with the first.
        map.record(&[Edit::delete(0..9)]);
        let round2 = "a = await ff(x)\nb = g(y)\n";
        let g = round2.find("g(y)").unwrap();
        assert_eq!(map.to_original(g..g + 4).start, original.find("g(y)").unwrap());
    }

    #[test]
    fn filters_by_id() {
        let id = |start| FixId {
            rule: "r".into(),
            range: start..start + 1,
        };
        let only = FixFilter::Only(HashSet::from([id(1)]));
        assert!(only.allows(&id(1)) && !only.allows(&id(2)));
        let except = FixFilter::Except(HashSet::from([id(1)]));
        assert!(!except.allows(&id(1)) && except.allows(&id(2)));
        assert!(FixFilter::All.allows(&id(3)));
        let within = FixFilter::Within(vec![0..2, 5..9]);
        assert!(within.allows(&id(1)) && within.allows(&id(5)) && !within.allows(&id(2)));
    }
}
