//! The birthday bound for UUIDv4: the chance that `n` version-4 UUIDs contain a repeat.
//!
//! A v4 UUID has 122 random bits (128 minus 4 version and 2 variant bits, RFC 9562 §5.4), so
//! there are d = 2^122 values. For n uniform draws the probability of at least one collision is,
//! to an excellent approximation (exact in the limit n ≪ d),
//!
//! ```text
//! p(n) = 1 − exp(−n(n−1) / 2d) = 1 − exp(−n(n−1) / 2^123)
//! ```
//!
//! For realistic n the exponent is tiny (about 10^−25 for a million IDs) and `1 − exp(−x)` computed
//! naively is exactly 0 in floating point; `−expm1(−x)` keeps every digit. `libm` gives the
//! same bits on every platform.

/// 2^123 as a float (exact: a power of two).
const TWO_POW_123: f64 = 10_633_823_966_279_326_983_230_456_482_242_756_608.0;

/// The probability that `n` UUIDv4s contain at least one repeat.
pub fn collision_probability(n: f64) -> f64 {
    if n < 2.0 {
        return 0.0;
    }
    let x = n * (n - 1.0) / TWO_POW_123;
    -libm::expm1(-x)
}

/// log10 of [`collision_probability`], accurate where the probability itself underflows
/// nothing but prints as 0; `None` below two IDs (the probability is exactly 0).
pub fn log10_collision_probability(n: f64) -> Option<f64> {
    let p = collision_probability(n);
    (p > 0.0).then(|| libm::log10(p))
}

/// How many UUIDv4s give collision probability `p` (0 < p < 1): n ≈ √(2^123 · ln(1/(1−p))).
pub fn count_for_probability(p: f64) -> f64 {
    libm::sqrt(TWO_POW_123 * -libm::log1p(-p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_points_of_the_curve() {
        assert_eq!(TWO_POW_123, 2f64.powi(123));
        assert_eq!(collision_probability(1.0), 0.0);
        // Two UUIDs collide with probability 2^-122.
        assert_eq!(collision_probability(2.0), 2f64.powi(-122));
        // A million: 10^6 (10^6 − 1) / 2^123 ≈ 9.40e-26.
        let p = collision_probability(1e6);
        assert!((p / 9.403_945_402_623_493e-26 - 1.0).abs() < 1e-12, "{p}");
        // 2^61 UUIDs: 1 − e^{−1/2} ≈ 0.3935.
        let p = collision_probability(2f64.powi(61));
        assert!((p - 0.393_469_340_287_366_6).abs() < 1e-12, "{p}");
        // 50 %: about 2.71e18, the figure usually quoted.
        let n = count_for_probability(0.5);
        assert!((n / 2.714_922_669_395_445e18 - 1.0).abs() < 1e-9, "{n}");
        assert!((collision_probability(n) - 0.5).abs() < 1e-12);
        assert!(log10_collision_probability(1e6).unwrap() < -25.0);
        assert_eq!(log10_collision_probability(1.0), None);
    }
}
