//! Finding the rewrites that break a check, by bisection.
//!
//! Adaptive group testing: with the empty set known to pass and the full set
//! known to fail, test the first half on top of what is already kept; if it
//! passes, keep it and the culprit is in the second half (no run needed to
//! know that half fails); if it fails, search it, then test the second half on
//! top of the first half's good rewrites. One culprit among n costs at most
//! 2·log2(n) runs. Every set ever kept is one a run saw pass, so the result is
//! a state the check is known to accept. Used for `compile()` failures (the
//! items are one file's fixes) and for `--verify-cmd` (fixes across files).

/// Checks a set of items: `Ok(())` when they pass together, `Err(how)` when
/// they fail; an outer `Err` aborts the search.
pub type Check<'t, T, E> = dyn FnMut(&[T]) -> anyhow::Result<Result<(), E>> + 't;

/// What a search found.
#[derive(Debug)]
pub struct Found<T, E> {
    /// The largest set seen to pass, built up from passing runs.
    pub kept: Vec<T>,
    /// Each culprit with the failure of the last failing set it was part of.
    pub culprits: Vec<(T, E)>,
    /// Left out untested because the run budget ran out.
    pub untested: Vec<T>,
    /// How many times `test` ran.
    pub runs: usize,
}

/// Searches `all`, which fails with `failure` (the empty set passes), for the
/// items that make `test` fail. At most `max_runs` tests when given; what is left then is `untested`.
pub fn find_culprits<T: Clone, E: Clone>(
    all: Vec<T>,
    failure: E,
    max_runs: Option<usize>,
    test: &mut Check<'_, T, E>,
) -> anyhow::Result<Found<T, E>> {
    let mut search = Search {
        test,
        max_runs,
        found: Found {
            kept: Vec::new(),
            culprits: Vec::new(),
            untested: Vec::new(),
            runs: 0,
        },
    };
    if !all.is_empty() {
        search.run(all, Some(failure))?;
    }
    Ok(search.found)
}

struct Search<'t, T, E> {
    test: &'t mut Check<'t, T, E>,
    max_runs: Option<usize>,
    found: Found<T, E>,
}

impl<T: Clone, E: Clone> Search<'_, T, E> {
    /// Sorts `group` (never empty) into kept, culprits and untested. `known` is
    /// the failure of `kept + group` when a run or a sibling already showed it.
    /// Recursion depth is log2 of the number of items.
    fn run(&mut self, mut group: Vec<T>, known: Option<E>) -> anyhow::Result<()> {
        let failure = match known {
            Some(failure) => failure,
            None => {
                if self.max_runs.is_some_and(|max| self.found.runs >= max) {
                    self.found.untested.extend(group);
                    return Ok(());
                }
                let trial: Vec<T> = self.found.kept.iter().chain(&group).cloned().collect();
                self.found.runs += 1;
                match (self.test)(&trial)? {
                    Ok(()) => {
                        self.found.kept = trial;
                        return Ok(());
                    }
                    Err(failure) => failure,
                }
            }
        };
        if group.len() == 1 {
            self.found.culprits.push((group.remove(0), failure));
            return Ok(());
        }
        let second = group.split_off(group.len() / 2);
        let (kept_before, first_len) = (self.found.kept.len(), group.len());
        self.run(group, None)?;
        // The first half all passed on top of what was kept, and the whole
        // group failed there: the second half fails without asking.
        let first_all_kept = self.found.kept.len() == kept_before + first_len;
        self.run(second, first_all_kept.then_some(failure))
    }
}

/// The default `--verify-max-runs` for n rewrites: the all-applied and
/// none-applied runs, 2·log2(n) to bisect one culprit, and two to spare.
pub fn default_max_runs(n: usize) -> usize {
    let log2 = usize::BITS - n.saturating_sub(1).leading_zeros();
    2 * log2 as usize + 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A check that fails when any of `bad` is in the set.
    fn search(n: usize, bad: &[usize], max_runs: Option<usize>) -> Found<usize, usize> {
        let mut test = |set: &[usize]| Ok(set.iter().find(|i| bad.contains(i)).map_or(Ok(()), |&i| Err(i)));
        find_culprits((0..n).collect(), bad[0], max_runs, &mut test).unwrap()
    }

    #[test]
    fn finds_one_culprit_in_logarithmic_runs() {
        for n in [1, 2, 3, 7, 8, 100] {
            for culprit in 0..n {
                let found = search(n, &[culprit], None);
                assert_eq!(found.culprits.iter().map(|c| c.0).collect::<Vec<_>>(), [culprit]);
                assert_eq!(found.kept.len(), n - 1);
                assert!(found.untested.is_empty());
                assert!(
                    found.runs <= default_max_runs(n) - 2,
                    "n={n} culprit={culprit}: {} runs",
                    found.runs
                );
            }
        }
    }

    #[test]
    fn finds_several_culprits() {
        let found = search(20, &[3, 4, 17], None);
        let mut culprits: Vec<usize> = found.culprits.iter().map(|c| c.0).collect();
        culprits.sort();
        assert_eq!(culprits, [3, 4, 17]);
        assert_eq!(found.kept.len(), 17);
    }

    #[test]
    fn stops_at_the_budget_keeping_a_passing_set() {
        let found = search(64, &[40], Some(2));
        assert_eq!(found.runs, 2);
        assert!(!found.kept.contains(&40));
        assert_eq!(found.kept.len() + found.untested.len() + found.culprits.len(), 64);
        assert!(!found.untested.is_empty());
    }

    #[test]
    fn default_budget_grows_with_log2() {
        assert_eq!(default_max_runs(1), 4);
        assert_eq!(default_max_runs(2), 6);
        assert_eq!(default_max_runs(5), 10);
        assert_eq!(default_max_runs(1024), 24);
    }
}
