//! Consistent hashing on a ring with virtual nodes (Karger et al., "Consistent Hashing and Random
//! Trees", STOC 1997), laid out as Envoy's ring-hash balancer does (source/extensions/
//! load_balancing_policies/ring_hash/ring_hash_lb.cc): each backend puts `vnodes × weight` points
//! on a 64-bit ring, at xxHash64 of `"<name>_<i>"`; a request goes to the first point clockwise
//! from the hash of its key (the client address), wrapping at the top. When a backend leaves, only
//! the keys on its arcs move, to the next point clockwise.

use super::hash::{backend_name, ip_key, xxh64};
use super::{LoadView, Picker};

#[derive(Clone, Debug)]
pub struct RingHash {
    vnodes: u32,
    weights: Vec<f64>,
    /// (point, backend), sorted by point, for the eligible set `built_for`.
    ring: Vec<(u64, usize)>,
    built_for: Vec<bool>,
    last_key: u64,
    last_point: u64,
}

impl RingHash {
    pub fn new(weights: &[f64], vnodes: u32) -> Self {
        RingHash {
            vnodes: vnodes.max(1),
            weights: weights.to_vec(),
            ring: Vec::new(),
            built_for: Vec::new(),
            last_key: 0,
            last_point: 0,
        }
    }

    fn rebuild(&mut self, eligible: &[bool]) {
        self.ring.clear();
        for (b, &ok) in eligible.iter().enumerate() {
            if !ok {
                continue;
            }
            let points = ((f64::from(self.vnodes) * self.weights[b]).round() as u64).max(1);
            let name = backend_name(b);
            for i in 0..points {
                self.ring
                    .push((xxh64(format!("{name}_{i}").as_bytes(), 0), b));
            }
        }
        self.ring.sort_unstable();
        self.built_for = eligible.to_vec();
    }

    fn lookup(&mut self, view: &LoadView) -> Option<usize> {
        if self.built_for != view.eligible {
            self.rebuild(view.eligible);
        }
        if self.ring.is_empty() {
            return None;
        }
        let key = xxh64(&ip_key(view.client_ip), 0);
        let i = self.ring.partition_point(|(p, _)| *p < key);
        let (point, b) = self.ring[if i == self.ring.len() { 0 } else { i }];
        self.last_key = key;
        self.last_point = point;
        Some(b)
    }

    /// Points on the ring (for views and tests).
    pub fn ring(&self) -> &[(u64, usize)] {
        &self.ring
    }
}

impl Picker for RingHash {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        self.lookup(view)
    }

    fn explain(&self, chosen: usize, _view: &LoadView) -> String {
        let pct = |v: u64| v as f64 / u64::MAX as f64 * 100.0;
        format!(
            "the client's address hashes to {:.2}% of the way round the ring, and the first virtual node clockwise ({:.2}%) belongs to backend {} ({} points on the ring)",
            pct(self.last_key),
            pct(self.last_point),
            chosen + 1,
            self.ring.len()
        )
    }

    fn map_key(&mut self, view: &LoadView) -> Option<usize> {
        self.lookup(view)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    #[test]
    fn points_follow_weights_and_stay_sorted() {
        let f = Fixture::new(&[1.0, 2.0, 0.0]);
        let mut r = RingHash::new(&f.weights, 50);
        r.pick(&f.view(1));
        assert_eq!(r.ring().len(), 150);
        assert!(r.ring().windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(r.ring().iter().filter(|(_, b)| *b == 1).count(), 100);
    }

    #[test]
    fn removing_a_backend_moves_only_its_keys() {
        let mut f = Fixture::new(&[1.0; 5]);
        let mut r = RingHash::new(&f.weights, 100);
        let keys: Vec<u32> = (0..2_000).map(|i| 0x0A00_0000 + i).collect();
        let before: Vec<_> = keys
            .iter()
            .map(|k| r.map_key(&f.view(*k)).unwrap())
            .collect();
        f.eligible[2] = false;
        let after: Vec<_> = keys
            .iter()
            .map(|k| r.map_key(&f.view(*k)).unwrap())
            .collect();
        let mut moved = 0;
        for (b, a) in before.iter().zip(&after) {
            if b != a {
                moved += 1;
                assert_eq!(*b, 2, "only backend 3's keys may move");
            }
        }
        let owned = before.iter().filter(|b| **b == 2).count();
        assert_eq!(moved, owned);
        // With 100 virtual nodes each backend owns roughly a fifth of the keys.
        assert!(
            (250..550).contains(&owned),
            "backend 3 owned {owned} of 2000"
        );
    }
}
