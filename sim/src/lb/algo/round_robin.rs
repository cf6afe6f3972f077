//! Round robin as the Linux IPVS `rr` scheduler does it (net/netfilter/ipvs/ip_vs_rr.c,
//! `ip_vs_rr_schedule`): walk the backend list circularly starting after the last one chosen,
//! skip backends that may not take requests (weight 0 or marked down), take the first one found.
//! It ignores load entirely — the point of showing it — and any weight above 0 counts the same.

use super::{holds, LoadView, Picker};

#[derive(Clone, Debug, Default)]
pub struct RoundRobin {
    /// Index of the backend chosen last (`None` before the first request).
    last: Option<usize>,
    /// Where the last pick started its walk: the backends from there up to the chosen one (in
    /// circular order) were skipped, which `explain` lists.
    start: usize,
    picks: u64,
}

impl RoundRobin {
    pub fn new() -> Self {
        Self::default()
    }
}

impl Picker for RoundRobin {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let n = view.eligible.len();
        let mut i = self.last.map_or(0, |l| if l + 1 >= n { 0 } else { l + 1 });
        self.start = i;
        for _ in 0..n {
            if view.eligible[i] {
                self.last = Some(i);
                self.picks += 1;
                return Some(i);
            }
            i = if i + 1 == n { 0 } else { i + 1 };
        }
        None
    }

    /// A walk that finds nothing moves `start`, which only `explain` of a successful pick reads.
    fn idle_when_none_eligible(&self) -> bool {
        true
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        let n = view.eligible.len();
        let skipped: Vec<usize> = (0..n)
            .map(|k| (self.start + k) % n)
            .take_while(|&i| i != chosen)
            .collect();
        let mut why = if n == 1 {
            "it is the only backend".to_string()
        } else if self.picks == 1 {
            format!("the rotation starts at backend {}", chosen + 1)
        } else {
            let prev = (chosen + n - 1 - skipped.len()) % n;
            format!("it is next in the rotation after backend {}", prev + 1)
        };
        if !skipped.is_empty() {
            let names: Vec<String> = skipped.iter().map(|i| format!("{}", i + 1)).collect();
            why.push_str(&format!(
                ", skipping backend {} (drained or down)",
                names.join(", ")
            ));
        }
        why.push_str(&format!(
            " — round robin does not look at load: {}",
            holds(chosen, view.in_flight[chosen])
        ));
        why
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn rotates_through_every_backend() {
        let f = Fixture::new(&[1.0, 1.0, 1.0]);
        assert_eq!(
            f.picks(&mut RoundRobin::new(), 7),
            [0, 1, 2, 0, 1, 2, 0].map(Some)
        );
    }

    #[test]
    fn any_positive_weight_counts_the_same() {
        // ip_vs_rr ignores the weight's size; only weight 0 (quiesced) is skipped.
        let f = Fixture::new(&[5.0, 1.0]);
        assert_eq!(f.picks(&mut RoundRobin::new(), 4), [0, 1, 0, 1].map(Some));
    }

    #[test]
    fn drained_backends_are_skipped() {
        let f = Fixture::new(&[1.0, 0.0, 1.0]);
        assert_eq!(f.picks(&mut RoundRobin::new(), 4), [0, 2, 0, 2].map(Some));
        let none = Fixture::new(&[0.0, 0.0]);
        assert_eq!(none.picks(&mut RoundRobin::new(), 2), [None, None]);
    }

    #[test]
    fn explains_the_rotation() {
        let mut f = Fixture::new(&[1.0, 0.0, 1.0]);
        f.in_flight = vec![2, 0, 1];
        let mut rr = RoundRobin::new();
        rr.pick(&f.view(0));
        let c = rr.pick(&f.view(0)).unwrap();
        expect_test::expect!["it is next in the rotation after backend 1, skipping backend 2 (drained or down) — round robin does not look at load: backend 3 holds 1 request"]
            .assert_eq(&rr.explain(c, &f.view(0)));
    }
}
