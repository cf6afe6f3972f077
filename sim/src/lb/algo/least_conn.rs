//! Least connections, as HAProxy's `balance leastconn` does it (src/lb_fwlc.c).
//!
//! HAProxy keeps servers in an ordered tree keyed by `(inflight + 1) / weight` (0 when idle) and
//! takes the first; servers with equal keys stay in the order they were (re)inserted, and a
//! server is re-inserted whenever its load changes. So among equally loaded servers the one that
//! has waited longest wins: ties are broken in round-robin order. `weighted = false` gives every
//! backend the same weight (plain least connections); weight 0 still drains a backend.

use super::{holds, LoadView, Picker};

#[derive(Clone, Debug)]
pub struct LeastConnections {
    weighted: bool,
    /// When each backend's key last changed (re-insertion order in HAProxy's tree).
    stamp: Vec<u64>,
    seen: Vec<u32>,
    clock: u64,
    /// Backends that tied with the winner on the last pick.
    tied: Vec<usize>,
}

impl LeastConnections {
    pub fn new(weighted: bool) -> Self {
        LeastConnections {
            weighted,
            stamp: Vec::new(),
            seen: Vec::new(),
            clock: 0,
            tied: Vec::new(),
        }
    }

    fn key(&self, b: usize, view: &LoadView) -> f64 {
        let inflight = view.in_flight[b];
        if inflight == 0 {
            0.0
        } else if self.weighted {
            f64::from(inflight + 1) / view.weights[b]
        } else {
            f64::from(inflight + 1)
        }
    }

    /// Re-stamps the backends whose load changed since the last pick, in index order.
    fn requeue_changed(&mut self, view: &LoadView) {
        let n = view.in_flight.len();
        if self.stamp.len() != n {
            self.stamp = (0..n as u64).collect();
            self.seen = view.in_flight.to_vec();
            self.clock = n as u64;
        }
        for b in 0..n {
            if self.seen[b] != view.in_flight[b] {
                self.seen[b] = view.in_flight[b];
                self.stamp[b] = self.clock;
                self.clock += 1;
            }
        }
    }
}

impl Picker for LeastConnections {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        self.requeue_changed(view);
        let mut best: Option<(f64, u64, usize)> = None;
        for b in 0..view.in_flight.len() {
            if !view.eligible[b] {
                continue;
            }
            let cand = (self.key(b, view), self.stamp[b], b);
            if best.is_none_or(|(k, s, _)| cand.0 < k || (cand.0 == k && cand.1 < s)) {
                best = Some(cand);
            }
        }
        let (key, _, b) = best?;
        self.tied = (0..view.in_flight.len())
            .filter(|&i| i != b && view.eligible[i] && self.key(i, view) == key)
            .collect();
        // The pick adds a request: HAProxy re-inserts the server with its new key.
        self.seen[b] += 1;
        self.stamp[b] = self.clock;
        self.clock += 1;
        Some(b)
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        let load = holds(chosen, view.in_flight[chosen]);
        let what = if self.weighted {
            "the lowest (connections + 1) / weight"
        } else {
            "the fewest requests in flight"
        };
        if self.tied.is_empty() {
            format!("{load}, {what}")
        } else {
            let others: Vec<String> = self.tied.iter().map(|i| format!("{}", i + 1)).collect();
            format!("{load}, {what}; it ties with backend {} and has waited longest since its load last changed (ties go round robin, as in HAProxy)", others.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn picks_the_least_loaded() {
        let mut f = Fixture::new(&[1.0, 1.0, 1.0]);
        f.in_flight = vec![3, 1, 2];
        assert_eq!(LeastConnections::new(false).pick(&f.view(0)), Some(1));
    }

    #[test]
    fn ties_rotate_like_round_robin() {
        // Equal load that never changes (each pick's request finishes before the next): the
        // winner is re-inserted behind the others, so picks rotate 1, 2, 3, 1, …
        let f = Fixture::new(&[1.0, 1.0, 1.0]);
        let mut lc = LeastConnections::new(false);
        let mut got = Vec::new();
        for _ in 0..6 {
            got.push(lc.pick(&f.view(0)).unwrap());
            lc.seen = f.in_flight.clone(); // the request completed: load back to what it was
        }
        assert_eq!(got, vec![0, 1, 2, 0, 1, 2]);
    }

    #[test]
    fn weighted_uses_haproxy_key() {
        // Keys: b1 (4+1)/4 = 1.25, b2 (1+1)/1 = 2: the heavier server wins despite more requests.
        let mut f = Fixture::new(&[4.0, 1.0]);
        f.in_flight = vec![4, 1];
        assert_eq!(LeastConnections::new(true).pick(&f.view(0)), Some(0));
        assert_eq!(LeastConnections::new(false).pick(&f.view(0)), Some(1));
    }

    #[test]
    fn drained_backends_are_never_picked() {
        let mut f = Fixture::new(&[1.0, 0.0]);
        f.in_flight = vec![9, 0];
        assert_eq!(LeastConnections::new(false).pick(&f.view(0)), Some(0));
    }
}
