//! Properties of the cache policies and the cache block: every policy against a simple reference
//! model where one exists (LRU, FIFO, LFU, ARC's Fig. 4 on plain vectors), the paper's ARC
//! invariants, W-TinyLFU's segment bounds, TTL never serving an expired entry, the miss-ratio
//! curve independent of how it is sliced, and parsers that never panic. Proptest prints the
//! failing inputs (seeds included) and shrinks them.

use hopscope_sim::cache::mrc::{curve, MrcJob};
use hopscope_sim::cache::policy::arc::Arc;
use hopscope_sim::cache::policy::ttl::Expiring;
use hopscope_sim::cache::policy::wtinylfu::WTinyLfu;
use hopscope_sim::cache::policy::{build, Key, Options, Policy, PolicyId};
use hopscope_sim::cache::workload::{parse_keys, parse_trace};
use hopscope_sim::kernel::rng::SimRng;
use hopscope_sim::kernel::time::{SimDuration, SimTime};
use hopscope_sim::{registry, run_scenario};
use proptest::prelude::*;

fn policy_id() -> impl Strategy<Value = PolicyId> {
    prop::sample::select(PolicyId::ALL.to_vec())
}

/// LRU and FIFO on a plain vector (front = newest).
fn reference_queue(c: usize, seq: &[Key], lru: bool) -> Vec<bool> {
    let mut v: Vec<Key> = Vec::new();
    seq.iter()
        .map(|&k| {
            if let Some(i) = v.iter().position(|&x| x == k) {
                if lru {
                    v.remove(i);
                    v.insert(0, k);
                }
                true
            } else {
                if v.len() == c {
                    v.pop();
                }
                v.insert(0, k);
                false
            }
        })
        .collect()
}

/// LFU by brute force: evict the smallest (count, last access); counts forgotten on eviction.
fn reference_lfu(c: usize, seq: &[Key]) -> Vec<bool> {
    let mut v: Vec<(Key, u32, usize)> = Vec::new();
    seq.iter()
        .enumerate()
        .map(|(t, &k)| {
            if let Some(e) = v.iter_mut().find(|e| e.0 == k) {
                e.1 += 1;
                e.2 = t;
                true
            } else {
                if v.len() == c {
                    let i = (0..v.len()).min_by_key(|&i| (v[i].1, v[i].2)).unwrap();
                    v.remove(i);
                }
                v.push((k, 1, t));
                false
            }
        })
        .collect()
}

/// ARC, Fig. 4 of Megiddo & Modha, on four plain vectors (front = MRU) with a real-valued p.
fn reference_arc(c: usize, seq: &[Key]) -> Vec<bool> {
    let (mut t1, mut t2, mut b1, mut b2): (Vec<Key>, Vec<Key>, Vec<Key>, Vec<Key>) =
        (vec![], vec![], vec![], vec![]);
    let mut p = 0.0f64;
    let take = |l: &mut Vec<Key>, k: Key| {
        let i = l.iter().position(|&x| x == k).unwrap();
        l.remove(i);
    };
    let replace = |t1: &mut Vec<Key>,
                   t2: &mut Vec<Key>,
                   b1: &mut Vec<Key>,
                   b2: &mut Vec<Key>,
                   in_b2: bool,
                   p: f64| {
        if !t1.is_empty() && ((t1.len() as f64) > p || (in_b2 && t1.len() as f64 == p)) {
            let x = t1.pop().unwrap();
            b1.insert(0, x);
        } else {
            let x = t2.pop().unwrap();
            b2.insert(0, x);
        }
    };
    let mut out = Vec::new();
    for &x in seq {
        if t1.contains(&x) || t2.contains(&x) {
            if t1.contains(&x) {
                take(&mut t1, x);
            } else {
                take(&mut t2, x);
            }
            t2.insert(0, x);
            out.push(true);
        } else if b1.contains(&x) {
            let d = if b1.len() >= b2.len() {
                1.0
            } else {
                b2.len() as f64 / b1.len() as f64
            };
            p = (p + d).min(c as f64);
            replace(&mut t1, &mut t2, &mut b1, &mut b2, false, p);
            take(&mut b1, x);
            t2.insert(0, x);
            out.push(false);
        } else if b2.contains(&x) {
            let d = if b2.len() >= b1.len() {
                1.0
            } else {
                b1.len() as f64 / b2.len() as f64
            };
            p = (p - d).max(0.0);
            replace(&mut t1, &mut t2, &mut b1, &mut b2, true, p);
            take(&mut b2, x);
            t2.insert(0, x);
            out.push(false);
        } else {
            if t1.len() + b1.len() == c {
                if t1.len() < c {
                    b1.pop();
                    replace(&mut t1, &mut t2, &mut b1, &mut b2, false, p);
                } else {
                    t1.pop();
                }
            } else {
                let total = t1.len() + t2.len() + b1.len() + b2.len();
                if total >= c {
                    if total == 2 * c {
                        b2.pop();
                    }
                    replace(&mut t1, &mut t2, &mut b1, &mut b2, false, p);
                }
            }
            t1.insert(0, x);
            out.push(false);
        }
    }
    out
}

fn hits(p: &mut dyn Policy, seq: &[Key]) -> Vec<bool> {
    seq.iter().map(|&k| p.access(k).hit).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_policy_keeps_its_accounts(
        id in policy_id(),
        c in 1usize..12,
        seq in prop::collection::vec(0u32..30, 0..400),
        seed in any::<u64>(),
    ) {
        let mut p = build(id, c, &Options { seed, lfu_halve_every: 0, doorkeeper: seed % 2 == 0 });
        let (mut h, mut m) = (0, 0);
        for &k in &seq {
            let was = p.contains(k);
            let before = p.resident();
            let out = p.access(k);
            prop_assert_eq!(out.hit, was, "hit iff resident before the access");
            if out.hit { h += 1 } else { m += 1 }
            prop_assert!(p.len() <= c, "{} holds {} > {}", id.id(), p.len(), c);
            prop_assert_eq!(p.len(), p.resident().len());
            if let Some(v) = out.evicted {
                prop_assert!(before.contains(&v) || v == k, "evicted a key that was not resident");
                prop_assert!(!p.contains(v));
                prop_assert_eq!(before.len(), c, "evictions only when full");
            }
        }
        prop_assert_eq!(h + m, seq.len());
    }

    #[test]
    fn lru_fifo_lfu_and_arc_match_reference_models(
        c in 1usize..10,
        seq in prop::collection::vec(0u32..25, 0..300),
    ) {
        let o = Options::default();
        prop_assert_eq!(hits(build(PolicyId::Lru, c, &o).as_mut(), &seq), reference_queue(c, &seq, true));
        prop_assert_eq!(hits(build(PolicyId::Fifo, c, &o).as_mut(), &seq), reference_queue(c, &seq, false));
        prop_assert_eq!(hits(build(PolicyId::Lfu, c, &o).as_mut(), &seq), reference_lfu(c, &seq));
        prop_assert_eq!(hits(build(PolicyId::Arc, c, &o).as_mut(), &seq), reference_arc(c, &seq));
    }

    #[test]
    fn arc_invariants_hold_after_every_access(
        c in 1usize..16,
        seq in prop::collection::vec(0u32..60, 0..500),
        removals in prop::collection::vec(0u32..60, 0..20),
    ) {
        let mut a = Arc::new(c);
        for (i, &k) in seq.iter().enumerate() {
            a.access(k);
            if i % 25 == 0 {
                if let Some(&r) = removals.get(i / 25) {
                    a.remove(r);
                }
            }
            let [t1, t2, b1, b2] = a.sizes();
            prop_assert!(t1 + t2 <= c, "|T1|+|T2| = {} > {c}", t1 + t2);
            prop_assert!(t1 + b1 <= c, "|T1|+|B1| = {} > {c}", t1 + b1);
            prop_assert!(t2 + b2 <= 2 * c);
            prop_assert!(t1 + t2 + b1 + b2 <= 2 * c);
            prop_assert!(a.p() >= 0.0 && a.p() <= c as f64);
        }
    }

    #[test]
    fn wtinylfu_segments_stay_within_their_maxima(
        c in 1usize..300,
        seq in prop::collection::vec(0u32..600, 0..2000),
    ) {
        let mut w = WTinyLfu::new(c, false, SimRng::new(1, 41));
        let (window_max, protected_max) = w.segment_maxima();
        prop_assert_eq!(window_max, c - (0.99 * c as f64) as usize);
        for &k in &seq {
            w.access(k);
            let [win, prob, prot] = w.sizes();
            prop_assert!(win <= window_max && prot <= protected_max);
            prop_assert!(win + prob + prot <= c);
        }
    }

    #[test]
    fn ttl_never_serves_an_expired_entry(
        id in policy_id(),
        c in 1usize..8,
        ttl_ms in 1u64..50,
        steps in prop::collection::vec((0u32..12, 0u64..20), 0..300),
    ) {
        let ttl = SimDuration::from_millis(ttl_ms);
        let mut cache = Expiring::new(build(id, c, &Options::default()), Some(ttl));
        let mut now = SimTime::ZERO;
        let mut written: Vec<Option<SimTime>> = vec![None; 12];
        for (k, gap) in steps {
            now += SimDuration::from_millis(gap);
            let out = cache.access(k, now);
            if out.hit {
                let w = written[k as usize].expect("a hit on a key written before");
                prop_assert!(now < w + ttl, "served {k} written at {w:?} at {now:?} with TTL {ttl:?}");
            } else {
                written[k as usize] = Some(now);
            }
            prop_assert!(cache.policy().len() <= c);
        }
    }

    #[test]
    fn the_curve_does_not_depend_on_slicing(
        seq in prop::collection::vec(0u32..80, 1..600),
        budget in 1u64..500,
    ) {
        let sizes = [2, 5, 10, 20];
        let whole = curve(seq.clone(), &sizes, &PolicyId::ALL, Options::default());
        let mut job = MrcJob::new(seq, &sizes, &PolicyId::ALL, Options::default());
        while !job.is_finished() {
            job.advance(budget);
        }
        prop_assert_eq!(job.points(), whole.as_slice());
    }

    #[test]
    fn parsers_never_panic(text in "\\PC{0,80}", lines in prop::collection::vec("[ -~]{0,12}", 0..12)) {
        let _ = parse_keys(&text);
        let _ = parse_trace(&text);
        let doc = lines.join("\n");
        if let Err(e) = parse_trace(&doc) {
            prop_assert!(e.value.starts_with("line ") || e.allowed.contains("at least one key"), "{e}");
        }
    }

    #[test]
    fn any_typed_sequence_runs_and_counts_every_access(
        keys in prop::collection::vec("[a-e]{1,2}", 1..60),
        c in 1usize..6,
        policy in prop::sample::select(vec!["lru", "fifo", "random", "lfu", "arc", "wtinylfu", "all"]),
    ) {
        let block = registry::find("cache").unwrap();
        let list = keys.join(",");
        let cap = c.to_string();
        let run = run_scenario(block, &[("keys", list.as_str()), ("capacity", cap.as_str()), ("policy", policy)], 3).unwrap();
        for p in run.result["policies"].as_array().unwrap() {
            let (h, m) = (p["hits"].as_u64().unwrap(), p["misses"].as_u64().unwrap());
            prop_assert_eq!(h + m, keys.len() as u64);
            prop_assert_eq!(p["outcomes"].as_str().unwrap().len(), keys.len());
        }
    }

    #[test]
    fn any_small_scenario_runs_with_time_moving_forward(
        mode in prop::sample::select(vec!["eviction", "write", "cluster", "stampede", "mrc"]),
        policy in prop::sample::select(vec!["lru", "fifo", "random", "lfu", "arc", "wtinylfu"]),
        workload in prop::sample::select(vec!["zipf", "uniform", "loop", "scan", "shifting"]),
        write_policy in prop::sample::select(vec!["cache_aside", "read_through", "write_through", "write_back", "write_around"]),
        fix in prop::sample::select(vec!["none", "single_flight", "xfetch", "lock"]),
        capacity in 20u32..60,
        key_space in 1u32..80,
        accesses in 1u32..400,
        ttl_ms in prop::sample::select(vec![0u32, 30, 500]),
        poisson in any::<bool>(),
        faults in prop::sample::select(vec!["", "crash@200ms", "crash@5ms,crash@9s"]),
        seed in any::<u64>(),
    ) {
        let block = registry::find("cache").unwrap();
        let (capacity, key_space, accesses) = (capacity.to_string(), key_space.to_string(), accesses.to_string());
        let ttl = (f64::from(ttl_ms) / 1e3).to_string();
        let mut sets: Vec<(&str, &str)> = vec![
            ("mode", mode), ("policy", policy), ("workload", workload), ("write_policy", write_policy),
            ("fix", fix), ("capacity", &capacity), ("key_space", &key_space), ("accesses", &accesses),
            ("rate", "200"), ("arrivals", if poisson { "poisson" } else { "even" }), ("write_ratio", "0.3"),
            ("flush_ms", "40"), ("scan_len", "30"), ("db_ms", "7"), ("hot_share", "0.2"), ("replicas", "2"),
        ];
        if mode != "mrc" {
            sets.push(("ttl_s", &ttl));
            sets.push(("faults", if mode == "cluster" && !faults.is_empty() { "remove:2@100ms,add@300ms,crash:1@1s" } else { faults }));
        }
        let run = run_scenario(block, &sets, seed).unwrap_or_else(|e| panic!("{sets:?}: {e}"));
        let mut last = 0;
        for e in &run.events {
            prop_assert!(e.at().0 >= last, "time went backwards");
            last = e.at().0;
            prop_assert!(e.at() <= run.duration);
        }
        prop_assert!(!run.steps.is_empty());
        for s in &run.series {
            prop_assert!(s.points.iter().all(|p| p.1.is_finite()), "{} / {}", s.chart, s.name);
        }
        let r = &run.result;
        if let (Some(h), Some(m)) = (r["hits"].as_u64(), r["misses"].as_u64()) {
            if mode == "eviction" || mode == "cluster" {
                prop_assert_eq!(h + m, u64::from(accesses.parse::<u32>().unwrap()) + if workload == "scan" { 30 } else { 0 });
            }
        }
    }
}
