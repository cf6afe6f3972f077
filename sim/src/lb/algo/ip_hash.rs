//! `ip_hash` exactly as nginx computes it (src/http/modules/ngx_http_upstream_ip_hash_module.c,
//! `ngx_http_upstream_get_ip_hash_peer`): start from 89, fold in the first three octets of the
//! client's IPv4 address with `hash = (hash * 113 + octet) % 6271`, take `hash % total_weight`
//! and walk the peers subtracting weights. If the peer is down, fold the octets in again from the
//! current hash and retry; after 20 tries fall back to (smooth weighted) round robin.
//!
//! Consequences a person can see: clients in the same /24 always share a backend, and when a
//! backend goes down only its own clients move (they are re-hashed); the others stay put.
//! nginx weights are integers: a weight here is rounded, and a positive weight below 0.5 counts 1.

use super::{LoadView, Picker, SmoothWeightedRoundRobin};

#[derive(Clone, Debug)]
pub struct IpHash {
    fallback: Option<SmoothWeightedRoundRobin>,
    last_tries: u32,
    last_hash: u32,
    used_fallback: bool,
    int_weights: Vec<u32>,
}

fn int_weight(w: f64) -> u32 {
    if w <= 0.0 {
        0
    } else {
        (w.round() as u32).max(1)
    }
}

impl IpHash {
    pub fn new() -> Self {
        IpHash {
            fallback: None,
            last_tries: 0,
            last_hash: 0,
            used_fallback: false,
            int_weights: Vec::new(),
        }
    }

    /// The nginx walk: `Some((peer, tries, hash))`, or `None` when 20 tries found no live peer.
    fn walk(view: &LoadView, weights: &[u32], total: u32) -> Option<(usize, u32, u32)> {
        let octets = view.client_ip.to_be_bytes();
        if total == 0 {
            return None;
        }
        let mut hash: u32 = 89;
        let mut tries = 0;
        loop {
            for &o in &octets[..3] {
                hash = (hash * 113 + u32::from(o)) % 6271;
            }
            let mut w = hash % total;
            let mut p = 0;
            while w >= weights[p] {
                w -= weights[p];
                p += 1;
            }
            if view.eligible[p] {
                return Some((p, tries, hash));
            }
            tries += 1;
            if tries > 20 {
                return None;
            }
        }
    }

    /// The integer weights and their total (computed once: weights do not change in a run).
    fn weights(&mut self, view: &LoadView) -> (Vec<u32>, u32) {
        if self.int_weights.len() != view.weights.len() {
            self.int_weights = view.weights.iter().map(|w| int_weight(*w)).collect();
        }
        let w = std::mem::take(&mut self.int_weights);
        let total = w.iter().sum();
        (w, total)
    }
}

impl Default for IpHash {
    fn default() -> Self {
        Self::new()
    }
}

impl Picker for IpHash {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        self.used_fallback = false;
        let (weights, total) = self.weights(view);
        let found = Self::walk(view, &weights, total);
        self.int_weights = weights;
        if let Some((p, tries, hash)) = found {
            self.last_tries = tries;
            self.last_hash = hash;
            return Some(p);
        }
        self.used_fallback = true;
        self.fallback
            .get_or_insert_with(|| SmoothWeightedRoundRobin::new(view.weights))
            .pick(view)
    }

    fn explain(&self, chosen: usize, view: &LoadView) -> String {
        let o = view.client_ip.to_be_bytes();
        if self.used_fallback {
            return format!("20 re-hashes of {}.{}.{} found no live backend, so nginx falls back to round robin", o[0], o[1], o[2]);
        }
        let retry = if self.last_tries > 0 {
            format!(
                " after {} re-hash{} past down backends",
                self.last_tries,
                if self.last_tries == 1 { "" } else { "es" }
            )
        } else {
            String::new()
        };
        format!(
            "nginx hashes the first three octets {}.{}.{} to {} and {} mod the total weight lands on backend {}{retry}",
            o[0], o[1], o[2], self.last_hash, self.last_hash, chosen + 1
        )
    }

    fn map_key(&mut self, view: &LoadView) -> Option<usize> {
        let (weights, total) = self.weights(view);
        let found = Self::walk(view, &weights, total);
        self.int_weights = weights;
        found.map(|(p, _, _)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    fn ip(a: u8, b: u8, c: u8, d: u8) -> u32 {
        u32::from_be_bytes([a, b, c, d])
    }

    #[test]
    fn hand_computed_nginx_hash() {
        // 10.0.0.x: h = 89 → (89*113+10) % 6271 = 3796 → (3796*113+0) % 6271 = 2520
        // → (2520*113+0) % 6271 = 2565; 2565 % 3 = 0 → the first peer; with 4 peers 2565 % 4 = 1.
        let f = Fixture::new(&[1.0, 1.0, 1.0]);
        let mut h = IpHash::new();
        assert_eq!(h.pick(&f.view(ip(10, 0, 0, 7))), Some(0));
        assert_eq!(h.last_hash, 2565);
        let f4 = Fixture::new(&[1.0, 1.0, 1.0, 1.0]);
        assert_eq!(h.pick(&f4.view(ip(10, 0, 0, 200))), Some(1));
    }

    #[test]
    fn the_last_octet_is_ignored() {
        let f = Fixture::new(&[1.0, 1.0, 1.0, 1.0, 1.0]);
        let mut h = IpHash::new();
        let a = h.pick(&f.view(ip(192, 168, 7, 1)));
        let b = h.pick(&f.view(ip(192, 168, 7, 254)));
        assert_eq!(a, b);
    }

    #[test]
    fn only_the_dead_backends_clients_move() {
        let mut f = Fixture::new(&[1.0, 1.0, 1.0, 1.0]);
        let clients: Vec<u32> = (0..200u32)
            .map(|i| ip(10, (i / 7) as u8, (i * 13 % 256) as u8, 1))
            .collect();
        let mut h = IpHash::new();
        let before: Vec<_> = clients
            .iter()
            .map(|c| h.map_key(&f.view(*c)).unwrap())
            .collect();
        f.eligible[1] = false;
        let after: Vec<_> = clients
            .iter()
            .map(|c| h.map_key(&f.view(*c)).unwrap())
            .collect();
        for (b, a) in before.iter().zip(&after) {
            if *b != 1 {
                assert_eq!(a, b, "a client of a live backend moved");
            } else {
                assert_ne!(*a, 1);
            }
        }
        assert!(before.contains(&1));
    }
}
