//! Which cache node owns a key: a consistent-hash ring with virtual nodes, or `hash mod N`.
//!
//! The ring follows Karger et al., "Consistent Hashing and Random Trees" (STOC 1997), laid out as
//! ketama (the memcached client library) does: each node puts `vnodes` points on a 64-bit ring,
//! a key goes to the first point clockwise from its hash. When a node leaves, only the keys on
//! its arcs move; when one joins, it takes keys only from its clockwise neighbours. `mod` picks
//! `live[hash mod N]`: simple, but changing N moves almost every key.
//!
//! Hashes are xxHash64 (the crate the load balancer's ring uses): of the key's text, and of
//! `"cache-<n>-<i>"` for node n's i-th point. Replicas of a key are the owner and the next
//! distinct nodes clockwise (ring) or the next nodes in `live` order (mod).

pub fn xxh64(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh64::xxh64(bytes, 0)
}

#[derive(Clone, Debug)]
pub struct Sharding {
    ring: bool,
    vnodes: u32,
    /// Live nodes (0-based numbers), ascending.
    live: Vec<usize>,
    /// (point, node), sorted.
    points: Vec<(u64, usize)>,
}

impl Sharding {
    pub fn new(ring: bool, vnodes: u32, live: Vec<usize>) -> Self {
        let mut s = Sharding {
            ring,
            vnodes: vnodes.max(1),
            live: Vec::new(),
            points: Vec::new(),
        };
        s.set_live(live);
        s
    }

    pub fn is_ring(&self) -> bool {
        self.ring
    }

    pub fn live(&self) -> &[usize] {
        &self.live
    }

    pub fn set_live(&mut self, mut live: Vec<usize>) {
        live.sort_unstable();
        live.dedup();
        self.points.clear();
        if self.ring {
            for &n in &live {
                for i in 0..self.vnodes {
                    self.points
                        .push((xxh64(format!("cache-{}-{i}", n + 1).as_bytes()), n));
                }
            }
            self.points.sort_unstable();
        }
        self.live = live;
    }

    /// The owner of a key with this hash (the sharding must have a live node).
    pub fn owner(&self, hash: u64) -> usize {
        if self.ring {
            let i = self.points.partition_point(|(p, _)| *p < hash);
            self.points[if i == self.points.len() { 0 } else { i }].1
        } else {
            self.live[(hash % self.live.len() as u64) as usize]
        }
    }

    /// Where on the ring a hash lies, as a share of the way round (for narration).
    pub fn position(hash: u64) -> f64 {
        hash as f64 / u64::MAX as f64
    }

    /// The owner and the next `r − 1` distinct nodes.
    pub fn replicas(&self, hash: u64, r: usize) -> Vec<usize> {
        let r = r.min(self.live.len()).max(1);
        let mut out = Vec::with_capacity(r);
        if self.ring {
            let start = self.points.partition_point(|(p, _)| *p < hash);
            for j in 0..self.points.len() {
                let n = self.points[(start + j) % self.points.len()].1;
                if !out.contains(&n) {
                    out.push(n);
                    if out.len() == r {
                        break;
                    }
                }
            }
        } else {
            let first = (hash % self.live.len() as u64) as usize;
            for j in 0..r {
                out.push(self.live[(first + j) % self.live.len()]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hashes(n: usize) -> Vec<u64> {
        (0..n)
            .map(|k| xxh64(format!("user:{}", k + 1).as_bytes()))
            .collect()
    }

    fn moved(before: &Sharding, after: &Sharding, keys: &[u64]) -> usize {
        keys.iter()
            .filter(|&&h| before.owner(h) != after.owner(h))
            .count()
    }

    #[test]
    fn removing_a_node_moves_only_its_keys_on_the_ring() {
        let keys = hashes(4_000);
        let before = Sharding::new(true, 100, vec![0, 1, 2, 3]);
        let after = Sharding::new(true, 100, vec![0, 2, 3]);
        for &h in &keys {
            if before.owner(h) != after.owner(h) {
                assert_eq!(before.owner(h), 1, "only node 2's keys may move");
            }
        }
        let m = moved(&before, &after, &keys);
        assert!((700..1_300).contains(&m), "moved {m} of 4000");
        assert_eq!(m, keys.iter().filter(|&&h| before.owner(h) == 1).count());
    }

    #[test]
    fn mod_n_moves_most_keys() {
        let keys = hashes(4_000);
        let before = Sharding::new(false, 1, vec![0, 1, 2, 3]);
        let after = Sharding::new(false, 1, vec![0, 2, 3]);
        // A key stays only if h mod 4 and h mod 3 pick the same node: about 1 in 4 do.
        let m = moved(&before, &after, &keys);
        assert!((2_700..3_300).contains(&m), "moved {m} of 4000");
    }

    #[test]
    fn adding_a_node_takes_keys_only_for_itself() {
        let keys = hashes(4_000);
        let before = Sharding::new(true, 100, vec![0, 1, 2, 3]);
        let after = Sharding::new(true, 100, vec![0, 1, 2, 3, 4]);
        for &h in &keys {
            if before.owner(h) != after.owner(h) {
                assert_eq!(after.owner(h), 4);
            }
        }
    }

    #[test]
    fn replicas_are_distinct_and_start_at_the_owner() {
        for ring in [true, false] {
            let s = Sharding::new(ring, 50, vec![0, 1, 2, 3, 4]);
            for h in hashes(100) {
                let r = s.replicas(h, 3);
                assert_eq!(r[0], s.owner(h));
                let mut d = r.clone();
                d.sort_unstable();
                d.dedup();
                assert_eq!(d.len(), 3);
            }
            assert_eq!(s.replicas(7, 9).len(), 5);
        }
    }
}
