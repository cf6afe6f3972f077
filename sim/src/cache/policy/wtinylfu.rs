//! W-TinyLFU: Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache Admission Policy"
//! (ACM Transactions on Storage 13(4), 2017), as Caffeine implements it in `BoundedLocalCache`
//! with unit weights.
//!
//! - A **window** LRU of 1% of the capacity (`max − ⌊0.99 · max⌋`, at least 1) takes every new key.
//! - The **main** space is a segmented LRU: **protected** (at most `⌊0.8 · main⌋`) for keys hit
//!   while in main, **probation** for the rest. A hit in probation promotes to protected; when
//!   protected overflows, its LRU key is demoted to probation's MRU end (`climb()` →
//!   `demoteFromMainProtected`).
//! - When the window overflows, its LRU key becomes the **candidate** and moves to probation's MRU
//!   end (`evictFromWindow`). If the cache is then over capacity, `evictFromMain` compares the
//!   candidate with the **victim**, probation's LRU key: the sketch's frequency estimates decide
//!   (`admit`): the candidate wins only if its estimate is strictly higher; a candidate with an
//!   estimate of 6 or more that loses is still admitted with probability 1/128 (Caffeine's guard
//!   against hash flooding, `ADMIT_HASHDOS_THRESHOLD`), drawn from a seeded stream.
//! - Every access increments the key's count in the [`FrequencySketch`]; the sketch is sized
//!   lazily, once the cache is half full, as Caffeine does.
//!
//! Not modelled: Caffeine ≥ 2.7 adapts the window size by hill climbing (`climb()`); this is the
//! paper's static W-TinyLFU(1%), the configuration the issue names.

use super::list::{Lists, Slot};
use super::sketch::FrequencySketch;
use super::{Key, ListView, NameFn, Outcome, Policy, PolicyId};
use crate::kernel::rng::SimRng;

pub const WINDOW: u32 = 0;
pub const PROBATION: u32 = 1;
pub const PROTECTED: u32 = 2;

const PERCENT_MAIN: f64 = 0.99;
const PERCENT_MAIN_PROTECTED: f64 = 0.80;
const ADMIT_HASHDOS_THRESHOLD: u8 = 6;

/// The last admission contest between a window candidate and a probation victim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Contest {
    pub candidate: Key,
    pub candidate_freq: u8,
    pub victim: Key,
    pub victim_freq: u8,
    /// True when the candidate won (the victim was evicted).
    pub admitted: bool,
    /// The candidate lost on frequency but the 1/128 draw let it in.
    pub by_chance: bool,
}

pub struct WTinyLfu {
    max: usize,
    window_max: usize,
    protected_max: usize,
    lists: Lists,
    sketch: FrequencySketch,
    doorkeeper: bool,
    rng: SimRng,
    /// The contest of the last access, if there was one.
    contest: Option<Contest>,
    /// Where a hit key was before the last access.
    hit_from: u32,
    /// The key moved out of the window by the last miss, if any.
    demoted: Option<Key>,
    changed: u32,
}

impl WTinyLfu {
    pub fn new(max: usize, doorkeeper: bool, rng: SimRng) -> Self {
        let window_max = max - (PERCENT_MAIN * max as f64) as usize;
        let protected_max = (PERCENT_MAIN_PROTECTED * (max - window_max) as f64) as usize;
        WTinyLfu {
            max,
            window_max,
            protected_max,
            lists: Lists::new(3, max + 2),
            sketch: FrequencySketch::new(doorkeeper),
            doorkeeper,
            rng,
            contest: None,
            hit_from: WINDOW,
            demoted: None,
            changed: 0,
        }
    }

    /// (window, protected) maxima; probation takes the rest of main.
    pub fn segment_maxima(&self) -> (usize, usize) {
        (self.window_max, self.protected_max)
    }

    /// |window|, |probation|, |protected|.
    pub fn sizes(&self) -> [usize; 3] {
        [WINDOW, PROBATION, PROTECTED].map(|l| self.lists.len(l))
    }

    pub fn sketch(&self) -> &FrequencySketch {
        &self.sketch
    }

    pub fn last_contest(&self) -> Option<Contest> {
        self.contest
    }

    fn mark(&mut self, list: u32) {
        self.changed |= 1 << list;
    }

    fn relink_front(&mut self, s: Slot, to: u32) {
        let from = self.lists.list_of(s);
        if from == to && self.lists.front(to) == Some(s) {
            return;
        }
        self.mark(from);
        self.lists.move_to_front(s, to);
        self.mark(to);
    }

    fn size(&self) -> usize {
        self.lists.len(WINDOW) + self.lists.len(PROBATION) + self.lists.len(PROTECTED)
    }

    /// Caffeine's `admit(candidateKey, victimKey)`.
    fn admit(&mut self, candidate: Key, victim: Key) -> (bool, Contest) {
        let victim_freq = self.sketch.frequency(victim);
        let candidate_freq = self.sketch.frequency(candidate);
        let (admitted, by_chance) = if candidate_freq > victim_freq {
            (true, false)
        } else if candidate_freq >= ADMIT_HASHDOS_THRESHOLD {
            let lucky = self.rng.next_u64() & 127 == 0;
            (lucky, lucky)
        } else {
            (false, false)
        };
        let contest = Contest {
            candidate,
            candidate_freq,
            victim,
            victim_freq,
            admitted,
            by_chance,
        };
        (admitted, contest)
    }

    /// `evictFromWindow`: the window's LRU keys move to probation's MRU end.
    fn evict_from_window(&mut self) -> usize {
        let mut candidates = 0;
        while self.lists.len(WINDOW) > self.window_max {
            let Some(s) = self.lists.back(WINDOW) else {
                break;
            };
            self.demoted = Some(self.lists.key(s));
            self.relink_front(s, PROBATION);
            candidates += 1;
        }
        candidates
    }

    fn evict_slot(&mut self, s: Slot) -> Key {
        self.mark(self.lists.list_of(s));
        self.lists.remove(s)
    }

    /// `evictFromMain(candidates)` for unit weights. Caffeine's "first" (LRU) end is our back;
    /// "next in access order" (towards MRU) is our `toward_front`.
    fn evict_from_main(&mut self, mut candidates: usize) -> Option<Key> {
        let mut evicted = None;
        let mut victim_queue = PROBATION;
        let mut victim = self.lists.back(PROBATION);
        let mut candidate = self.lists.front(PROBATION);
        while self.size() > self.max {
            if candidates == 0 {
                candidate = None;
            }
            if candidate.is_none() && victim.is_none() {
                match victim_queue {
                    PROBATION => {
                        victim = self.lists.back(PROTECTED);
                        victim_queue = PROTECTED;
                        continue;
                    }
                    PROTECTED => {
                        victim = self.lists.back(WINDOW);
                        victim_queue = WINDOW;
                        continue;
                    }
                    _ => break,
                }
            }
            match (victim, candidate) {
                (None, Some(c)) => {
                    candidate = self.lists.toward_back(c);
                    candidates -= 1;
                    evicted = Some(self.evict_slot(c));
                }
                (Some(v), None) => {
                    victim = self.lists.toward_front(v);
                    evicted = Some(self.evict_slot(v));
                }
                (Some(v), Some(c)) if v == c => {
                    victim = self.lists.toward_front(v);
                    candidates -= 1;
                    evicted = Some(self.evict_slot(c));
                }
                (Some(v), Some(c)) => {
                    candidates -= 1;
                    let (ck, vk) = (self.lists.key(c), self.lists.key(v));
                    let (admitted, contest) = self.admit(ck, vk);
                    self.contest = Some(contest);
                    if admitted {
                        victim = self.lists.toward_front(v);
                        candidate = self.lists.toward_back(c);
                        evicted = Some(self.evict_slot(v));
                    } else {
                        candidate = self.lists.toward_back(c);
                        evicted = Some(self.evict_slot(c));
                    }
                }
                (None, None) => unreachable!("handled above"),
            }
        }
        evicted
    }

    /// `demoteFromMainProtected`: protected's LRU keys move to probation's MRU end.
    fn demote_protected(&mut self) {
        while self.lists.len(PROTECTED) > self.protected_max {
            let Some(s) = self.lists.back(PROTECTED) else {
                break;
            };
            self.relink_front(s, PROBATION);
        }
    }
}

impl Policy for WTinyLfu {
    fn id(&self) -> PolicyId {
        PolicyId::WTinyLfu
    }
    fn capacity(&self) -> usize {
        self.max
    }
    fn len(&self) -> usize {
        self.size()
    }
    fn contains(&self, key: Key) -> bool {
        self.lists.find(key).is_some()
    }

    fn access(&mut self, key: Key) -> Outcome {
        self.contest = None;
        self.demoted = None;
        if let Some(s) = self.lists.find(key) {
            // onAccess: count it, then reorder within its segment.
            self.sketch.increment(key);
            let from = self.lists.list_of(s);
            self.hit_from = from;
            match from {
                PROBATION if self.protected_max >= 1 => self.relink_front(s, PROTECTED),
                other => self.relink_front(s, other),
            }
            self.demote_protected();
            return Outcome::HIT;
        }
        // AddTask: lazily size the sketch when half full, count the key, add to the window.
        if self.size() >= self.max >> 1 {
            self.sketch.ensure_capacity(self.max);
        }
        self.sketch.increment(key);
        self.lists.push_front(WINDOW, key);
        self.mark(WINDOW);
        let candidates = self.evict_from_window();
        let evicted = self.evict_from_main(candidates);
        self.demote_protected();
        Outcome::miss(evicted)
    }

    fn remove(&mut self, key: Key) -> bool {
        match self.lists.find(key) {
            Some(s) => {
                self.evict_slot(s);
                true
            }
            None => false,
        }
    }

    fn clear(&mut self) {
        self.lists.clear(3);
        self.sketch = FrequencySketch::new(self.doorkeeper);
        self.changed = 0b111;
    }

    fn resident(&self) -> Vec<Key> {
        [WINDOW, PROBATION, PROTECTED]
            .iter()
            .flat_map(|&l| self.lists.iter(l))
            .collect()
    }

    fn list_names(&self) -> &'static [&'static str] {
        &["window", "probation", "protected", "admission"]
    }

    fn list(&self, which: usize, limit: usize, name: NameFn) -> ListView {
        if which == 3 {
            let items = match self.contest {
                Some(c) => vec![
                    format!("candidate {} ≈ {}", name(c.candidate), c.candidate_freq),
                    format!("victim {} ≈ {}", name(c.victim), c.victim_freq),
                    if c.admitted {
                        format!("{} evicted", name(c.victim))
                    } else {
                        format!("{} rejected", name(c.candidate))
                    },
                ],
                None => Vec::new(),
            };
            return ListView { items, more: 0 };
        }
        let l = which as u32;
        ListView::of(self.lists.iter(l).map(name), self.lists.len(l), limit)
    }

    fn take_changed(&mut self) -> u32 {
        let contest = if self.contest.is_some() { 1 << 3 } else { 0 };
        std::mem::take(&mut self.changed) | contest
    }

    fn gauges(&self) -> Vec<(&'static str, f64)> {
        vec![("sketch resets", self.sketch.resets() as f64)]
    }

    fn case(&self, outcome: Outcome) -> &'static str {
        if outcome.hit {
            return match self.hit_from {
                WINDOW => "hit_window",
                PROBATION => "hit_probation",
                _ => "hit_protected",
            };
        }
        match (self.contest, outcome.evicted) {
            (Some(c), _) if c.admitted => "admit",
            (Some(_), _) => "reject",
            (None, Some(_)) => "evict",
            (None, None) if self.demoted.is_some() => "to_probation",
            (None, None) => "fill",
        }
    }

    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String {
        let x = name(key);
        if outcome.hit {
            return match self.hit_from {
                WINDOW => format!("hit in the window: {x} moves to the window's front"),
                PROBATION if self.protected_max >= 1 => {
                    format!("hit in probation: {x} is promoted to protected")
                }
                PROBATION => format!("hit in probation: {x} moves to probation's front"),
                _ => format!("hit in protected: {x} moves to protected's front"),
            };
        }
        let est = self.sketch.frequency(key);
        let entered = format!("miss: {x} (sketch estimate {est}) enters the window");
        match (self.contest, outcome.evicted) {
            (Some(c), _) => {
                let verdict = if c.by_chance {
                    format!(
                        "the candidate loses but the 1-in-128 draw admits it; {} is evicted",
                        name(c.victim)
                    )
                } else if c.admitted {
                    format!(
                        "the candidate is more frequent, so {} is evicted",
                        name(c.victim)
                    )
                } else {
                    format!(
                        "ties and lower estimates keep the victim, so {} is rejected",
                        name(c.candidate)
                    )
                };
                format!(
                    "{entered}; {} leaves the window as candidate (estimate {}) against probation's victim {} (estimate {}): {verdict}",
                    name(c.candidate),
                    c.candidate_freq,
                    name(c.victim),
                    c.victim_freq
                )
            }
            (None, Some(v)) => format!("{entered}; {} is evicted (no contest needed)", name(v)),
            (None, None) => match self.demoted {
                Some(d) => format!(
                    "{entered}; {} moves from the window to probation ({} of {} slots used)",
                    name(d),
                    self.size(),
                    self.max
                ),
                None => format!("{entered} ({} of {} slots used)", self.size(), self.max),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{k, letters, run};
    use super::*;

    /// window, probation and protected, front first.
    fn lists(p: &WTinyLfu) -> String {
        format!(
            "window={} probation={} protected={}",
            letters(p, 0),
            letters(p, 1),
            letters(p, 2)
        )
    }

    fn new(max: usize) -> WTinyLfu {
        WTinyLfu::new(max, false, SimRng::new(1, 41))
    }

    #[test]
    fn segment_sizes_follow_caffeine() {
        assert_eq!(new(100).segment_maxima(), (1, 79));
        assert_eq!(new(10).segment_maxima(), (1, 7));
        assert_eq!(new(1000).segment_maxima(), (10, 792));
        assert_eq!(new(1).segment_maxima(), (1, 0));
    }

    #[test]
    fn hand_worked_admission_with_capacity_3() {
        // max 3: window 1, main 2 (protected ≤ 1). The sketch starts once the cache holds ≥ 1.
        let mut p = new(3);
        // a enters the window (sketch not yet sized: size 0 < 3 >> 1 = 1, so a is not counted).
        // b: a moves to probation; c: b moves to probation.
        assert_eq!(run(&mut p, "abc"), "mmm");
        assert_eq!(lists(&p), "window=c probation=ba protected=");
        // b hits in probation → protected.
        assert_eq!(run(&mut p, "b"), "h");
        assert_eq!(lists(&p), "window=c probation=a protected=b");
        // d: c leaves the window as candidate (c counted once) vs victim a (never counted: the
        // sketch was sized after a's access) → 1 > 0: c is admitted, a evicted.
        assert_eq!(p.access(k('d')), Outcome::miss(Some(k('a'))));
        let c = p.last_contest().unwrap();
        assert_eq!((c.candidate_freq, c.victim_freq, c.admitted), (1, 0, true));
        assert_eq!(lists(&p), "window=d probation=c protected=b");
        // c hits twice more (estimate 3); e: d (estimate 1) challenges... c is protected now,
        // b was demoted to probation and is the victim with estimate 2 → d is rejected.
        run(&mut p, "cc");
        assert_eq!(lists(&p), "window=d probation=b protected=c");
        assert_eq!(p.access(k('e')), Outcome::miss(Some(k('d'))));
        let c = p.last_contest().unwrap();
        assert_eq!((c.candidate, c.victim, c.admitted), (k('d'), k('b'), false));
        assert_eq!(lists(&p), "window=e probation=b protected=c");
    }

    #[test]
    fn frequent_keys_survive_a_scan() {
        let mut p = new(100);
        let hot: Vec<Key> = (0..50).collect();
        for _ in 0..20 {
            for &x in &hot {
                p.access(x);
            }
        }
        for x in 1_000..5_000 {
            p.access(x);
        }
        let kept = hot.iter().filter(|&&x| p.contains(x)).count();
        assert!(kept >= 48, "only {kept} of 50 hot keys survived the scan");
    }

    #[test]
    fn size_never_exceeds_capacity_and_segments_respect_maxima() {
        let mut p = new(20);
        let mut rng = SimRng::new(9, 0);
        for _ in 0..20_000 {
            p.access(rng.below(200) as Key);
            let [w, _, prot] = p.sizes();
            assert!(p.len() <= 20 && w <= 1 && prot <= 15);
        }
    }
}
