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
    /// `(key << 64) | stamp` per backend, kept current as loads change.
    sort_key: Vec<u128>,
}

impl LeastConnections {
    pub fn new(weighted: bool) -> Self {
        LeastConnections {
            weighted,
            stamp: Vec::new(),
            seen: Vec::new(),
            clock: 0,
            sort_key: Vec::new(),
        }
    }

    /// HAProxy's tree key, in integers as HAProxy computes it: 0 when idle, else
    /// `(inflight + 1) × SCALE / weight` (plain least connections: weight 1).
    fn key(&self, b: usize, view: &LoadView) -> u64 {
        self.key_of(view.in_flight[b], view.weights[b])
    }

    fn key_of(&self, x: u32, weight: f64) -> u64 {
        if x == 0 {
            0
        } else if self.weighted {
            (f64::from(x + 1) * KEY_SCALE / weight) as u64
        } else {
            u64::from(x + 1)
        }
    }
}

impl LeastConnections {
    /// Key and stamp in one number, so that the minimum is one comparison.
    fn combined(&self, b: usize, view: &LoadView) -> u128 {
        (u128::from(self.key(b, view)) << 64) | u128::from(self.stamp[b])
    }
}

/// Fixed-point scale of weighted keys (HAProxy uses SRV_EWGHT_MAX for the same purpose).
const KEY_SCALE: f64 = 65_536.0;

impl Picker for LeastConnections {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        let n = view.in_flight.len();
        if self.stamp.len() != n {
            self.stamp = (0..n as u64).collect();
            self.seen = view.in_flight.to_vec();
            self.sort_key = (0..n).map(|b| self.combined(b, view)).collect();
            self.clock = n as u64;
        }
        // Re-stamp backends whose load changed since the last pick (re-insertion into HAProxy's
        // tree); only they need a new key.
        for b in 0..n {
            if self.seen[b] != view.in_flight[b] {
                self.seen[b] = view.in_flight[b];
                self.stamp[b] = self.clock;
                self.clock += 1;
                self.sort_key[b] = self.combined(b, view);
            }
        }
        // The smallest (key, stamp) among eligible backends: a tight loop over one array.
        let mut best = usize::MAX;
        let mut best_key = u128::MAX;
        for (b, (&k, &ok)) in self.sort_key.iter().zip(view.eligible).enumerate() {
            if ok && k < best_key {
                best_key = k;
                best = b;
            }
        }
        if best == usize::MAX {
            return None;
        }
        // The pick adds a request: HAProxy re-inserts the server with its new key.
        self.seen[best] += 1;
        self.stamp[best] = self.clock;
        self.clock += 1;
        let x = self.seen[best];
        self.sort_key[best] =
            (u128::from(self.key_of(x, view.weights[best])) << 64) | u128::from(self.stamp[best]);
        Some(best)
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        // `view` still shows the load before this pick's request was added.
        let key = self.key(chosen, view);
        let tied: Vec<String> = (0..view.in_flight.len())
            .filter(|&i| i != chosen && view.eligible[i] && self.key(i, view) == key)
            .map(|i| format!("{}", i + 1))
            .collect();
        let load = holds(chosen, view.in_flight[chosen]);
        let what = if self.weighted {
            "the lowest (connections + 1) / weight"
        } else {
            "the fewest requests in flight"
        };
        if tied.is_empty() {
            format!("{load}, {what}")
        } else {
            format!("{load}, {what}; it ties with backend {} and has waited longest since its load last changed (ties go round robin, as in HAProxy)", tied.join(", "))
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
