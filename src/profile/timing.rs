//! A profile mapped onto the checked code: each function of the checked files
//! gets its share of the profile's time, each finding the share of the function
//! it sits in, and `--hot PCT` picks the functions where the time goes.
//!
//! **Matching.** A profile's file paths are absolute or relative to wherever
//! the program ran, so a profile file is matched to the checked file whose path
//! shares the longest suffix with it (whole path components, at least the file
//! name; a tie between checked files matches neither). A frame is then matched,
//! in that file, to the innermost `def` or `class` of its name (the last part of
//! a dotted qualified name) whose lines, decorators included, contain the
//! frame's line: cProfile gives a function's first line, samplers the line that
//! was running. `<module>` is the module's top-level code; a comprehension,
//! generator expression or lambda (`<listcomp>`, `<genexpr>`, `<lambda>`) counts
//! as the code of the innermost definition around it.
//!
//! **Times**, as shares of the profile's total:
//! - *inclusive*: time with the function on the stack (cProfile's cumtime).
//! - *self*: time in the function's own code, *including* what it calls outside
//!   the checked files (builtins, the standard library, installed packages) and
//!   *excluding* what it calls in the checked files. That is where a rewrite of
//!   the function can save time: `list.pop(0)` spends its time in a builtin,
//!   which cProfile's own tottime would leave out. From stacks this is exact
//!   (each sample counts to its innermost checked function). From a cProfile
//!   dump, which has no stacks, an outside function's cumtime is shared among
//!   its checked callers, less the share spent calling back into checked code
//!   (a `key=` function, a generator consumed by `sum`).
//!
//! **Hot set** (`--hot PCT`): the checked functions ranked by self time
//! (largest first; ties by inclusive time, then file and line), and the
//! shortest prefix of that ranking whose self times add up to at least PCT% of
//! the profile's total. Self times do not overlap, so "together cover PCT% of
//! the time" is well defined; ranking by inclusive time would put `main` first
//! and call everything below it hot. When the checked code holds less than
//! PCT% of the time, every checked function with some self time is hot.
use super::{Data, Profile};
use crate::engine::analysis;
use crate::engine::source::SourceFile;
use crate::engine::Finding;
use std::collections::{HashMap, HashSet};
use std::ops::{Range, RangeInclusive};
use std::path::{Path, PathBuf};

/// A definition (or the module) whose time can be measured.
#[derive(Debug, Clone)]
pub struct Scope {
    pub name: String,
    /// From its first decorator to its last line, 1-based.
    pub lines: RangeInclusive<usize>,
    /// Byte range in the file's text without BOM (as findings count).
    pub bytes: Range<usize>,
}

/// Shares of the profile's total, between 0 and 1.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Share {
    pub inclusive: f64,
    pub self_time: f64,
}

/// What the profile says about one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingTime {
    /// The innermost function (or class, or `<module>`) around the finding.
    pub function: String,
    /// Its first line.
    pub line: usize,
    /// `None` when the profile never saw that function run.
    pub share: Option<Share>,
}

/// How much of the profile was matched, for the summary line.
#[derive(Debug, Clone, Copy, Default)]
pub struct MatchSummary {
    /// Distinct (file, function name) pairs in the profile.
    pub functions: usize,
    /// Those that matched a function of the checked code.
    pub matched: usize,
}

struct FileScopes {
    scopes: Vec<Scope>,
    /// Per scope, its times in seconds (or samples) when the profile saw it.
    times: Vec<Option<Share>>,
}

pub struct Timing {
    files: HashMap<PathBuf, FileScopes>,
    pub summary: MatchSummary,
    /// `--hot`: (file, scope index) of the hot functions.
    hot: Option<HashSet<(PathBuf, usize)>>,
}

/// A checked file: its path as reported, and whether it has findings.
pub struct Checked<'a> {
    pub path: &'a Path,
    pub has_findings: bool,
}

impl Timing {
    /// Maps `profile` onto the checked files. `read` gives a file's text; only
    /// files the profile names or that have findings are read and parsed.
    pub fn new(profile: &Profile, checked: &[Checked], read: impl Fn(&Path) -> Option<String>) -> Timing {
        let file_of_frame = match_files(profile, checked);
        let mut parser = crate::engine::python_parser();
        let mut files: HashMap<PathBuf, FileScopes> = HashMap::new();
        let named: HashSet<&Path> = file_of_frame.values().copied().collect();
        let wanted = checked.iter().filter(|c| c.has_findings || named.contains(c.path));
        for c in wanted {
            let Some(text) = read(c.path) else { continue };
            let scopes = scopes_of(&text, &mut parser);
            let times = vec![None; scopes.len()];
            files.insert(c.path.to_path_buf(), FileScopes { scopes, times });
        }
        // The scope each frame ran in, if it is checked code.
        let owner: Vec<Option<(&Path, usize)>> = profile
            .frames
            .iter()
            .map(|frame| {
                let path = file_of_frame.get(frame.file.as_str())?;
                let scopes = &files.get(*path)?.scopes;
                Some((*path, scope_of_frame(scopes, &frame.name, frame.line)?))
            })
            .collect();
        let mut times: HashMap<(&Path, usize), Share> = HashMap::new();
        attribute(profile, &owner, &mut times);
        let total = profile.total();
        for ((path, scope), share) in times {
            let file = files.get_mut(path).expect("owners are parsed files");
            file.times[scope] = Some(Share {
                inclusive: share.inclusive / total.max(f64::MIN_POSITIVE),
                self_time: share.self_time / total.max(f64::MIN_POSITIVE),
            });
        }
        let mut functions = HashSet::new();
        let mut matched = HashSet::new();
        for (frame, owner) in profile.frames.iter().zip(&owner) {
            if frame.file.is_empty() {
                continue;
            }
            functions.insert((&frame.file, &frame.name));
            if owner.is_some() {
                matched.insert((&frame.file, &frame.name));
            }
        }
        Timing {
            files,
            summary: MatchSummary {
                functions: functions.len(),
                matched: matched.len(),
            },
            hot: None,
        }
    }

    /// Where `finding` (of the file at `path`) sits and that function's share of
    /// the time; `None` if the file was not read.
    pub fn of(&self, path: &Path, finding: &Finding) -> Option<FindingTime> {
        let file = self.files.get(path)?;
        let scope = innermost(&file.scopes, &finding.range);
        Some(FindingTime {
            function: file.scopes[scope].name.clone(),
            line: *file.scopes[scope].lines.start(),
            share: file.times[scope],
        })
    }

    /// Keeps the functions that together take `percent`% of the time as the hot set.
    pub fn select_hot(&mut self, percent: f64) {
        let mut ranked: Vec<(&PathBuf, usize, Share)> = self
            .files
            .iter()
            .flat_map(|(path, file)| {
                file.times
                    .iter()
                    .enumerate()
                    .filter_map(move |(i, t)| Some((path, i, (*t)?)))
            })
            .filter(|(_, _, share)| share.self_time > 0.0)
            .collect();
        ranked.sort_by(|a, b| {
            b.2.self_time
                .total_cmp(&a.2.self_time)
                .then(b.2.inclusive.total_cmp(&a.2.inclusive))
                .then(a.0.cmp(b.0))
                .then(a.1.cmp(&b.1))
        });
        let goal = percent / 100.0;
        let mut covered = 0.0;
        let mut hot = HashSet::new();
        for (path, scope, share) in ranked {
            // A small tolerance: shares are sums of floats.
            if covered >= goal - 1e-9 {
                break;
            }
            covered += share.self_time;
            hot.insert((path.clone(), scope));
        }
        self.hot = Some(hot);
    }

    /// How many functions the hot set holds.
    pub fn hot_count(&self) -> usize {
        self.hot.as_ref().map_or(0, HashSet::len)
    }

    /// The share of the time the hot functions' self times add up to.
    pub fn hot_share(&self) -> f64 {
        let Some(hot) = &self.hot else { return 0.0 };
        hot.iter()
            .filter_map(|(path, scope)| self.files.get(path)?.times[*scope])
            .map(|share| share.self_time)
            .sum()
    }

    /// Whether `finding` is in a hot function (true when no hot set was selected).
    pub fn is_hot(&self, path: &Path, finding: &Finding) -> bool {
        let Some(hot) = &self.hot else { return true };
        self.files
            .get(path)
            .is_some_and(|file| hot.contains(&(path.to_path_buf(), innermost(&file.scopes, &finding.range))))
    }

    /// The byte ranges of `path` that are the own code of hot functions (their
    /// text less the definitions nested in them), for a fix filter.
    pub fn hot_ranges(&self, path: &Path) -> Vec<Range<usize>> {
        let (Some(hot), Some(file)) = (&self.hot, self.files.get(path)) else {
            return Vec::new();
        };
        let mut ranges = Vec::new();
        for (i, scope) in file.scopes.iter().enumerate() {
            if !hot.contains(&(path.to_path_buf(), i)) {
                continue;
            }
            let mut start = scope.bytes.start;
            // Scopes are in source order, so nested ones come after, in order.
            let nested = file.scopes[i + 1..]
                .iter()
                .filter(|s| s.bytes.start >= scope.bytes.start && s.bytes.end <= scope.bytes.end);
            for inner in nested {
                if inner.bytes.start < start {
                    continue; // inside a nested scope already cut out
                }
                ranges.push(start..inner.bytes.start);
                start = inner.bytes.end;
            }
            ranges.push(start..scope.bytes.end);
        }
        ranges
    }
}

/// The checked file each profile file is, by longest common path suffix.
fn match_files<'p, 'c>(profile: &'p Profile, checked: &[Checked<'c>]) -> HashMap<&'p str, &'c Path> {
    let full: Vec<String> = checked
        .iter()
        .map(|c| {
            std::fs::canonicalize(c.path)
                .unwrap_or_else(|_| c.path.to_path_buf())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, path) in full.iter().enumerate() {
        if let Some(name) = components(path).last() {
            by_name.entry(name).or_default().push(i);
        }
    }
    let profile_files: HashSet<&str> = profile.frames.iter().map(|f| f.file.as_str()).collect();
    // Per profile file: the checked file with the longest common suffix, if unique.
    let mut best: Vec<(&str, usize, usize)> = Vec::new();
    for file in profile_files {
        let parts = components(file);
        let Some(candidates) = parts.last().and_then(|name| by_name.get(name)) else {
            continue;
        };
        let scored: Vec<(usize, usize)> = candidates
            .iter()
            .map(|&i| (common_suffix(&parts, &components(&full[i])), i))
            .collect();
        let top = scored.iter().map(|s| s.0).max().unwrap_or(0);
        let mut winners = scored.iter().filter(|s| s.0 == top);
        if let (Some(&(length, i)), None) = (winners.next(), winners.next()) {
            best.push((file, i, length));
        }
    }
    // Per checked file, only the profile files matching it best (a library's
    // `utils.py` does not match the project's `pkg/utils.py` when `.../pkg/utils.py` does).
    let mut longest: HashMap<usize, usize> = HashMap::new();
    for &(_, i, length) in &best {
        let entry = longest.entry(i).or_default();
        *entry = (*entry).max(length);
    }
    best.into_iter()
        .filter(|(_, i, length)| longest[i] == *length)
        .map(|(file, i, _)| (file, checked[i].path))
        .collect()
}

fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\']).filter(|c| !c.is_empty() && *c != ".").collect()
}

fn common_suffix(a: &[&str], b: &[&str]) -> usize {
    a.iter().rev().zip(b.iter().rev()).take_while(|(x, y)| x == y).count()
}

/// The module (first) and every function and class definition, in source order.
fn scopes_of(text: &str, parser: &mut tree_sitter::Parser) -> Vec<Scope> {
    let body = SourceFile::new(text).body;
    let mut scopes = vec![Scope {
        name: "<module>".into(),
        lines: 1..=usize::MAX,
        bytes: 0..body.len(),
    }];
    let Some(tree) = parser.parse(body, None) else {
        return scopes;
    };
    analysis::walk(tree.root_node(), |node| {
        if matches!(node.kind(), "function_definition" | "class_definition") {
            let Some(name) = node.child_by_field_name("name") else {
                return true;
            };
            let outer = node
                .parent()
                .filter(|p| p.kind() == "decorated_definition")
                .unwrap_or(node);
            scopes.push(Scope {
                name: body[name.byte_range()].to_string(),
                lines: outer.start_position().row + 1..=outer.end_position().row + 1,
                bytes: outer.byte_range(),
            });
        }
        true
    });
    scopes
}

/// The innermost scope containing `range` (the module if no definition does).
fn innermost(scopes: &[Scope], range: &Range<usize>) -> usize {
    // In source order, the last scope containing a range is the innermost one.
    scopes
        .iter()
        .rposition(|s| s.bytes.start <= range.start && range.end <= s.bytes.end)
        .unwrap_or(0)
}

/// The scope a profile frame ran in (see the module docs).
fn scope_of_frame(scopes: &[Scope], name: &str, line: Option<usize>) -> Option<usize> {
    if name == "<module>" {
        return Some(0);
    }
    let short = name.rsplit('.').next().unwrap_or(name);
    let named = |s: &Scope| s.name == short;
    match line {
        Some(line) => {
            let around = |s: &Scope| s.lines.contains(&line);
            scopes.iter().rposition(|s| named(s) && around(s)).or_else(|| {
                let anonymous = matches!(
                    short,
                    "<lambda>" | "<listcomp>" | "<genexpr>" | "<dictcomp>" | "<setcomp>"
                );
                anonymous.then(|| scopes.iter().rposition(around)).flatten()
            })
        }
        // Without a line, only a name used once in the file is certain.
        None => {
            let mut found = scopes.iter().enumerate().filter(|(_, s)| named(s));
            match (found.next(), found.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        }
    }
}

/// Adds each checked scope's self and inclusive time (in the profile's units) to `times`.
fn attribute<'p>(
    profile: &Profile,
    owner: &[Option<(&'p Path, usize)>],
    times: &mut HashMap<(&'p Path, usize), Share>,
) {
    match &profile.data {
        Data::Stacks(samples) => {
            for sample in samples {
                let mut seen: Vec<(&Path, usize)> = Vec::new();
                for &frame in &sample.stack {
                    if let Some(scope) = owner[frame] {
                        if !seen.contains(&scope) {
                            seen.push(scope);
                            times.entry(scope).or_default().inclusive += sample.weight;
                        }
                    }
                }
                let leaf = sample.stack.iter().rev().find_map(|&f| owner[f]);
                if let Some(leaf) = leaf {
                    times.entry(leaf).or_default().self_time += sample.weight;
                }
            }
        }
        Data::Functions(functions) => {
            // Per outside function, the time checked code called from it took.
            let mut called_back: HashMap<usize, f64> = HashMap::new();
            for function in functions.iter().filter(|f| owner[f.frame].is_some()) {
                for &(caller, time) in &function.callers {
                    if owner[caller].is_none() {
                        *called_back.entry(caller).or_default() += time;
                    }
                }
            }
            for function in functions {
                match owner[function.frame] {
                    Some(scope) => {
                        let share = times.entry(scope).or_default();
                        share.self_time += function.self_time;
                        // A comprehension's time is already in its def's cumtime.
                        share.inclusive = share.inclusive.max(function.inclusive);
                    }
                    None => {
                        let back = called_back.get(&function.frame).copied().unwrap_or(0.0);
                        let own = if function.inclusive > 0.0 {
                            (1.0 - back / function.inclusive).clamp(0.0, 1.0)
                        } else {
                            0.0
                        };
                        for &(caller, time) in &function.callers {
                            if let Some(scope) = owner[caller] {
                                times.entry(scope).or_default().self_time += time * own;
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::source::Position;
    use crate::profile::{Frame, FunctionStats, Sample};

    const SOURCE: &str = "import functools\n\n\
                          @functools.cache\n\
                          def outer(n):\n    def inner(x):\n        return [x for _ in range(n)]\n    return inner(n)\n\n\
                          class Cache:\n    def get(self):\n        return sorted(self.items)[0]\n";

    fn frame(file: &str, line: usize, name: &str) -> Frame {
        Frame {
            file: file.into(),
            line: Some(line),
            name: name.into(),
        }
    }

    #[test]
    fn frames_map_to_the_definitions_they_ran_in() {
        let scopes = scopes_of(SOURCE, &mut crate::engine::python_parser());
        let names: Vec<&str> = scopes.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["<module>", "outer", "inner", "Cache", "get"]);
        // cProfile's first line of a decorated function is its decorator's.
        assert_eq!(scope_of_frame(&scopes, "outer", Some(3)), Some(1));
        // A sampler's running line, and a qualified name.
        assert_eq!(scope_of_frame(&scopes, "Cache.get", Some(11)), Some(4));
        assert_eq!(scope_of_frame(&scopes, "<listcomp>", Some(6)), Some(2));
        assert_eq!(scope_of_frame(&scopes, "get", None), Some(4));
        assert_eq!(scope_of_frame(&scopes, "get", Some(3)), None);
        assert_eq!(scope_of_frame(&scopes, "missing", Some(3)), None);
    }

    #[test]
    fn paths_match_by_longest_suffix() {
        let profile = Profile {
            format: "test",
            frames: vec![
                frame("/home/me/proj/pkg/util.py", 1, "f"),
                frame("/usr/lib/python3/util.py", 1, "g"),
                frame("other.py", 1, "h"),
            ],
            data: Data::Stacks(Vec::new()),
            notes: Vec::new(),
        };
        let checked = [
            Checked {
                path: Path::new("pkg/util.py"),
                has_findings: true,
            },
            Checked {
                path: Path::new("lib/other.py"),
                has_findings: false,
            },
        ];
        let matched = match_files(&profile, &checked);
        assert_eq!(
            matched.get("/home/me/proj/pkg/util.py"),
            Some(&Path::new("pkg/util.py"))
        );
        assert_eq!(matched.get("/usr/lib/python3/util.py"), None);
        assert_eq!(matched.get("other.py"), Some(&Path::new("lib/other.py")));
    }

    #[test]
    fn self_time_includes_outside_callees_but_not_checked_ones() {
        let path = Path::new("app.py");
        let text = "def main():\n    work()\n\ndef work():\n    return sorted(range(9))[0]\n";
        let frames = vec![
            frame("app.py", 1, "main"),
            frame("app.py", 4, "work"),
            frame("~", 0, "<built-in method builtins.sorted>"),
        ];
        let stacks = Profile {
            format: "test",
            frames: frames.clone(),
            data: Data::Stacks(vec![
                Sample {
                    stack: vec![0, 1, 2],
                    weight: 6.0,
                },
                Sample {
                    stack: vec![0, 1],
                    weight: 2.0,
                },
                Sample {
                    stack: vec![0],
                    weight: 2.0,
                },
            ]),
            notes: Vec::new(),
        };
        let stats = |frame, self_time, inclusive, callers| FunctionStats {
            frame,
            self_time,
            inclusive,
            callers,
        };
        let dump = Profile {
            data: Data::Functions(vec![
                stats(0, 2.0, 10.0, vec![]),
                stats(1, 2.0, 8.0, vec![(0, 8.0)]),
                stats(2, 6.0, 6.0, vec![(1, 6.0)]),
            ]),
            ..stacks.clone()
        };
        for profile in [stacks, dump] {
            let checked = [Checked {
                path,
                has_findings: true,
            }];
            let mut timing = Timing::new(&profile, &checked, |_| Some(text.to_string()));
            let at = |needle: &str| {
                let start = text.find(needle).unwrap();
                Finding {
                    rule: "r".into(),
                    message: String::new(),
                    range: start..start + needle.len(),
                    start: Position { line: 1, column: 1 },
                    end: Position { line: 1, column: 1 },
                    fix: None,
                }
            };
            let work = timing.of(path, &at("sorted(range(9))[0]")).unwrap();
            assert_eq!((work.function.as_str(), work.line), ("work", 4));
            assert_eq!(
                work.share,
                Some(Share {
                    inclusive: 0.8,
                    self_time: 0.8
                }),
                "{}",
                profile.format
            );
            let main = timing.of(path, &at("work()")).unwrap();
            assert_eq!(
                main.share,
                Some(Share {
                    inclusive: 1.0,
                    self_time: 0.2
                })
            );
            assert_eq!(timing.summary.functions, 3);
            assert_eq!(timing.summary.matched, 2);
            timing.select_hot(80.0);
            assert!(timing.is_hot(path, &at("sorted(range(9))[0]")));
            assert!(!timing.is_hot(path, &at("work()")));
            let ranges = timing.hot_ranges(path);
            let work = text.find("def work").unwrap()..text.len() - 1;
            assert_eq!(ranges, vec![work]);
        }
    }
}
