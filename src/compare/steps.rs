//! One cursor over two runs: a merged timeline for the playback reducer, and for each merged
//! step the step each run shows then.
//!
//! Stepping goes by the **union** of both runs' step times, not by A's steps alone: the runs
//! see the same arrivals but diverge (B may mark a backend down earlier, or drop a request A
//! serves), and a moment narrated only in B must be reachable with the step buttons too. Steps
//! at the same time in both runs are paired into one merged step (the same arrival narrated
//! twice), so equal runs step exactly as one run would. At a merged step where only one run has
//! a step, the other keeps showing its latest one.

use crate::playback::Timeline;

/// For each merged step, the step index each run shows then (`None` before its first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairedSteps {
    pub a: Vec<Option<usize>>,
    pub b: Vec<Option<usize>>,
}

impl PairedSteps {
    /// The steps A and B show at merged step `step`.
    pub fn at(&self, step: Option<usize>) -> (Option<usize>, Option<usize>) {
        match step {
            Some(i) => (
                self.a.get(i).copied().flatten(),
                self.b.get(i).copied().flatten(),
            ),
            None => (None, None),
        }
    }
}

/// The timeline the one cursor moves over (as long as the longer run, at the slower of the two
/// paces so both animations stay watchable) and the pairing of its steps.
pub fn merge(a: &Timeline, b: &Timeline) -> (Timeline, PairedSteps) {
    let (ta, tb) = (&a.step_times, &b.step_times);
    let mut times = Vec::with_capacity(ta.len().max(tb.len()));
    let mut pairs = PairedSteps::default();
    let (mut i, mut j) = (0, 0);
    while i < ta.len() || j < tb.len() {
        let t = match (ta.get(i), tb.get(j)) {
            (Some(x), Some(y)) => *x.min(y),
            (Some(x), None) | (None, Some(x)) => *x,
            (None, None) => unreachable!("the loop condition"),
        };
        let ga = ta[i..].iter().take_while(|at| **at == t).count();
        let gb = tb[j..].iter().take_while(|at| **at == t).count();
        for k in 0..ga.max(gb) {
            times.push(t);
            // Within a group of same-time steps, pair the k-th of each; a shorter (or empty)
            // group keeps showing its last step.
            let side = |start: usize, group: usize| match group {
                0 => start.checked_sub(1),
                g => Some(start + k.min(g - 1)),
            };
            pairs.a.push(side(i, ga));
            pairs.b.push(side(j, gb));
        }
        i += ga;
        j += gb;
    }
    let timeline = Timeline {
        duration: a.duration.max(b.duration),
        step_times: times,
        pace: a.pace.min(b.pace),
    };
    (timeline, pairs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::SimTime;

    fn timeline(steps: &[u64], duration: u64, pace: f64) -> Timeline {
        Timeline {
            duration: SimTime(duration),
            step_times: steps.iter().map(|t| SimTime(*t)).collect(),
            pace,
        }
    }

    /// One line per merged step: `time a b`, `-` for no step yet.
    fn show(a: &[u64], b: &[u64]) -> String {
        let (tl, pairs) = merge(&timeline(a, 100, 5.0), &timeline(b, 90, 3.0));
        assert_eq!((tl.duration, tl.pace), (SimTime(100), 3.0));
        let s = |v: Option<usize>| v.map_or("-".into(), |v| v.to_string());
        tl.step_times
            .iter()
            .enumerate()
            .map(|(k, t)| format!("{} {} {}", t.0, s(pairs.a[k]), s(pairs.b[k])))
            .collect::<Vec<_>>()
            .join(" | ")
    }

    #[test]
    fn equal_step_times_pair_up() {
        assert_eq!(show(&[0, 5, 9], &[0, 5, 9]), "0 0 0 | 5 1 1 | 9 2 2");
    }

    #[test]
    fn steps_of_either_run_are_reachable() {
        assert_eq!(
            show(&[0, 5, 9], &[2, 5, 7]),
            "0 0 - | 2 0 0 | 5 1 1 | 7 1 2 | 9 2 2"
        );
        assert_eq!(show(&[], &[4]), "4 - 0");
        assert_eq!(show(&[], &[]), "");
    }

    #[test]
    fn same_time_groups_zip_and_the_shorter_waits_at_its_last() {
        assert_eq!(
            show(&[0, 0, 5], &[0, 3, 3, 3]),
            "0 0 0 | 0 1 0 | 3 1 1 | 3 1 2 | 3 1 3 | 5 2 3"
        );
    }

    #[test]
    fn a_cursor_before_the_first_step_shows_none() {
        let (_, pairs) = merge(&timeline(&[1], 5, 1.0), &timeline(&[1], 5, 1.0));
        assert_eq!(pairs.at(None), (None, None));
        assert_eq!(pairs.at(Some(0)), (Some(0), Some(0)));
        assert_eq!(pairs.at(Some(9)), (None, None), "a stale index is harmless");
    }
}
