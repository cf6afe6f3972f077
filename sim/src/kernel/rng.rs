//! The one source of randomness: PCG64 (PCG-XSL-RR 128/64, O'Neill 2014, `rand_pcg::Pcg64`),
//! seeded from the scenario seed through SplitMix64, with distributions computed with `libm`.
//!
//! Why not `rand_distr`? Its samplers call `f64::ln`/`exp`, which use the platform's libm: native
//! and wasm32 may differ in the last bit, and then a run would not be byte-identical in the CLI
//! and in the browser. `libm` is the same Rust code everywhere, and IEEE-754 basic operations are
//! exact, so every sample below is identical on every target.
//!
//! Each purpose (arrivals, service times, client choice, ...) takes its own *stream*: changing
//! how many service times a run draws never shifts its arrival sequence, which is what lets two
//! algorithms be compared on the identical traffic.

use rand_core::Rng;
use rand_pcg::Pcg64;

/// A seeded generator for one purpose within a run.
#[derive(Clone, Debug)]
pub struct SimRng {
    pcg: Pcg64,
}

/// SplitMix64 (Steele, Lea & Flood 2014), the usual way to expand a 64-bit seed.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SimRng {
    /// The generator for `stream` (a small constant naming the purpose) under `seed`.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut s = seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407);
        let state = (u128::from(splitmix64(&mut s)) << 64) | u128::from(splitmix64(&mut s));
        let inc = (u128::from(splitmix64(&mut s)) << 64) | u128::from(splitmix64(&mut s));
        SimRng {
            pcg: Pcg64::new(state, inc),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.pcg.next_u64()
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    fn unit_open0(&mut self) -> f64 {
        1.0 - self.unit()
    }

    /// Uniform integer in `0..n` (n > 0), without modulo bias (Lemire 2019, "Fast random integer
    /// generation in an interval", with the rejection step).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        // Lemire's test order: the threshold (a division) is only needed when the low half is
        // below `n`, since the threshold itself is below `n`. Same draws, same results.
        let mut threshold = None;
        loop {
            let m = u128::from(self.next_u64()) * u128::from(n);
            let low = m as u64;
            if low >= n || low >= *threshold.get_or_insert_with(|| n.wrapping_neg() % n) {
                return (m >> 64) as u64;
            }
        }
    }

    /// Exponential with the given mean, by inversion: `-mean * ln(U)`, U in (0, 1].
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * libm::log(self.unit_open0())
    }

    /// Standard normal by the Box–Muller transform (one of the pair; the other is discarded so
    /// that each call consumes exactly two draws, keeping streams easy to reason about).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.unit_open0();
        let u2 = self.unit();
        libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
    }

    /// Log-normal with the given *mean* and shape `sigma` (the standard deviation of the
    /// underlying normal): `exp(mu + sigma Z)` with `mu = ln(mean) - sigma²/2`, so that
    /// E[X] = mean.
    pub fn lognormal(&mut self, mean: f64, sigma: f64) -> f64 {
        let mu = libm::log(mean) - sigma * sigma / 2.0;
        libm::exp(mu + sigma * self.standard_normal())
    }

    /// Gamma with integer-or-real `shape` ≥ 1 and the given `scale` (mean `shape × scale`): the
    /// sum of `shape` independent exponentials of mean `scale` when `shape` is an integer, drawn
    /// in O(1) whatever the shape. Marsaglia & Tsang, "A simple method for generating gamma
    /// variables", ACM TOMS 26(3), 2000, §6 (the squeeze `1 − 0.0331 x⁴`, then the log test).
    pub fn gamma(&mut self, shape: f64, scale: f64) -> f64 {
        debug_assert!(shape >= 1.0, "gamma shape {shape} < 1");
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / libm::sqrt(9.0 * d);
        loop {
            let x = self.standard_normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.unit_open0();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v))
            {
                return d * v * scale;
            }
        }
    }

    /// Failures before the first success of trials that succeed with probability `p` in
    /// (0, 1]: `⌊ln U / ln(1 − p)⌋` by inversion (Devroye, *Non-Uniform Random Variate
    /// Generation*, 1986, X.2), capped at `u64::MAX`.
    pub fn geometric(&mut self, p: f64) -> u64 {
        if p >= 1.0 {
            return 0;
        }
        let k = libm::log(self.unit_open0()) / libm::log1p(-p);
        if k >= u64::MAX as f64 {
            u64::MAX
        } else {
            k as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_stream_give_the_same_sequence() {
        let a: Vec<u64> = {
            let mut r = SimRng::new(7, 1);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let b: Vec<u64> = {
            let mut r = SimRng::new(7, 1);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let c: Vec<u64> = {
            let mut r = SimRng::new(7, 2);
            (0..5).map(|_| r.next_u64()).collect()
        };
        let d: Vec<u64> = {
            let mut r = SimRng::new(8, 1);
            (0..5).map(|_| r.next_u64()).collect()
        };
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    /// Pins the generator: if this changes, every published permalink changes its run.
    #[test]
    fn the_sequence_is_pinned() {
        let mut r = SimRng::new(1, 0);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        expect_test::expect![[r#"
            [
                6027986710923973334,
                7169523067235436098,
                2838895511073298496,
            ]
        "#]]
        .assert_debug_eq(&got);
    }

    /// Gamma(k, θ) has mean kθ and variance kθ² (Marsaglia & Tsang's method, any shape ≥ 1).
    #[test]
    fn gamma_has_the_right_mean_and_variance() {
        let mut r = SimRng::new(3, 0);
        for &(k, theta) in &[(1.0, 2.0), (2.0, 0.5), (7.0, 1.0), (1e6, 3.0)] {
            let n = 40_000;
            let xs: Vec<f64> = (0..n).map(|_| r.gamma(k, theta)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
            let (m, v) = (k * theta, k * theta * theta);
            // Five standard errors of the mean; the variance within 5 %.
            assert!(
                (mean - m).abs() < 5.0 * (v / n as f64).sqrt(),
                "k={k}: mean {mean} vs {m}"
            );
            assert!((var / v - 1.0).abs() < 0.05, "k={k}: variance {var} vs {v}");
        }
    }

    /// Geometric(p) (failures before a success) has mean (1 − p)/p.
    #[test]
    fn geometric_has_the_right_mean() {
        let mut r = SimRng::new(4, 0);
        for &p in &[0.5, 0.1, 1e-3] {
            let n = 40_000;
            let mean = (0..n).map(|_| r.geometric(p) as f64).sum::<f64>() / n as f64;
            let (m, sd) = ((1.0 - p) / p, (1.0 - p).sqrt() / p);
            assert!(
                (mean - m).abs() < 5.0 * sd / (n as f64).sqrt(),
                "p={p}: mean {mean} vs {m}"
            );
        }
        assert_eq!(r.geometric(1.0), 0);
    }

    #[test]
    fn splitmix_matches_its_reference_output() {
        // First outputs of SplitMix64 seeded with 1234567 (reference C implementation by Vigna).
        let mut s = 1234567u64;
        assert_eq!(splitmix64(&mut s), 6457827717110365317);
        assert_eq!(splitmix64(&mut s), 3203168211198807973);
    }

    #[test]
    fn sample_means_match_the_distributions() {
        let n = 200_000;
        let mut r = SimRng::new(42, 3);
        let exp_mean = (0..n).map(|_| r.exponential(40.0)).sum::<f64>() / n as f64;
        assert!((exp_mean - 40.0).abs() < 0.5, "exponential mean {exp_mean}");
        let ln_mean = (0..n).map(|_| r.lognormal(40.0, 0.5)).sum::<f64>() / n as f64;
        assert!((ln_mean - 40.0).abs() < 0.5, "lognormal mean {ln_mean}");
        let mut counts = [0u32; 3];
        for _ in 0..30_000 {
            counts[r.below(3) as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "below(3) counts {counts:?}");
        }
    }
}
