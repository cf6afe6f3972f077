//! The end of an `eviction` run: the summary step, the nodes, the result (one entry per
//! policy) and the series.

use super::{World, CLIENT};
use crate::cache::narration;
use crate::cache::scenario::{assemble, node, ratio};
use crate::kernel::run::Run;
use serde_json::json;

pub(super) fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let standings = w.standings();
    w.trace.step(
        end,
        None,
        format!(
            "Done: {} accesses — {standings}.",
            narration::thousands(n as u64)
        ),
    );
    let cfg = w.cfg;
    let mut nodes = vec![node(
        CLIENT,
        "client".into(),
        "client".into(),
        "client",
        0,
        0,
        cfg.workload.describe(),
    )];
    for (j, c) in w.caches.iter().enumerate() {
        nodes.push(node(
            c.node,
            format!("cache-{}", c.policy.id()),
            format!("cache ({})", c.policy.title()),
            "cache",
            1,
            j as u32,
            format!(
                "{} entries{}",
                cfg.capacity,
                cfg.ttl.map_or(String::new(), |t| format!(", TTL {t}"))
            ),
        ));
    }
    nodes.push(node(
        w.db,
        "database".into(),
        "database".into(),
        "database",
        2,
        0,
        format!("answers in {}", cfg.db_time),
    ));
    let names = w.names;
    let per_policy: Vec<serde_json::Value> = w
        .caches
        .iter()
        .map(|c| {
            let total = c.counts.hits + c.counts.misses;
            let p = c.store.policy();
            let lists: serde_json::Map<String, serde_json::Value> = p
                .list_names()
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let v = p.list(i, 50, &|x| names.name(x));
                    (l.to_string(), json!({ "items": v.items, "more": v.more }))
                })
                .collect();
            let mean = if total == 0 {
                0.0
            } else {
                (c.counts.hits as f64 * w.hit_latency().as_micros() as f64
                    + c.counts.misses as f64 * w.miss_latency().as_micros() as f64)
                    / total as f64
            };
            let mut v = json!({
                "policy": c.policy.id(),
                "hits": c.counts.hits,
                "misses": c.counts.misses,
                "evictions": c.counts.evictions,
                "expired": c.counts.expired,
                "hit_ratio": ratio(c.counts.hits, total),
                "db_reads": c.counts.misses,
                "latency_us": { "hit": w.hit_latency().as_micros(), "miss": w.miss_latency().as_micros(), "mean": mean },
                "lists": lists,
            });
            if c.counts.lost_in_crash > 0 || !cfg.faults.is_empty() {
                v["lost_in_crash"] = json!(c.counts.lost_in_crash);
            }
            if w.detail {
                v["outcomes"] = json!(c.counts.outcomes);
                v["evicted_keys"] =
                    json!(c.counts.evicted.iter().map(|&x| names.name(x)).collect::<Vec<_>>());
            }
            v
        })
        .collect();
    let mut result = json!({
        "mode": "eviction",
        "workload": cfg.workload.describe(),
        "accesses": n,
        "distinct_keys": names.count(),
        "capacity": cfg.capacity,
        "policies": per_policy,
        "kernel_events": w.sched.processed(),
    });
    if w.caches.len() == 1 {
        let c = &w.caches[0];
        let total = c.counts.hits + c.counts.misses;
        for (key, value) in [
            ("policy", json!(c.policy.id())),
            ("hits", json!(c.counts.hits)),
            ("misses", json!(c.counts.misses)),
            ("evictions", json!(c.counts.evictions)),
            ("hit_ratio", json!(ratio(c.counts.hits, total))),
        ] {
            result[key] = value;
        }
    }
    let mut series = Vec::new();
    for c in &w.caches {
        series.push(c.buckets.hit_ratio(c.policy.title()));
    }
    for c in &w.caches {
        series.push(c.buckets.hit_ratio_so_far(c.policy.title()));
    }
    for c in &w.caches {
        series.push(c.buckets.db_load(c.policy.title(), end));
    }
    for c in &w.caches {
        series.push(c.buckets.mean_latency(c.policy.title()));
    }
    for c in &mut w.caches {
        if let Some(level) = c.p.take() {
            series.push(level.finish(end, "ARC target p", "p (target size of T1)", "entries"));
        }
    }
    assemble(end, nodes, w.trace, series, result)
}
