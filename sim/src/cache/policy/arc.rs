//! ARC, the Adaptive Replacement Cache of Megiddo & Modha, "ARC: A Self-Tuning, Low Overhead
//! Replacement Cache" (USENIX FAST 2003), following the paper's Fig. 4 line by line.
//!
//! Four LRU lists (front = MRU): T1 holds keys seen once recently, T2 keys seen at least twice;
//! B1 and B2 are their *ghosts* — keys recently evicted from T1 and T2, remembered without data.
//! The target `p` is how large T1 should be. A hit in ghost B1 means "T1 was too small": p grows
//! by δ1 = 1 if |B1| ≥ |B2|, else |B2|/|B1|; a hit in B2 shrinks it by δ2 = 1 if |B2| ≥ |B1|,
//! else |B1|/|B2|. δ is a real number, so `p` is kept as an `f64` as in the paper (IEEE
//! arithmetic is exact and the same on every platform). REPLACE evicts T1's LRU key into B1 when
//! |T1| > p (or |T1| = p and the key was in B2), else T2's LRU into B2.
//!
//! The paper's invariants hold after every access and are property-tested: |T1| + |T2| ≤ c,
//! |T1| + |B1| ≤ c, |T2| + |B2| ≤ 2c, |T1| + |T2| + |B1| + |B2| ≤ 2c, 0 ≤ p ≤ c.
//!
//! One addition the paper does not need: a *removal* (TTL expiry, invalidation) drops a resident
//! key without a ghost, so the cache can have free room while ghosts exist. REPLACE then runs only
//! when the cache is full (|T1| + |T2| = c), which is always the case in the paper's setting.

use super::list::{Lists, Slot};
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};

pub const T1: u32 = 0;
pub const T2: u32 = 1;
pub const B1: u32 = 2;
pub const B2: u32 = 3;

/// Which of Fig. 4's cases the last access was.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Case {
    /// Case I: a hit in T1 (`from_t1`) or T2; the key moves to T2's front.
    Hit { from_t1: bool },
    /// Case II / III: a ghost hit in B1 (`in_b1`) or B2; p moved from `p_before`.
    Ghost { in_b1: bool, p_before: f64 },
    /// Case IV: a key in no list; it enters T1.
    New,
}

pub struct Arc {
    c: usize,
    lists: Lists,
    p: f64,
    last_case: Case,
    /// Where REPLACE's victim went (B1 or B2), if REPLACE ran.
    last_replace: Option<u32>,
    /// A ghost dropped to keep the directory within its bounds.
    last_forgotten: Option<Key>,
    changed: u32,
}

impl Arc {
    pub fn new(c: usize) -> Self {
        Arc {
            c,
            lists: Lists::new(4, 2 * c + 1),
            p: 0.0,
            last_case: Case::New,
            last_replace: None,
            last_forgotten: None,
            changed: 0,
        }
    }

    /// The target size of T1.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// |T1|, |T2|, |B1|, |B2|.
    pub fn sizes(&self) -> [usize; 4] {
        [T1, T2, B1, B2].map(|l| self.lists.len(l))
    }

    fn resident(&self) -> usize {
        self.lists.len(T1) + self.lists.len(T2)
    }

    fn mark(&mut self, list: u32) {
        self.changed |= 1 << list;
    }

    fn move_front(&mut self, s: Slot, to: u32) {
        self.mark(self.lists.list_of(s));
        self.lists.move_to_front(s, to);
        self.mark(to);
    }

    fn forget_back(&mut self, list: u32) {
        if let Some(s) = self.lists.back(list) {
            self.last_forgotten = Some(self.lists.remove(s));
            self.mark(list);
        }
    }

    /// Fig. 4's REPLACE(x, p): returns the evicted (now ghost) key.
    fn replace(&mut self, x_in_b2: bool) -> Option<Key> {
        let t1 = self.lists.len(T1);
        let from_t1 = t1 >= 1 && ((t1 as f64) > self.p || (x_in_b2 && (t1 as f64) == self.p))
            || self.lists.len(T2) == 0;
        let (from, to) = if from_t1 { (T1, B1) } else { (T2, B2) };
        let s = self.lists.back(from)?;
        self.move_front(s, to);
        self.last_replace = Some(to);
        Some(self.lists.key(s))
    }
}

impl Policy for Arc {
    fn id(&self) -> PolicyId {
        PolicyId::Arc
    }
    fn capacity(&self) -> usize {
        self.c
    }
    fn len(&self) -> usize {
        self.resident()
    }
    fn contains(&self, key: Key) -> bool {
        self.lists
            .find(key)
            .is_some_and(|s| self.lists.list_of(s) <= T2)
    }

    fn access(&mut self, x: Key) -> Outcome {
        self.last_replace = None;
        self.last_forgotten = None;
        let c = self.c;
        let found = self.lists.find(x).map(|s| (s, self.lists.list_of(s)));
        match found {
            // Case I: a hit in T1 ∪ T2 moves x to T2's MRU position.
            Some((s, list)) if list <= T2 => {
                self.last_case = Case::Hit {
                    from_t1: list == T1,
                };
                if !(list == T2 && self.lists.front(T2) == Some(s)) {
                    self.move_front(s, T2);
                }
                Outcome::HIT
            }
            // Case II: a ghost hit in B1: favour recency (grow p), REPLACE, x to T2.
            Some((s, B1)) => {
                let (b1, b2) = (self.lists.len(B1) as f64, self.lists.len(B2) as f64);
                let delta = if b1 >= b2 { 1.0 } else { b2 / b1 };
                let p_before = self.p;
                self.p = (self.p + delta).min(c as f64);
                self.last_case = Case::Ghost {
                    in_b1: true,
                    p_before,
                };
                let evicted = if self.resident() >= c {
                    self.replace(false)
                } else {
                    None
                };
                self.move_front(s, T2);
                Outcome::miss(evicted)
            }
            // Case III: a ghost hit in B2: favour frequency (shrink p), REPLACE, x to T2.
            Some((s, _b2)) => {
                let (b1, b2) = (self.lists.len(B1) as f64, self.lists.len(B2) as f64);
                let delta = if b2 >= b1 { 1.0 } else { b1 / b2 };
                let p_before = self.p;
                self.p = (self.p - delta).max(0.0);
                self.last_case = Case::Ghost {
                    in_b1: false,
                    p_before,
                };
                let evicted = if self.resident() >= c {
                    self.replace(true)
                } else {
                    None
                };
                self.move_front(s, T2);
                Outcome::miss(evicted)
            }
            // Case IV: x is in no list.
            None => {
                self.last_case = Case::New;
                let (t1, b1) = (self.lists.len(T1), self.lists.len(B1));
                let mut evicted = None;
                if t1 + b1 == c {
                    // Case A: L1 = T1 ∪ B1 has exactly c keys.
                    if t1 < c {
                        self.forget_back(B1);
                        if self.resident() >= c {
                            evicted = self.replace(false);
                        }
                    } else {
                        // B1 is empty: T1's LRU key leaves the cache without a ghost.
                        let s = self.lists.back(T1).expect("|T1| = c > 0");
                        evicted = Some(self.lists.remove(s));
                        self.mark(T1);
                    }
                } else {
                    // Case B: L1 has fewer than c keys.
                    let total = t1 + b1 + self.lists.len(T2) + self.lists.len(B2);
                    if total >= c {
                        if total == 2 * c {
                            self.forget_back(B2);
                        }
                        if self.resident() >= c {
                            evicted = self.replace(false);
                        }
                    }
                }
                self.lists.push_front(T1, x);
                self.mark(T1);
                Outcome::miss(evicted)
            }
        }
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.lists.find(key) {
            Some(s) if self.lists.list_of(s) <= T2 => {
                self.mark(self.lists.list_of(s));
                self.lists.remove(s);
                true
            }
            _ => false,
        }
    }

    fn clear(&mut self) {
        self.lists.clear(4);
        self.p = 0.0;
        self.changed = 0b1111;
    }

    fn resident(&self) -> Vec<Key> {
        self.lists.iter(T1).chain(self.lists.iter(T2)).collect()
    }

    fn list_names(&self) -> &'static [&'static str] {
        &[
            "T1 (once)",
            "T2 (twice or more)",
            "B1 (ghosts of T1)",
            "B2 (ghosts of T2)",
        ]
    }

    fn list(&self, which: usize, limit: usize, name: NameFn) -> ListView {
        let l = which as u32;
        ListView::of(self.lists.iter(l).map(name), self.lists.len(l), limit)
    }

    fn take_changed(&mut self) -> u32 {
        std::mem::take(&mut self.changed)
    }

    fn gauges(&self) -> Vec<(&'static str, f64)> {
        vec![("p (target size of T1)", self.p)]
    }

    fn case(&self, outcome: Outcome) -> &'static str {
        match (self.last_case, outcome.evicted) {
            (Case::Hit { from_t1: true }, _) => "hit_t1",
            (Case::Hit { from_t1: false }, _) => "hit_t2",
            (Case::Ghost { in_b1: true, .. }, _) => "ghost_b1",
            (Case::Ghost { in_b1: false, .. }, _) => "ghost_b2",
            (Case::New, Some(_)) => "new_replace",
            (Case::New, None) => "new",
        }
    }

    fn explain(&self, key: Key, _outcome: Outcome, name: NameFn) -> String {
        let x = name(key);
        let replaced = |this: &Arc| -> String {
            match this.last_replace {
                Some(B1) => format!(
                    "; REPLACE sends {} from T1 to ghost list B1",
                    this.lists
                        .front(B1)
                        .map_or(String::new(), |s| name(this.lists.key(s)))
                ),
                Some(_) => format!(
                    "; REPLACE sends {} from T2 to ghost list B2",
                    this.lists
                        .front(B2)
                        .map_or(String::new(), |s| name(this.lists.key(s)))
                ),
                None => String::new(),
            }
        };
        match self.last_case {
            Case::Hit { from_t1: true } => {
                format!("hit in T1: {x} has now been used twice, so it moves to T2")
            }
            Case::Hit { from_t1: false } => format!("hit in T2: {x} moves to T2's front"),
            Case::Ghost { in_b1, p_before } => format!(
                "ghost hit in {}: {x} was evicted from {} recently, so ARC {} T1's target p from {} to {}{}; {x} returns into T2",
                if in_b1 { "B1" } else { "B2" },
                if in_b1 { "T1" } else { "T2" },
                if in_b1 { "grows" } else { "shrinks" },
                fmt_p(p_before),
                fmt_p(self.p),
                replaced(self)
            ),
            Case::New => {
                let dropped = match (self.last_replace, _outcome.evicted) {
                    (None, Some(v)) => format!("; T1 is full, so {} leaves without a ghost", name(v)),
                    _ => String::new(),
                };
                let forgot = self
                    .last_forgotten
                    .map_or(String::new(), |g| format!("; the oldest ghost {} is forgotten", name(g)));
                format!(
                    "miss: {x} is new and enters T1{forgot}{}{dropped}",
                    replaced(self)
                )
            }
        }
    }
}

/// p for narration: an integer when it is one, else two decimals.
fn fmt_p(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("{p:.0}")
    } else {
        format!("{p:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{k, lists, run};
    use super::*;

    fn check_invariants(a: &Arc) {
        let [t1, t2, b1, b2] = a.sizes();
        let c = a.c;
        assert!(t1 + t2 <= c, "|T1|+|T2| = {} > c", t1 + t2);
        assert!(t1 + b1 <= c, "|T1|+|B1| = {} > c", t1 + b1);
        assert!(t2 + b2 <= 2 * c);
        assert!(t1 + t2 + b1 + b2 <= 2 * c);
        assert!((0.0..=c as f64).contains(&a.p()));
    }

    #[test]
    fn hand_worked_trace_with_c_2() {
        let mut a = Arc::new(2);
        // a, b enter T1; a again moves to T2.
        assert_eq!(run(&mut a, "aba"), "mmh");
        assert_eq!(
            lists(&a),
            "T1 (once)=b T2 (twice or more)=a B1 (ghosts of T1)= B2 (ghosts of T2)="
        );
        // c: case IV.B, total = 2 = c → REPLACE: |T1| = 1 > p = 0 → b goes to B1.
        assert_eq!(a.access(k('c')), Outcome::miss(Some(k('b'))));
        assert_eq!(
            lists(&a),
            "T1 (once)=c T2 (twice or more)=a B1 (ghosts of T1)=b B2 (ghosts of T2)="
        );
        // b: ghost hit in B1: |B1| = 1 ≥ |B2| = 0 → p = 1; REPLACE: |T1| = 1 = p, b not in B2 →
        // evict from T2: a goes to B2; b into T2.
        assert_eq!(a.access(k('b')), Outcome::miss(Some(k('a'))));
        assert_eq!(a.p(), 1.0);
        assert_eq!(
            lists(&a),
            "T1 (once)=c T2 (twice or more)=b B1 (ghosts of T1)= B2 (ghosts of T2)=a"
        );
        // a: ghost hit in B2: |B2| = 1 ≥ |B1| = 0 → p = 0; REPLACE(x in B2): |T1| = 1 > 0 →
        // c goes to B1; a into T2.
        assert_eq!(a.access(k('a')), Outcome::miss(Some(k('c'))));
        assert_eq!(a.p(), 0.0);
        assert_eq!(
            lists(&a),
            "T1 (once)= T2 (twice or more)=ab B1 (ghosts of T1)=c B2 (ghosts of T2)="
        );
        // d: case IV.A? |T1|+|B1| = 1 < 2 → case B; total = 3 ≥ 2, ≠ 4 → REPLACE: T1 empty →
        // T2's LRU b goes to B2.
        assert_eq!(a.access(k('d')), Outcome::miss(Some(k('b'))));
        assert_eq!(
            lists(&a),
            "T1 (once)=d T2 (twice or more)=a B1 (ghosts of T1)=c B2 (ghosts of T2)=b"
        );
        // e: |T1|+|B1| = 2 = c → case A with |T1| < c: forget B1's LRU c, REPLACE: |T1| = 1 > 0
        // → d to B1.
        assert_eq!(a.access(k('e')), Outcome::miss(Some(k('d'))));
        assert_eq!(
            lists(&a),
            "T1 (once)=e T2 (twice or more)=a B1 (ghosts of T1)=d B2 (ghosts of T2)=b"
        );
        check_invariants(&a);
    }

    #[test]
    fn p_adapts_by_the_papers_deltas_including_ratios() {
        // Before every ghost hit, predict p from the list sizes with Fig. 4's rule.
        let mut a = Arc::new(6);
        let mut rng = crate::kernel::rng::SimRng::new(3, 0);
        let mut ratios = 0;
        for _ in 0..5_000 {
            // A mix of a hot set and a wider set gives ghost hits of both kinds.
            let x = if rng.unit() < 0.5 {
                rng.below(5)
            } else {
                rng.below(30)
            } as Key;
            let [_, _, b1, b2] = a.sizes().map(|n| n as f64);
            let where_ = a.lists.find(x).map(|s| a.lists.list_of(s));
            let p = a.p();
            a.access(x);
            match where_ {
                Some(B1) => {
                    let d = if b1 >= b2 { 1.0 } else { b2 / b1 };
                    ratios += usize::from(d != 1.0 && p + d < 6.0);
                    assert_eq!(a.p(), (p + d).min(6.0));
                }
                Some(B2) => {
                    let d = if b2 >= b1 { 1.0 } else { b1 / b2 };
                    ratios += usize::from(d != 1.0 && p - d > 0.0);
                    assert_eq!(a.p(), (p - d).max(0.0));
                }
                _ => assert_eq!(a.p(), p),
            }
            check_invariants(&a);
        }
        assert!(ratios > 0, "no fractional adaptation was exercised");
    }

    #[test]
    fn a_scan_does_not_flush_the_frequent_keys() {
        // Keys used twice sit in T2; a long one-time scan only churns T1.
        let mut a = Arc::new(10);
        let hot: String = "abcde".repeat(4);
        run(&mut a, &hot);
        for i in 0..200 {
            a.access(100 + i);
            check_invariants(&a);
        }
        assert_eq!(run(&mut a, "abcde"), "hhhhh");
        let mut lru = super::super::lru::Lru::new(10);
        run(&mut lru, &hot);
        for i in 0..200 {
            lru.access(100 + i);
        }
        assert_eq!(run(&mut lru, "abcde"), "mmmmm");
    }

    #[test]
    fn removal_leaves_room_and_no_ghost() {
        let mut a = Arc::new(2);
        run(&mut a, "abc");
        assert!(a.remove(k('c')));
        assert!(!a.remove(k('a')), "a is a ghost in B1, not resident");
        assert_eq!(a.len(), 1);
        // The cache has room: a new key does not evict.
        assert_eq!(a.access(k('d')), Outcome::miss(None));
        check_invariants(&a);
    }
}
