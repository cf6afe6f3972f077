//! Queueing theory the simulation is checked against (Kleinrock, *Queueing Systems* vol. 1,
//! §3.4 for M/M/c; Erlang C via the numerically stable Erlang B recursion).
//!
//! Rates are per microsecond and times in microseconds, like the engine.

/// Erlang B blocking probability for `c` servers offered `a` erlangs, by the recursion
/// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)), which never overflows.
pub fn erlang_b(c: u32, a: f64) -> f64 {
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    b
}

/// Erlang C: the probability that an arrival waits, for `c` servers offered `a` erlangs
/// (`a < c`): C = B / (1 − ρ(1 − B)) with ρ = a / c.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let b = erlang_b(c, a);
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// Mean response time (wait + service) of an M/M/c queue with arrival rate `lambda` and service
/// rate `mu` per server; `None` when the queue is unstable (λ ≥ cμ).
pub fn mmc_response(c: u32, lambda: f64, mu: f64) -> Option<f64> {
    let a = lambda / mu;
    if a >= f64::from(c) {
        return None;
    }
    Some(erlang_c(c, a) / (f64::from(c) * mu - lambda) + 1.0 / mu)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn textbook_values() {
        // λ = 2, μ = 1, c = 3: P(wait) = 4/9, Wq = 4/9, W = 13/9.
        assert!((erlang_c(3, 2.0) - 4.0 / 9.0).abs() < 1e-12);
        assert!((mmc_response(3, 2.0, 1.0).unwrap() - 13.0 / 9.0).abs() < 1e-12);
        // M/M/1: W = 1 / (μ − λ).
        assert!((mmc_response(1, 0.7, 1.0).unwrap() - 1.0 / 0.3).abs() < 1e-12);
        // Erlang B, a = 1, c = 1: 1/2; a = 2, c = 2: 2/5.
        assert!((erlang_b(1, 1.0) - 0.5).abs() < 1e-12);
        assert!((erlang_b(2, 2.0) - 0.4).abs() < 1e-12);
        assert_eq!(mmc_response(2, 2.0, 1.0), None);
    }
}
