//! Uniform random choice among eligible backends: the baseline that queueing theory can check
//! (with Poisson arrivals each backend sees a Poisson stream of rate λ/N: N independent M/M/1
//! queues when service is exponential).

use super::{holds, LoadView, Picker};
use crate::kernel::rng::SimRng;

pub struct Random {
    rng: SimRng,
    choices: usize,
}

impl Random {
    pub fn new(rng: SimRng) -> Self {
        Random { rng, choices: 0 }
    }
}

impl Picker for Random {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let eligible = view.eligible_count;
        self.choices = eligible;
        if eligible == 0 {
            return None;
        }
        let k = self.rng.below(eligible as u64) as usize;
        super::nth_eligible(view, k)
    }

    fn idle_when_none_eligible(&self) -> bool {
        true
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        format!(
            "the dice picked it, each of the {} eligible backends with probability 1/{} — {}",
            self.choices,
            self.choices,
            holds(chosen, view.in_flight[chosen])
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn uniform_over_eligible_backends() {
        let f = Fixture::new(&[1.0, 0.0, 1.0, 1.0]);
        let mut r = Random::new(SimRng::new(1, 9));
        let got = f.picks(&mut r, 30_000);
        let count = |b| got.iter().filter(|p| **p == Some(b)).count();
        assert_eq!(count(1), 0);
        for b in [0, 2, 3] {
            assert!(
                (9_500..10_500).contains(&count(b)),
                "backend {b}: {}",
                count(b)
            );
        }
    }
}
