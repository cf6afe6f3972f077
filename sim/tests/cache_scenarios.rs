//! The cache presets tell the stories they promise, checked on their results: scan resistance,
//! loops, Zipf, consistent hashing vs mod N, hot-key replicas, stampede fixes, write-back loss,
//! stale reads with TTL vs invalidation. Every run is deterministic for its seed.

use hopscope_sim::{registry, run_scenario, Run};
use serde_json::Value;

fn preset(id: &str) -> Run {
    let block = registry::find("cache").unwrap();
    let p = block
        .presets()
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no preset {id}"));
    run_scenario(block, p.values, 1).unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn with(id: &str, extra: &[(&str, &str)]) -> Run {
    let block = registry::find("cache").unwrap();
    let p = block.presets().iter().find(|p| p.id == id).unwrap();
    let mut values: Vec<(&str, &str)> = p.values.to_vec();
    values.extend_from_slice(extra);
    run_scenario(block, &values, 1).unwrap()
}

fn ratio_of(run: &Run, policy: &str) -> f64 {
    run.result["policies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"] == policy)
        .unwrap()["hit_ratio"]
        .as_f64()
        .unwrap()
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn scan_resistant_policies_beat_lru_through_a_scan() {
    let r = preset("lru_vs_scan");
    let lru = ratio_of(&r, "lru");
    assert!(
        ratio_of(&r, "arc") > lru + 0.03,
        "ARC {} vs LRU {lru}",
        ratio_of(&r, "arc")
    );
    assert!(ratio_of(&r, "wtinylfu") > lru + 0.05);
    assert!(ratio_of(&r, "fifo") < lru);
}

#[test]
fn a_loop_larger_than_the_cache_defeats_lru_and_fifo() {
    let r = preset("loop");
    assert_eq!(ratio_of(&r, "lru"), 0.0);
    assert_eq!(ratio_of(&r, "fifo"), 0.0);
    assert!(ratio_of(&r, "random") > 0.5);
    assert!(ratio_of(&r, "wtinylfu") > 0.5);
}

#[test]
fn wtinylfu_leads_on_zipf() {
    let r = preset("wtinylfu_zipf");
    let best = ratio_of(&r, "wtinylfu");
    for p in ["lru", "fifo", "random", "lfu", "arc"] {
        assert!(
            best > ratio_of(&r, p),
            "W-TinyLFU {best} vs {p} {}",
            ratio_of(&r, p)
        );
    }
}

#[test]
fn lfu_without_aging_clings_to_the_old_working_set_and_aging_helps() {
    let r = preset("shifting");
    assert!(ratio_of(&r, "lfu") < ratio_of(&r, "lru") - 0.2);
    let aged = with("shifting", &[("lfu_halve_every", "1000")]);
    assert!(ratio_of(&aged, "lfu") > ratio_of(&r, "lfu") + 0.2);
}

#[test]
fn arc_moves_its_target_both_ways() {
    let r = preset("arc_adapting");
    let p = r.series.iter().find(|s| s.chart == "ARC target p").unwrap();
    let max = p.points.iter().map(|x| x.1).fold(0.0, f64::max);
    assert!(max >= 5.0, "p never grew: max {max}");
    assert!(
        p.points.windows(2).any(|w| w[1].1 < w[0].1),
        "p never shrank"
    );
    let texts: Vec<&str> = r.steps.iter().map(|s| s.text.as_str()).collect();
    assert!(texts.iter().any(|t| t.contains("ghost hit in B1")));
    assert!(texts.iter().any(|t| t.contains("ghost hit in B2")));
}

#[test]
fn the_ring_moves_a_quarter_of_the_keys_and_mod_n_three_quarters() {
    let ring = preset("ring_remove");
    let modn = preset("mod_remove");
    let keys = u(&ring.result["keys"]);
    let moved_ring = u(&ring.result["moved_keys"]);
    let moved_mod = u(&modn.result["moved_keys"]);
    assert!(
        moved_ring * 100 / keys < 35,
        "ring moved {moved_ring} of {keys}"
    );
    assert!(
        moved_mod * 100 / keys > 65,
        "mod moved {moved_mod} of {keys}"
    );
    // Each run also says what the other scheme would have moved: the same two numbers.
    assert_eq!(
        u(&ring.result["changes"][0]["other_scheme_moved_keys"]),
        moved_mod
    );
    assert!(ring.result["hit_ratio"].as_f64() > modn.result["hit_ratio"].as_f64());
    let add = preset("ring_add");
    assert!(u(&add.result["moved_keys"]) * 100 / keys < 30);
}

#[test]
fn replicas_spread_a_hot_key() {
    let busiest = |r: &Run| {
        r.result["per_node"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["share"].as_f64().unwrap())
            .fold(0.0, f64::max)
    };
    let one = busiest(&preset("hot_key"));
    let three = busiest(&preset("hot_key_replicas"));
    assert!(one > 0.5 && three < 0.45, "busiest share {one} → {three}");
}

#[test]
fn every_stampede_fix_cuts_the_database_spike() {
    let none = preset("stampede");
    let q = |r: &Run| u(&r.result["db_queries"]);
    let peak = |r: &Run| u(&r.result["peak_db_load"]);
    assert!(
        peak(&none) > 20,
        "no stampede without a fix: peak {}",
        peak(&none)
    );
    for fix in ["stampede_single_flight", "stampede_xfetch", "stampede_lock"] {
        let r = preset(fix);
        assert!(
            q(&r) * 10 < q(&none),
            "{fix}: {} queries vs {}",
            q(&r),
            q(&none)
        );
        assert!(peak(&r) <= 2, "{fix}: peak {}", peak(&r));
    }
    assert!(u(&preset("stampede_single_flight").result["coalesced"]) > 50);
    assert!(u(&preset("stampede_lock").result["lock_retries"]) > 50);
    let x = preset("stampede_xfetch");
    assert_eq!(u(&x.result["misses"]), 0, "XFetch refreshes before expiry");
    assert!(u(&x.result["early_refreshes"]) >= 1);
}

#[test]
fn write_back_loses_the_dirty_entries_of_a_crashed_node() {
    let r = preset("write_back_crash");
    assert!(u(&r.result["lost_writes"]) > 0);
    assert!(
        u(&r.result["db_writes"]) < u(&r.result["writes"]),
        "write-back coalesces writes"
    );
    let through = with("write_back_crash", &[("write_policy", "write_through")]);
    assert_eq!(u(&through.result["lost_writes"]), 0);
    assert_eq!(u(&through.result["stale_reads"]), 0);
}

#[test]
fn invalidation_removes_most_stale_reads_that_ttl_alone_allows() {
    let ttl = preset("stale_ttl");
    let inv = preset("stale_invalidate");
    let stale = |r: &Run| u(&r.result["stale_reads"]);
    assert!(stale(&ttl) > 100, "TTL only: {}", stale(&ttl));
    assert!(
        stale(&inv) * 20 < stale(&ttl),
        "invalidate: {} vs {}",
        stale(&inv),
        stale(&ttl)
    );
    assert!(stale(&preset("write_around")) > 100);
}

#[test]
fn ttl_expires_entries_and_the_table_shows_when() {
    let r = preset("ttl");
    assert!(u(&r.result["policies"][0]["expired"]) > 0);
    let with_expiry = r.events.iter().any(|e| {
        matches!(
            e,
            hopscope_sim::Event::Entry {
                expires: Some(_),
                ..
            }
        )
    });
    assert!(with_expiry);
}

#[test]
fn the_pages_lists_are_recorded_for_each_policy() {
    use hopscope_sim::Event;
    let r = run_scenario(
        registry::find("cache").unwrap(),
        &[
            ("policy", "all"),
            ("capacity", "4"),
            ("keys", "a,b,c,d,e,a,b,f,a,g,h,a"),
        ],
        1,
    )
    .unwrap();
    let mut names: Vec<(u32, String)> = r
        .events
        .iter()
        .filter_map(|e| match e {
            Event::List { node, name, .. } => Some((*node, name.to_string())),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    let of = |n: u32| {
        names
            .iter()
            .filter(|(x, _)| *x == n)
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(of(1), ["recency"]);
    assert_eq!(of(2), ["queue"]);
    assert_eq!(of(3), ["resident (no order)"]);
    assert_eq!(of(4), ["by count"]);
    assert_eq!(
        of(5),
        [
            "B1 (ghosts of T1)",
            "B2 (ghosts of T2)",
            "T1 (once)",
            "T2 (twice or more)"
        ]
    );
    assert_eq!(of(6), ["admission", "probation", "protected", "window"]);
    let gauges: Vec<String> = r
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Gauge { node: 5, name, .. } => Some(name.to_string()),
            _ => None,
        })
        .collect();
    assert!(gauges.iter().any(|g| g == "p (target size of T1)"));
}

#[test]
fn a_long_list_keeps_its_front_and_counts_the_rest() {
    use hopscope_sim::Event;
    let r = run_scenario(
        registry::find("cache").unwrap(),
        &[
            ("capacity", "100"),
            ("workload", "loop"),
            ("key_space", "150"),
            ("accesses", "200"),
        ],
        1,
    )
    .unwrap();
    let last = r
        .events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::List { items, more, .. } => Some((items.clone(), *more)),
            _ => None,
        })
        .unwrap();
    assert_eq!(last.0.len(), 16);
    assert_eq!(last.1, 84);
    assert_eq!(last.0[0], "user:50");
}

#[test]
fn seeds_change_generated_streams_but_not_typed_ones() {
    let block = registry::find("cache").unwrap();
    let a = run_scenario(block, &[("policy", "random")], 1).unwrap();
    let b = run_scenario(block, &[("policy", "random")], 2).unwrap();
    assert_ne!(a.to_json(), b.to_json());
    let typed = [("policy", "lru"), ("keys", "a,b,a,c")];
    let c = run_scenario(block, &typed, 1).unwrap();
    let d = run_scenario(block, &typed, 2).unwrap();
    assert_eq!(c.result["policies"], d.result["policies"]);
}
