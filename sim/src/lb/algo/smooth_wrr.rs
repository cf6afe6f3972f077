//! Smooth weighted round robin, as nginx implements it (src/http/ngx_http_upstream_round_robin.c,
//! `ngx_http_upstream_get_peer`): on every pick each eligible backend's `current_weight` grows by
//! its weight, the largest `current_weight` wins, and the winner's `current_weight` drops by the
//! sum of the weights. Heavy backends are interleaved with light ones instead of served in bursts:
//! weights {5, 1, 1} give a a b a c a a, not a a a a a b c.
//!
//! nginx also lowers a peer's `effective_weight` after failures and restores it gradually; here
//! failures are handled by health checks marking a backend ineligible, so `effective_weight` is
//! the configured weight.

use super::{holds, LoadView, Picker};

#[derive(Clone, Debug)]
pub struct SmoothWeightedRoundRobin {
    current: Vec<f64>,
    /// The backend and total weight of the last pick (for the explanation).
    last: Option<usize>,
    total: f64,
}

impl SmoothWeightedRoundRobin {
    pub fn new(weights: &[f64]) -> Self {
        SmoothWeightedRoundRobin {
            current: vec![0.0; weights.len()],
            last: None,
            total: 0.0,
        }
    }
}

impl Picker for SmoothWeightedRoundRobin {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut best_weight = f64::NEG_INFINITY;
        let mut total = 0.0;
        for (i, ((c, &w), &ok)) in self
            .current
            .iter_mut()
            .zip(view.weights)
            .zip(view.eligible)
            .enumerate()
        {
            if !ok {
                continue;
            }
            *c += w;
            total += w;
            // Strictly greater: on ties the first peer in list order wins, as in nginx.
            if *c > best_weight {
                best_weight = *c;
                best = Some(i);
            }
        }
        self.total = total;
        let b = best?;
        self.current[b] -= total;
        self.last = Some(b);
        Some(b)
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        // Undo the winner's subtraction to show every current weight as it was compared.
        let before = |i: usize| {
            if Some(i) == self.last {
                self.current[i] + self.total
            } else {
                self.current[i]
            }
        };
        let scores: Vec<String> = (0..self.current.len())
            .filter(|i| view.eligible[*i])
            .map(|i| format!("{}:{}", i + 1, fmt(before(i))))
            .collect();
        format!(
            "after adding each weight its current weight is the largest ({}), and it then gives back the total weight {} — {}",
            scores.join(" "),
            fmt(self.total),
            holds(chosen, view.in_flight[chosen])
        )
    }
}

fn fmt(v: f64) -> String {
    format!("{}", (v * 1000.0).round() / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn nginx_interleaves_5_1_1() {
        // The sequence from the comment in ngx_http_upstream_round_robin.c.
        let f = Fixture::new(&[5.0, 1.0, 1.0]);
        let got = f.picks(&mut SmoothWeightedRoundRobin::new(&f.weights), 7);
        assert_eq!(got, [0, 0, 1, 0, 2, 0, 0].map(Some));
    }

    #[test]
    fn shares_follow_weights_over_a_cycle() {
        let f = Fixture::new(&[3.0, 2.0, 1.0, 0.0]);
        let got = f.picks(&mut SmoothWeightedRoundRobin::new(&f.weights), 600);
        let count = |b| got.iter().filter(|p| **p == Some(b)).count();
        assert_eq!((count(0), count(1), count(2), count(3)), (300, 200, 100, 0));
    }

    #[test]
    fn explains_the_scores() {
        let f = Fixture::new(&[5.0, 1.0, 1.0]);
        let mut p = SmoothWeightedRoundRobin::new(&f.weights);
        let c = p.pick(&f.view(0)).unwrap();
        expect_test::expect!["after adding each weight its current weight is the largest (1:5 2:1 3:1), and it then gives back the total weight 7 — backend 1 is idle"]
            .assert_eq(&p.explain(c, &f.view(0)));
    }
}
