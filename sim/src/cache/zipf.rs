//! An exact Zipf sampler: P(k) ∝ k^(−α) for k = 1..=n, by rejection-inversion (Hörmann &
//! Derflinger, "Rejection-inversion to generate variates from monotone discrete distributions",
//! ACM TOMACS 6(3), 1996).
//!
//! The method inverts the integral H of the hat function h(x) = x^(−α) over [1.5, n + 0.5] and
//! accepts the rounded point k when it falls in k's part of the hat; the acceptance test makes the
//! draw exact, not an approximation. It needs O(1) memory and O(1) expected time for any n and
//! any α ≥ 0 (α = 1 included, through the `log1p`/`expm1` helpers), and uses `libm` only, so the
//! sequence is identical in the CLI and the browser.

use crate::kernel::rng::SimRng;

#[derive(Clone, Debug)]
pub struct Zipf {
    n: u64,
    alpha: f64,
    h_integral_x1: f64,
    h_integral_n: f64,
    s: f64,
}

/// log1p(t)/t, continuous at 0.
fn helper1(t: f64) -> f64 {
    if t.abs() > 1e-8 {
        libm::log1p(t) / t
    } else {
        1.0 - t * (0.5 - t * (1.0 / 3.0 - 0.25 * t))
    }
}

/// expm1(t)/t, continuous at 0.
fn helper2(t: f64) -> f64 {
    if t.abs() > 1e-8 {
        libm::expm1(t) / t
    } else {
        1.0 + t * 0.5 * (1.0 + t * (1.0 / 3.0) * (1.0 + 0.25 * t))
    }
}

impl Zipf {
    /// Ranks `1..=n` (n ≥ 1) with exponent `alpha` ≥ 0.
    pub fn new(n: u64, alpha: f64) -> Self {
        let mut z = Zipf {
            n: n.max(1),
            alpha: alpha.max(0.0),
            h_integral_x1: 0.0,
            h_integral_n: 0.0,
            s: 0.0,
        };
        z.h_integral_x1 = z.big_h(1.5) - 1.0;
        z.h_integral_n = z.big_h(z.n as f64 + 0.5);
        z.s = 2.0 - z.big_h_inv(z.big_h(2.5) - z.h(2.0));
        z
    }

    /// h(x) = x^(−α).
    fn h(&self, x: f64) -> f64 {
        libm::exp(-self.alpha * libm::log(x))
    }

    /// H(x) = ∫₁ˣ t^(−α) dt = (x^(1−α) − 1)/(1 − α), or ln x when α = 1.
    fn big_h(&self, x: f64) -> f64 {
        let lx = libm::log(x);
        helper2((1.0 - self.alpha) * lx) * lx
    }

    fn big_h_inv(&self, y: f64) -> f64 {
        let mut t = y * (1.0 - self.alpha);
        if t < -1.0 {
            // Only reachable through rounding at the far end of the range.
            t = -1.0;
        }
        libm::exp(helper1(t) * y)
    }

    /// A rank in `1..=n`.
    pub fn sample(&self, rng: &mut SimRng) -> u64 {
        loop {
            let u = self.h_integral_n + rng.unit() * (self.h_integral_x1 - self.h_integral_n);
            let x = self.big_h_inv(u);
            let k = ((x + 0.5) as u64).clamp(1, self.n);
            let kf = k as f64;
            if kf - x <= self.s || u >= self.big_h(kf + 0.5) - self.h(kf) {
                return k;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(n: u64, alpha: f64, draws: usize) -> Vec<f64> {
        let z = Zipf::new(n, alpha);
        let mut rng = SimRng::new(11, 7);
        let mut counts = vec![0usize; n as usize];
        for _ in 0..draws {
            let k = z.sample(&mut rng);
            assert!((1..=n).contains(&k));
            counts[(k - 1) as usize] += 1;
        }
        counts.iter().map(|&c| c as f64 / draws as f64).collect()
    }

    fn exact(n: u64, alpha: f64) -> Vec<f64> {
        let w: Vec<f64> = (1..=n).map(|k| (k as f64).powf(-alpha)).collect();
        let sum: f64 = w.iter().sum();
        w.iter().map(|x| x / sum).collect()
    }

    #[test]
    fn frequencies_match_the_exact_distribution() {
        for (n, alpha) in [
            (10, 1.0),
            (10, 0.9),
            (50, 1.4),
            (5, 0.0),
            (1, 2.0),
            (1000, 0.7),
        ] {
            let got = observed(n, alpha, 200_000);
            let want = exact(n, alpha);
            for (k, (g, w)) in got.iter().zip(&want).enumerate().take(20) {
                // Binomial standard error at 200k draws is ≤ 0.0011; allow 5 of them.
                assert!(
                    (g - w).abs() < 0.006,
                    "n={n} α={alpha} rank {}: {g} vs {w}",
                    k + 1
                );
            }
        }
    }

    #[test]
    fn the_sequence_is_pinned() {
        let z = Zipf::new(100, 0.9);
        let mut rng = SimRng::new(1, 0);
        let got: Vec<u64> = (0..12).map(|_| z.sample(&mut rng)).collect();
        expect_test::expect![[r#"
            [
                24,
                18,
                53,
                12,
                2,
                30,
                10,
                2,
                3,
                28,
                75,
                38,
            ]
        "#]]
        .assert_debug_eq(&got);
    }
}
