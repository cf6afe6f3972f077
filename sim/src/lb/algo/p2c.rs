//! The power of two random choices (Mitzenmacher, "The Power of Two Choices in Randomized Load
//! Balancing", IEEE TPDS 2001; as in Envoy's `LEAST_REQUEST` with `choice_count = 2`): sample two
//! distinct eligible backends uniformly and send to the one with fewer requests in flight (the
//! first sampled on a tie). Exponentially better maximum load than one random choice, with none
//! of least-connections' need to scan every backend.

use super::{LoadView, Picker};
use crate::kernel::rng::SimRng;

pub struct PowerOfTwo {
    rng: SimRng,
    last: Option<(usize, usize)>,
}

impl PowerOfTwo {
    pub fn new(rng: SimRng) -> Self {
        PowerOfTwo { rng, last: None }
    }
}

/// Two distinct uniform draws among the eligible backends (`None` if there are none; the same
/// backend twice if there is one).
pub(crate) fn two_choices(rng: &mut SimRng, view: &LoadView) -> Option<(usize, usize)> {
    let n = view.eligible_count;
    let nth = |k: usize| super::nth_eligible(view, k);
    match n {
        0 => None,
        1 => nth(0).map(|b| (b, b)),
        n => {
            let a = rng.below(n as u64) as usize;
            let mut b = rng.below(n as u64 - 1) as usize;
            if b >= a {
                b += 1;
            }
            Some((nth(a)?, nth(b)?))
        }
    }
}

impl Picker for PowerOfTwo {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let (a, b) = two_choices(&mut self.rng, view)?;
        self.last = Some((a, b));
        Some(if view.in_flight[b] < view.in_flight[a] {
            b
        } else {
            a
        })
    }

    fn idle_when_none_eligible(&self) -> bool {
        true
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        let Some((a, b)) = self.last else {
            return String::new();
        };
        if a == b {
            return "it is the only eligible backend".into();
        }
        let other = if chosen == a { b } else { a };
        format!(
            "two random choices were backend {} ({} in flight) and backend {} ({} in flight); the less loaded wins{}",
            a + 1,
            view.in_flight[a],
            b + 1,
            view.in_flight[b],
            if view.in_flight[a] == view.in_flight[b] { format!(", and on a tie the first drawn, not backend {}", other + 1) } else { String::new() }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn never_picks_the_busier_of_its_two_choices() {
        let mut f = Fixture::new(&[1.0; 4]);
        f.in_flight = vec![5, 0, 3, 1];
        let mut p = PowerOfTwo::new(SimRng::new(3, 1));
        for _ in 0..200 {
            let c = p.pick(&f.view(0)).unwrap();
            let (a, b) = p.last.unwrap();
            assert_ne!(a, b);
            assert_eq!(f.in_flight[c], f.in_flight[a].min(f.in_flight[b]));
        }
    }

    #[test]
    fn the_busiest_backend_is_never_chosen() {
        // With distinct choices the maximum can only win against itself, which cannot happen.
        let mut f = Fixture::new(&[1.0; 3]);
        f.in_flight = vec![9, 1, 2];
        let got = f.picks(&mut PowerOfTwo::new(SimRng::new(5, 1)), 300);
        assert!(!got.contains(&Some(0)));
    }
}
