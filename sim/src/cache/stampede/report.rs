//! The end of a `stampede` run: the summary step, the result, the nodes and the series.

use super::{World, CACHE, CLIENT, DB};
use crate::cache::config::Fix;
use crate::cache::narration;
use crate::cache::scenario::{assemble, node, pct, ratio};
use crate::kernel::run::{Run, Series};
use crate::kernel::stats::Percentiles;
use serde_json::json;

pub(super) fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let cfg = w.cfg;
    let c = &w.counts;
    let per_expiry = if c.expirations == 0 {
        0.0
    } else {
        c.db_queries as f64 / c.expirations as f64
    };
    let per = if c.expirations == 0 {
        "the key never expired".to_string()
    } else {
        format!("{per_expiry:.1} per expiry")
    };
    w.trace.step(end, Some(DB), format!(
        "Done: {} requests, {} hits; the database ran {} queries ({per}), at most {} at once or waiting.",
        narration::thousands(c.requests),
        pct(c.hits, c.hits + c.misses),
        narration::thousands(c.db_queries),
        c.peak_db
    ));
    let max = w.latencies.iter().copied().max().unwrap_or(0);
    let lat = Percentiles::of(&mut w.latencies);
    let c = &w.counts;
    let result = json!({
        "mode": "stampede",
        "fix": match cfg.fix { Fix::None => "none", Fix::SingleFlight => "single_flight", Fix::XFetch => "xfetch", Fix::Lock => "lock" },
        "policy": cfg.policies[0].id(),
        "accesses": n,
        "requests": c.requests,
        "hits": c.hits,
        "misses": c.misses,
        "hit_ratio": ratio(c.hits, c.hits + c.misses),
        "expirations": c.expirations,
        "db_queries": c.db_queries,
        "db_queries_per_expiry": per_expiry,
        "peak_db_load": c.peak_db,
        "coalesced": c.coalesced,
        "lock_retries": c.lock_retries,
        "early_refreshes": c.early_refreshes,
        "latency_us": { "p50": lat.p50, "p95": lat.p95, "p99": lat.p99, "mean": lat.mean, "max": max },
        "kernel_events": w.sched.processed(),
    });
    let nodes = vec![
        node(
            CLIENT,
            "clients".into(),
            "app servers".into(),
            "client",
            0,
            0,
            narration::pace(cfg),
        ),
        node(
            CACHE,
            "cache".into(),
            "cache".into(),
            "cache",
            1,
            0,
            format!(
                "TTL {}",
                cfg.ttl.map_or("none".to_string(), |t| t.to_string())
            ),
        ),
        node(
            DB,
            "database".into(),
            "database".into(),
            "database",
            2,
            0,
            format!("{} per query, {} at a time", cfg.db_time, cfg.db_slots),
        ),
    ];
    let name = match cfg.fix {
        Fix::None => "no fix",
        Fix::SingleFlight => "single flight",
        Fix::XFetch => "XFetch",
        Fix::Lock => "lock",
    };
    let mut series: Vec<Series> = vec![
        w.buckets.db_load(name, end),
        w.db_level
            .finish(end, "Database queries running or queued", name, "queries"),
        w.buckets.hit_ratio(name),
    ];
    series.extend(w.latency.finish("Latency percentiles", "ms"));
    assemble(end, nodes, w.trace, series, result)
}
