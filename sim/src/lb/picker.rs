//! Backend selection algorithms: small pure types, each tested against its source's behaviour.
//!
//! Every algorithm implements [`Picker`]; the scenario asks it for a backend and, for narrated
//! requests, for the reason in plain words. The load-balancing issue adds more implementations.

/// What an algorithm may look at when it picks.
pub struct LoadView<'a> {
    /// Requests each backend holds right now (in service + queued), as the balancer knows them.
    pub in_flight: &'a [u32],
    /// Configured weight per backend (0 = drained, takes no new requests).
    pub weights: &'a [f64],
    /// Index of the client in the population (for hashing algorithms).
    pub client: u32,
}

pub trait Picker {
    /// The backend for the next request, or `None` when no backend may take it.
    fn pick(&mut self, view: &LoadView) -> Option<usize>;
    /// Why the last pick chose `chosen`, as one clause of narration.
    fn explain(&self, chosen: usize, view: &LoadView) -> String;
}

/// Round robin as the Linux IPVS `rr` scheduler does it (net/netfilter/ipvs/ip_vs_rr.c,
/// `ip_vs_rr_schedule`): walk the backend list circularly starting after the last one chosen,
/// skipping backends whose weight is 0 (drained), and take the first one found. It ignores load
/// entirely — the point of showing it — and any weight above 0 counts the same.
#[derive(Clone, Debug)]
pub struct RoundRobin {
    /// Index of the backend chosen last (`None` before the first request).
    last: Option<usize>,
    /// Backends skipped on the last pick because they were drained.
    skipped: Vec<usize>,
    /// How many picks so far.
    picks: u64,
}

impl RoundRobin {
    pub fn new() -> Self {
        RoundRobin {
            last: None,
            skipped: Vec::new(),
            picks: 0,
        }
    }
}

impl Default for RoundRobin {
    fn default() -> Self {
        Self::new()
    }
}

impl Picker for RoundRobin {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let n = view.weights.len();
        let start = self.last.map_or(0, |l| (l + 1) % n);
        self.skipped.clear();
        for k in 0..n {
            let i = (start + k) % n;
            if view.weights[i] > 0.0 {
                self.last = Some(i);
                self.picks += 1;
                return Some(i);
            }
            self.skipped.push(i);
        }
        None
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        let n = view.weights.len();
        let mut why = if n == 1 {
            "it is the only backend".to_string()
        } else if self.picks == 1 {
            format!("the rotation starts at backend {}", chosen + 1)
        } else {
            let prev = (chosen + n - 1 - self.skipped.len()) % n;
            format!("it is next in the rotation after backend {}", prev + 1)
        };
        if !self.skipped.is_empty() {
            let names: Vec<String> = self.skipped.iter().map(|i| format!("{}", i + 1)).collect();
            why.push_str(&format!(
                ", skipping drained backend {} (weight 0)",
                names.join(", ")
            ));
        }
        why.push_str(&format!(
            " — round robin does not look at load: backend {} holds {} request{} already",
            chosen + 1,
            view.in_flight[chosen],
            if view.in_flight[chosen] == 1 { "" } else { "s" }
        ));
        why
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picks(weights: &[f64], n: usize) -> Vec<Option<usize>> {
        let in_flight = vec![0; weights.len()];
        let mut rr = RoundRobin::new();
        (0..n)
            .map(|_| {
                rr.pick(&LoadView {
                    in_flight: &in_flight,
                    weights,
                    client: 0,
                })
            })
            .collect()
    }

    #[test]
    fn rotates_through_every_backend() {
        assert_eq!(picks(&[1.0, 1.0, 1.0], 7), [0, 1, 2, 0, 1, 2, 0].map(Some));
    }

    #[test]
    fn any_positive_weight_counts_the_same() {
        // ip_vs_rr ignores the weight's size; only weight 0 (quiesced) is skipped.
        assert_eq!(picks(&[5.0, 1.0], 4), [0, 1, 0, 1].map(Some));
    }

    #[test]
    fn drained_backends_are_skipped() {
        assert_eq!(picks(&[1.0, 0.0, 1.0], 4), [0, 2, 0, 2].map(Some));
        assert_eq!(picks(&[0.0, 0.0], 2), [None, None]);
    }

    #[test]
    fn explains_the_rotation() {
        let weights = [1.0, 0.0, 1.0];
        let in_flight = [2, 0, 1];
        let mut rr = RoundRobin::new();
        let view = LoadView {
            in_flight: &in_flight,
            weights: &weights,
            client: 0,
        };
        rr.pick(&view);
        let c = rr.pick(&view).unwrap();
        expect_test::expect!["it is next in the rotation after backend 1, skipping drained backend 2 (weight 0) — round robin does not look at load: backend 3 holds 1 request already"]
            .assert_eq(&rr.explain(c, &view));
    }
}
