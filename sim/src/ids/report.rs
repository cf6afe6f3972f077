//! The end of a run: the topology, the series for the charts and the result document.
//!
//! `result` of a run of `ids` (the `hopscope run ids --json` document's last part):
//!
//! | key | meaning |
//! |---|---|
//! | `generator` | the scheme: `snowflake`, `sonyflake`, `uuid4`, `uuid7`, `ulid`, `ticket`, `central`, `naive` |
//! | `requested`, `issued` | requests made, IDs handed out |
//! | `ids` | the first 1000 IDs in canonical text (decimal; lowercase 8-4-4-4-12; 26-character ULID), in issue order; `ids_listed` says how many |
//! | `decoded` | the first 20 IDs field by field: `format`, `title`, `canonical`, `width`, `value` (decimal string), `unix_ms`, `utc`, `fields` [`key`, `label`, `offset` (from the most significant bit), `width`, `raw` (decimal string), `meaning`] |
//! | `duplicates`, `duplicate_ids` | IDs the database's unique index rejected as already present (count; the first 50) |
//! | `inversions` | IDs smaller than an ID issued earlier in true time |
//! | `waits`, `refusals`, `failures` | requests held back by their generator; refused by it (Snowflake on a clock step back, ULID overflow); failed after a timeout (central, ticket) |
//! | `page_splits`, `index` | B-tree page splits of the IDs' index; per index (`format`, `inserts`, `page_splits`, `leaf_splits`, `internal_splits`, `splits_per_100_inserts`, `pages_written`, `leaf_pages`, `height`, `leaf_fill`, `duplicates_rejected`) |
//! | `latency_us` | request to ID: `p50`, `p95`, `p99`, `mean` |
//! | `per_worker` | `name`, `datacenter`, `worker` (as configured), `issued`, `waits`, `refusals`, `failures`, `clock_error_ms_at_end` |
//! | `birthday` | uuid4 only: `random_bits` (122), `n`, `probability`, `log10_probability`, `n_for_50_percent`, `table` [`n`, `probability`] |
//! | `remote` | central and ticket only: `round_trips`, `timeouts`, `failovers`, `wasted_ids`, `servers` [`name`, `granted`] |
//! | `kernel_events` | events the scheduler processed |
//!
//! Series: `IDs issued`; `Trouble` (duplicates, refused, waited or timed out); `Out-of-order
//! IDs`; `Clock spread` and `Worker clock error` (local generators); `Busiest millisecond` or
//! `Busiest 10 ms tick` with its `ceiling` (Snowflake, naive, Sonyflake); `Latency to get an ID`
//! (p50, p99); `Birthday bound` (uuid4); `Server queue` (central, ticket); `Index page splits per
//! 100 inserts` and `Index leaf pages written`, one line per index.

use super::birthday;
use super::decode::Decoded;
use super::fleet::Generator;
use super::scenario::Sim;
use super::{sequencer, snowflake, sonyflake, ticket, ulid::Ulid, uuid::Uuid};
use crate::kernel::run::{Node, Point, Run, Series};
use crate::kernel::stats::{CountSeries, GaugeSeries, Percentiles, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use serde_json::json;

/// How many IDs the result lists (the totals count all of them).
pub const IDS_KEPT: usize = 1000;
/// How many IDs the result decodes field by field.
pub const DECODED_KEPT: usize = 20;
/// How many repeated IDs the result lists.
pub const DUPLICATES_KEPT: usize = 50;
/// Workers with their own line on the clock chart.
const CLOCK_LINES: usize = 8;

/// The fields of an ID this run issued.
pub fn describe(sim: &Sim, id: u128) -> Option<Decoded> {
    match sim.cfg.generator {
        Generator::Snowflake | Generator::Naive => {
            snowflake::describe(id as u64, sim.cfg.epoch_ms).ok()
        }
        Generator::Sonyflake => sonyflake::describe(id as u64, sim.cfg.sonyflake_start_ms).ok(),
        Generator::UuidV4 | Generator::UuidV7 => Uuid(id).describe().ok(),
        Generator::Ulid => Some(Ulid(id).describe()),
        Generator::Ticket => ticket::describe(id as u64).ok(),
        Generator::Central => Some(sequencer::describe(id as u64)),
    }
}

fn nodes(sim: &Sim) -> Vec<Node> {
    let g = sim.cfg.generator;
    let mut out = Vec::new();
    for w in &sim.workers {
        let who = w.who;
        let mut detail = match g {
            Generator::Sonyflake => format!(
                "datacenter {}, machine id {} (10.0.{}.{})",
                who.datacenter,
                who.machine_id(),
                who.cfg_datacenter,
                who.cfg_worker + 1
            ),
            _ => format!(
                "datacenter {}, worker id {}",
                who.cfg_datacenter, who.cfg_worker
            ),
        };
        if (who.cfg_datacenter, who.cfg_worker) != (who.datacenter, who.worker) {
            detail.push_str(" (misconfigured: the same ids as worker 1)");
        }
        if !g.is_remote() {
            detail.push_str(&format!(
                "; clock {:+.1} ms at start",
                w.clock.error_us(SimTime::ZERO) as f64 / 1000.0
            ));
        }
        out.push(Node {
            id: who.index,
            name: format!("worker-{}", who.index + 1),
            label: format!("worker {}", who.index + 1),
            role: "worker".into(),
            col: 0,
            row: who.index,
            detail,
        });
    }
    for (i, _) in sim.servers.iter().enumerate() {
        let (name, label, role, detail) = match g {
            Generator::Central => (
                "sequencer".to_string(),
                "sequencer".to_string(),
                "sequencer",
                format!("one counter; {} per request", sim.cfg.service),
            ),
            _ => (
                format!("ticket-{}", i + 1),
                format!("ticket server {}", i + 1),
                "ticket",
                format!("MySQL, auto-increment-increment 2, offset {}", i + 1),
            ),
        };
        out.push(Node {
            id: out.len() as u32,
            name,
            label,
            role: role.into(),
            col: 1,
            row: i as u32,
            detail,
        });
    }
    out.push(Node {
        id: sim.db,
        name: "database".into(),
        label: "database".into(),
        role: "database".into(),
        col: if sim.servers.is_empty() { 1 } else { 2 },
        row: 0,
        detail: format!(
            "the table the IDs key, with a unique B-tree index of {} keys per page",
            sim.cfg.page_keys
        ),
    });
    out
}

/// Points at the end of every bucket up to `end`.
fn sampled(width: SimDuration, end: SimTime, f: impl Fn(SimTime) -> f64) -> Vec<Point> {
    let w = width.0.max(1);
    (1..=end.0 / w + 1)
        .map(|k| Point(SimTime(k * w), f(SimTime(k * w))))
        .collect()
}

fn series(chart: &str, name: &str, unit: &str, points: Vec<Point>) -> Series {
    Series {
        chart: chart.into(),
        name: name.into(),
        unit: unit.into(),
        points,
    }
}

pub fn finish(mut sim: Sim, seed: u64) -> Run {
    let end = sim.sched.now();
    let g = sim.cfg.generator;
    let width = sim.width;
    let nodes = nodes(&sim);
    let mut out: Vec<Series> = Vec::new();

    let issued = std::mem::replace(&mut sim.issued_s, CountSeries::new(width)).finish(
        end,
        "IDs issued",
        "issued",
        "IDs",
    );
    let cumulative: Vec<Point> = issued
        .points
        .iter()
        .scan(0.0, |sum, p| {
            *sum += p.1;
            Some(Point(p.0, *sum))
        })
        .collect();
    out.push(issued);
    let take = |s: &mut CountSeries| std::mem::replace(s, CountSeries::new(width));
    out.push(take(&mut sim.dup_s).finish(end, "Trouble", "duplicates", "IDs"));
    if g.is_remote() {
        out.push(take(&mut sim.failed_s).finish(end, "Trouble", "timed out", "requests"));
    } else {
        out.push(take(&mut sim.refused_s).finish(end, "Trouble", "refused", "requests"));
        out.push(take(&mut sim.waited_s).finish(end, "Trouble", "waited", "requests"));
    }
    out.push(take(&mut sim.inversion_s).finish(end, "Out-of-order IDs", "out of order", "IDs"));
    if !g.is_remote() {
        let workers = &sim.workers;
        out.push(series(
            "Clock spread",
            "max − min clock error",
            "ms",
            sampled(width, end, |t| {
                let errs = workers.iter().map(|w| w.clock.error_us(t));
                let (lo, hi) =
                    errs.fold((i64::MAX, i64::MIN), |(lo, hi), e| (lo.min(e), hi.max(e)));
                (hi - lo) as f64 / 1000.0
            }),
        ));
        for w in workers.iter().take(CLOCK_LINES) {
            out.push(series(
                "Worker clock error",
                &format!("worker {}", w.who.index + 1),
                "ms",
                sampled(width, end, |t| w.clock.error_us(t) as f64 / 1000.0),
            ));
        }
    }
    let ceiling = match g {
        Generator::Snowflake | Generator::Naive => {
            Some(("Busiest millisecond", "IDs in one ms on one worker", 4096.0))
        }
        Generator::Sonyflake => Some((
            "Busiest 10 ms tick",
            "IDs in one tick on one machine",
            256.0,
        )),
        _ => None,
    };
    let peak = std::mem::replace(&mut sim.peak_s, GaugeSeries::new(width));
    if let Some((chart, name, cap)) = ceiling {
        let p = peak.finish(end, chart, name, "IDs");
        let cap_points = p.points.iter().map(|q| Point(q.0, cap)).collect();
        out.push(p);
        out.push(series(chart, "ceiling", "IDs", cap_points));
    }
    let latency = std::mem::replace(&mut sim.latency_s, QuantileSeries::new(width, &[50.0], 1.0));
    out.extend(latency.finish("Latency to get an ID", "ms"));
    if g == Generator::UuidV4 {
        let pts = cumulative
            .iter()
            .filter_map(|p| birthday::log10_collision_probability(p.1).map(|l| Point(p.0, l)))
            .collect();
        out.push(series(
            "Birthday bound",
            "log10 P(any repeat so far)",
            "log10",
            pts,
        ));
    }
    let server_names: Vec<String> = match g {
        Generator::Central => vec!["sequencer".into()],
        _ => vec!["ticket server 1".into(), "ticket server 2".into()],
    };
    let servers = std::mem::take(&mut sim.servers);
    let mut per_server = Vec::new();
    for (s, name) in servers.into_iter().zip(server_names) {
        per_server.push(json!({ "name": name, "granted": s.granted }));
        out.push(s.load.finish(end, "Server queue", &name, "requests"));
    }

    let mut index_json = Vec::new();
    let mut index_summary = Vec::new();
    for track in std::mem::take(&mut sim.indexes) {
        let name = track.name;
        let (splits, leaves, tree) = track.finish(end);
        out.push(splits);
        out.push(leaves);
        let t = tree.totals();
        let per100 = if t.inserts == 0 {
            0.0
        } else {
            100.0 * (t.leaf_splits + t.internal_splits) as f64 / t.inserts as f64
        };
        index_summary.push(format!(
            "{name} {per100:.2} splits per 100 inserts, leaves {:.0} % full",
            tree.leaf_fill() * 100.0
        ));
        index_json.push(json!({
            "format": name,
            "inserts": t.inserts,
            "page_splits": t.leaf_splits + t.internal_splits,
            "leaf_splits": t.leaf_splits,
            "internal_splits": t.internal_splits,
            "splits_per_100_inserts": per100,
            "pages_written": t.pages_written,
            "leaf_pages": tree.leaf_pages(),
            "height": tree.height(),
            "leaf_fill": tree.leaf_fill(),
            "duplicates_rejected": t.duplicates,
        }));
    }

    // Closing narration.
    let mut done = format!(
        "Done at {end}: {} of {} IDs issued, {} duplicate{}, {} out of order",
        sim.issued,
        sim.cfg.count,
        sim.duplicates,
        if sim.duplicates == 1 { "" } else { "s" },
        sim.inversions
    );
    if g.is_remote() {
        done.push_str(&format!(
            ", {} failed after a timeout, {} round trips.",
            sim.failures, sim.round_trips
        ));
    } else {
        done.push_str(&format!(
            ", {} waited, {} refused.",
            sim.waits, sim.refusals
        ));
    }
    sim.trace.step(end, None, done);
    if sim.cfg.index_compare {
        sim.trace.step(
            end,
            Some(sim.db),
            format!("Index locality: {}.", index_summary.join("; ")),
        );
    }
    let n = sim.issued as f64;
    if g == Generator::UuidV4 {
        sim.trace.step(end, None, format!(
            "The chance that these {} UUIDv4s contain a repeat is 1 − exp(−n(n−1)/2^123) = {:.3e}; a 50 % chance takes {:.3e} of them.",
            sim.issued, birthday::collision_probability(n), birthday::count_for_probability(0.5)
        ));
    }

    let mut lat = std::mem::take(&mut sim.latencies);
    let latency_us = Percentiles::of(&mut lat);
    let ids: Vec<String> = sim.ids.iter().map(|&id| g.text(id)).collect();
    let decoded: Vec<Decoded> = sim
        .ids
        .iter()
        .take(DECODED_KEPT)
        .filter_map(|&id| describe(&sim, id))
        .collect();
    let per_worker: Vec<_> = sim
        .workers
        .iter()
        .map(|w| {
            json!({
                "name": format!("worker-{}", w.who.index + 1),
                "datacenter": w.who.cfg_datacenter,
                "worker": w.who.cfg_worker,
                "issued": w.issued,
                "waits": w.waits,
                "refusals": w.refusals,
                "failures": w.failures,
                "clock_error_ms_at_end": w.clock.error_us(end) as f64 / 1000.0,
            })
        })
        .collect();
    let mut result = json!({
        "generator": g.key(),
        "requested": sim.cfg.count,
        "issued": sim.issued,
        "ids": ids,
        "ids_listed": sim.ids.len(),
        "decoded": decoded,
        "duplicates": sim.duplicates,
        "duplicate_ids": sim.duplicate_ids.iter().map(|&id| g.text(id)).collect::<Vec<_>>(),
        "inversions": sim.inversions,
        "waits": sim.waits,
        "refusals": sim.refusals,
        "failures": sim.failures,
        "page_splits": index_json.first().map(|v| v["page_splits"].clone()).unwrap_or(json!(0)),
        "index": index_json,
        "latency_us": latency_us,
        "per_worker": per_worker,
        "kernel_events": sim.sched.processed(),
    });
    if g == Generator::UuidV4 {
        let table: Vec<_> = [1e3, 1e6, 1e9, 1e12, 1e15, 1e18, 2f64.powi(61), 1e19, 1e20]
            .iter()
            .map(|&k| json!({ "n": k, "probability": birthday::collision_probability(k) }))
            .collect();
        result["birthday"] = json!({
            "random_bits": 122,
            "n": sim.issued,
            "probability": birthday::collision_probability(n),
            "log10_probability": birthday::log10_collision_probability(n),
            "n_for_50_percent": birthday::count_for_probability(0.5),
            "table": table,
        });
    }
    if g.is_remote() {
        result["remote"] = json!({
            "round_trips": sim.round_trips,
            "timeouts": sim.timeouts,
            "failovers": sim.failovers,
            "wasted_ids": sim.wasted,
            "servers": per_server,
        });
    }
    let (events, events_until, steps) = sim.trace.finish();
    Run {
        scenario: String::new(),
        seed,
        params: Default::default(),
        duration: end,
        nodes,
        events,
        events_until,
        steps,
        series: out,
        result,
    }
}
