//! The end of a `write` run: the summary step, the result, the nodes and the series.

use super::{World, CACHE, CLIENT, DB};
use crate::cache::config::WritePolicy;
use crate::cache::scenario::{assemble, node, pct, ratio};
use crate::kernel::run::{Run, Series};
use crate::kernel::stats::Percentiles;
use serde_json::json;

pub(super) fn finish(mut w: World, n: usize) -> Run {
    let end = w.sched.now();
    let cfg = w.cfg;
    let c = &w.counts;
    let summary = format!(
        "Done: {} reads ({} hits), {} writes; {} stale reads; the database served {} reads and {} writes{}.",
        c.reads,
        pct(c.hits, c.hits + c.misses),
        c.writes,
        c.stale_reads,
        c.db_reads,
        c.db_writes,
        if c.lost_writes > 0 {
            format!("; {} acknowledged writes were lost in the crash", c.lost_writes)
        } else {
            String::new()
        }
    );
    w.trace.step(end, Some(CACHE), summary);
    let read = Percentiles::of(&mut w.read_lat);
    let write = Percentiles::of(&mut w.write_lat);
    let c = &w.counts;
    let result = json!({
        "mode": "write",
        "write_policy": cfg.write_policy.title(),
        "policy": cfg.policies[0].id(),
        "accesses": n,
        "reads": c.reads,
        "writes": c.writes,
        "hits": c.hits,
        "misses": c.misses,
        "evictions": c.evictions,
        "expired": c.expired,
        "hit_ratio": ratio(c.hits, c.hits + c.misses),
        "stale_reads": c.stale_reads,
        "stale_sets": c.stale_sets,
        "invalidations": c.invalidations,
        "db_reads": c.db_reads,
        "db_writes": c.db_writes,
        "flushes": c.flushes,
        "lost_writes": c.lost_writes,
        "lost_entries": c.lost_entries,
        "read_latency_us": read,
        "write_latency_us": write,
        "kernel_events": w.sched.processed(),
    });
    let nodes = vec![
        node(
            CLIENT,
            "client".into(),
            "client".into(),
            "client",
            0,
            0,
            format!("{:.0}% writes", cfg.write_ratio * 100.0),
        ),
        node(
            CACHE,
            "cache".into(),
            "cache".into(),
            "cache",
            1,
            0,
            format!(
                "{}, {} entries, {}",
                cfg.policies[0].title(),
                cfg.capacity,
                cfg.write_policy.title()
            ),
        ),
        node(
            DB,
            "database".into(),
            "database".into(),
            "database",
            2,
            0,
            format!("answers in {}", cfg.db_time),
        ),
    ];
    let name = cfg.write_policy.title();
    let mut series: Vec<Series> = vec![
        w.buckets.hit_ratio(name),
        w.buckets.db_load(name, end),
        w.buckets.mean_latency(name),
        w.stale.finish(end, "Stale reads", name, "reads"),
    ];
    if cfg.write_policy == WritePolicy::WriteBack {
        series.push(w.dirty_level.finish(end, "Dirty entries", name, "entries"));
    }
    assemble(end, nodes, w.trace, series, result)
}
