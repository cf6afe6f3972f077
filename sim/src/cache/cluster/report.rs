//! The end of a `cluster` run: the summary step, the nodes, the result (moved keys, per-node
//! load, the hot key) and the series.

use super::{node_id, World, CLIENT};
use crate::cache::faults::FaultKind;
use crate::cache::scenario::{assemble, node, pct, ratio};
use crate::kernel::run::{Run, Series};
use crate::kernel::time::SimTime;
use serde_json::json;

pub(super) fn finish(mut w: World, n: usize, total_nodes: usize) -> Run {
    let end = w.sched.now();
    let cfg = w.cfg;
    let total = w.total_hits + w.total_misses;
    let busiest = w
        .nodes
        .iter()
        .enumerate()
        .max_by_key(|(_, c)| c.requests)
        .map(|(j, c)| (j, c.requests))
        .unwrap_or((0, 0));
    w.trace.step(
        end,
        None,
        format!(
            "Done: {} hits overall; the busiest node, cache {}, served {} of the requests.",
            pct(w.total_hits, total),
            busiest.0 + 1,
            pct(busiest.1, total)
        ),
    );
    let mut nodes = vec![node(
        CLIENT,
        "client".into(),
        "client".into(),
        "client",
        0,
        0,
        cfg.workload.describe(),
    )];
    let adds: Vec<SimTime> = cfg
        .faults
        .iter()
        .filter(|f| f.kind == FaultKind::Add)
        .map(|f| f.at)
        .collect();
    for j in 0..total_nodes {
        let mut detail = if j >= cfg.nodes {
            format!("{} entries, joins at {}", cfg.capacity, adds[j - cfg.nodes])
        } else {
            format!("{} entries", cfg.capacity)
        };
        if let Some(f) = cfg.faults.iter().find(|f| f.kind == FaultKind::Remove(j)) {
            detail.push_str(&format!(", leaves at {}", f.at));
        }
        nodes.push(node(
            node_id(j as u32),
            format!("cache-{}", j + 1),
            format!("cache {}", j + 1),
            "cache",
            1,
            j as u32,
            detail,
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
    let moved: u64 = w.changes.iter().map(|c| c.moved).sum();
    let of = w.hashes.len() as u64;
    let other = if cfg.ring { "mod" } else { "ring" };
    let result = json!({
        "mode": "cluster",
        "sharding": if cfg.ring { "ring" } else { "mod" },
        "policy": cfg.policies[0].id(),
        "accesses": n,
        "hits": w.total_hits,
        "misses": w.total_misses,
        "evictions": w.nodes.iter().map(|c| c.evictions).sum::<u64>(),
        "hit_ratio": ratio(w.total_hits, total),
        "moved_keys": moved,
        "keys": of,
        "changes": w.changes.iter().map(|c| json!({
            "at_us": c.at.as_micros(),
            "change": c.what,
            "moved_keys": c.moved,
            "of": of,
            "moved_share": ratio(c.moved, of),
            "other_scheme": other,
            "other_scheme_moved_keys": c.other_moved,
        })).collect::<Vec<_>>(),
        "per_node": w.nodes.iter().enumerate().map(|(j, c)| json!({
            "node": j + 1,
            "requests": c.requests,
            "hits": c.hits,
            "misses": c.misses,
            "evictions": c.evictions,
            "share": ratio(c.requests, total),
        })).collect::<Vec<_>>(),
        "hot_key": w.hot.map(|_| json!({ "share": cfg.hot_share, "replicas": cfg.replicas, "reads": w.hot_reads })),
        "kernel_events": w.sched.processed(),
    });
    let label = if cfg.ring { "ring" } else { "mod N" };
    let mut series: Vec<Series> = vec![
        w.buckets.hit_ratio(label),
        w.buckets.db_load(label, end),
        w.buckets.mean_latency(label),
    ];
    let per_s = 1e6 / w.buckets.width().as_micros() as f64;
    for (j, c) in w.nodes.into_iter().enumerate() {
        let mut s = c.load.finish(
            end,
            "Requests per node",
            &format!("cache {}", j + 1),
            "req/s",
        );
        for p in &mut s.points {
            p.1 *= per_s;
        }
        series.push(s);
    }
    assemble(end, nodes, w.trace, series, result)
}
