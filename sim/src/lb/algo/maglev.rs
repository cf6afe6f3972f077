//! Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load Balancer",
//! NSDI 2016, §3.4, Pseudocode 1), with Envoy's hash choices (source/extensions/
//! load_balancing_policies/maglev/maglev_lb.cc): each backend's preference list is the
//! permutation `(offset + j × skip) mod M` with `offset = h1(name) mod M` and
//! `skip = h2(name) mod (M − 1) + 1`; backends take turns claiming their next preferred free slot
//! until the table of prime size M is full. A key goes to `table[hash(key) mod M]`. Every backend
//! gets nearly M/N slots, and removing one disturbs few other slots.
//! Weights are not applied here (the paper's basic algorithm): every eligible backend takes turns.

use super::hash::{backend_name, ip_key, xxh64};
use super::{LoadView, Picker};

/// Fills a lookup table of size `m` from each backend's (offset, skip): Pseudocode 1.
pub fn populate(m: u64, prefs: &[(u64, u64)]) -> Vec<usize> {
    let mut next = vec![0u64; prefs.len()];
    let mut entry = vec![usize::MAX; m as usize];
    if prefs.is_empty() {
        return entry;
    }
    let mut n = 0;
    loop {
        for (i, &(offset, skip)) in prefs.iter().enumerate() {
            let mut c = (offset + next[i] * skip) % m;
            while entry[c as usize] != usize::MAX {
                next[i] += 1;
                c = (offset + next[i] * skip) % m;
            }
            entry[c as usize] = i;
            next[i] += 1;
            n += 1;
            if n == m {
                return entry;
            }
        }
    }
}

#[derive(Clone, Debug)]
pub struct Maglev {
    m: u64,
    /// Backend index per slot for the eligible set `built_for`.
    table: Vec<usize>,
    built_for: Vec<bool>,
    last_slot: u64,
}

impl Maglev {
    /// `m` must be prime (checked where the parameter is parsed).
    pub fn new(_backends: usize, m: u64) -> Self {
        Maglev {
            m,
            table: Vec::new(),
            built_for: Vec::new(),
            last_slot: 0,
        }
    }

    fn rebuild(&mut self, eligible: &[bool]) {
        let members: Vec<usize> = (0..eligible.len()).filter(|&b| eligible[b]).collect();
        let prefs: Vec<(u64, u64)> = members
            .iter()
            .map(|&b| {
                let name = backend_name(b);
                (
                    xxh64(name.as_bytes(), 0) % self.m,
                    xxh64(name.as_bytes(), 1) % (self.m - 1) + 1,
                )
            })
            .collect();
        self.table = populate(self.m, &prefs)
            .into_iter()
            .map(|i| members.get(i).copied().unwrap_or(usize::MAX))
            .collect();
        self.built_for = eligible.to_vec();
    }

    fn lookup(&mut self, view: &LoadView) -> Option<usize> {
        if self.built_for != view.eligible {
            self.rebuild(view.eligible);
        }
        let slot = xxh64(&ip_key(view.client_ip), 0) % self.m;
        self.last_slot = slot;
        self.table
            .get(slot as usize)
            .copied()
            .filter(|b| *b != usize::MAX)
    }
}

impl Picker for Maglev {
    fn pick(&mut self, view: &LoadView) -> Option<usize> {
        self.lookup(view)
    }

    fn explain(&self, chosen: usize, _view: &LoadView) -> String {
        format!("the client's address hashes to slot {} of the {}-entry Maglev table, and that slot belongs to backend {}", self.last_slot, self.m, chosen + 1)
    }

    fn map_key(&mut self, view: &LoadView) -> Option<usize> {
        self.lookup(view)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Fixture;
    use super::*;

    /// The paper's Table 1: M = 7, B0 (offset 3, skip 4), B1 (0, 2), B2 (3, 1).
    #[test]
    fn reproduces_table_1_of_the_paper() {
        let before = populate(7, &[(3, 4), (0, 2), (3, 1)]);
        assert_eq!(before, vec![1, 0, 1, 0, 2, 2, 0], "B1 B0 B1 B0 B2 B2 B0");
        let after = populate(7, &[(3, 4), (3, 1)]); // B1 removed; B2 is now index 1
                                                    // B1's slots 0 and 2 go to B0, and — the paper's point about small but non-zero
                                                    // disruption — slot 6 moves from B0 to B2 although neither left.
        assert_eq!(after, vec![0, 0, 0, 0, 1, 1, 1], "B0 B0 B0 B0 B2 B2 B2");
    }

    #[test]
    fn slots_are_shared_almost_evenly() {
        let f = Fixture::new(&[1.0; 10]);
        let mut m = Maglev::new(10, 65_537);
        m.pick(&f.view(0));
        let mut counts = [0u32; 10];
        for b in &m.table {
            counts[*b] += 1;
        }
        // Backends claim one slot per turn until the table is full, so each gets ⌊M/N⌋ or ⌈M/N⌉.
        for c in counts {
            assert!(c == 6_553 || c == 6_554, "{counts:?}");
        }
    }
}
