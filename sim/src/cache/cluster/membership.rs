//! Membership changes in mode `cluster`: a node crashes, leaves or joins; the owners move, and
//! the run counts the moved keys under both sharding schemes.

use super::{node_id, Change, World};
use crate::cache::faults::FaultKind;
use crate::cache::narration;
use crate::cache::ring::Sharding;
use crate::cache::scenario::{pct, record_insides};

impl World<'_> {
    pub(super) fn moved(&self, before: &Sharding, after: &Sharding) -> u64 {
        self.hashes
            .iter()
            .filter(|&&h| before.owner(h) != after.owner(h))
            .count() as u64
    }

    pub(super) fn fault(&mut self, f: usize) {
        let now = self.now();
        let kind = self.cfg.faults[f].kind;
        let mut live = self.sharding.live().to_vec();
        let what = match kind {
            FaultKind::Crash(n) => {
                self.empty_node(n, "node crashed");
                self.trace.step(now, Some(node_id(n as u32)), format!(
                    "Cache {} crashes and restarts empty: it still owns the same keys, and each of them misses once.",
                    n + 1
                ));
                return;
            }
            FaultKind::Remove(n) => {
                live.retain(|&x| x != n);
                self.empty_node(n, "node left the cluster");
                format!("cache {} leaves", n + 1)
            }
            FaultKind::Add => {
                let n = self.next_new_node();
                live.push(n);
                format!("cache {} joins", n + 1)
            }
        };
        let before = self.sharding.clone();
        let before_other = self.other.clone();
        self.sharding.set_live(live.clone());
        self.other.set_live(live);
        let moved = self.moved(&before, &self.sharding);
        let other_moved = self.moved(&before_other, &self.other);
        let of = self.hashes.len() as u64;
        let (this, that) = if self.sharding.is_ring() {
            ("the hash ring", "hash mod N")
        } else {
            ("hash mod N", "a hash ring")
        };
        self.trace.step(now, None, format!(
            "{}: with {this}, {} of {} keys ({}) now belong to another node and will miss there once; {that} would have moved {}.",
            capitalise(&what),
            narration::thousands(moved),
            narration::thousands(of),
            pct(moved, of),
            narration::thousands(other_moved),
        ));
        self.changes.push(Change {
            at: now,
            what,
            moved,
            other_moved,
        });
    }

    /// The number a newly added node gets: after every node that ever existed.
    pub(super) fn next_new_node(&self) -> usize {
        let added_so_far = self
            .changes
            .iter()
            .filter(|c| c.what.ends_with("joins"))
            .count();
        self.cfg.nodes + added_so_far
    }

    pub(super) fn empty_node(&mut self, n: usize, why: &'static str) {
        let now = self.now();
        let resident = self.nodes[n].store.policy().resident();
        if self.trace.recording() {
            for &x in &resident {
                self.trace
                    .remove(now, node_id(n as u32), self.names.name(x), why);
            }
        }
        self.nodes[n].store.clear();
        record_insides(
            &mut self.trace,
            now,
            node_id(n as u32),
            &mut self.nodes[n].store,
            self.names,
            true,
        );
    }
}

/// Upper-cases the first letter of a narration sentence. The sentences are this crate's own
/// English (ASCII at their start), so ASCII case is enough, and it keeps Unicode's case tables
/// (≈ 8 KB gzip) out of the engine's wasm.
pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}
