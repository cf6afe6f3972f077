//! What a lookups run reports: the closing sentence of each lookup, the result document and the
//! charts (latency per lookup, cache hit ratio per layer).

use super::wire::tidy;
use super::{Outcome, ServedFrom};
use crate::dns::config::Config;
use crate::dns::label;
use crate::dns::message::Rcode;
use crate::dns::topology::Topology;
use crate::kernel::run::{Point, Run, Series};
use crate::kernel::time::SimTime;
use crate::kernel::trace::Trace;
use serde_json::json;

/// The closing sentence of a lookup.
pub(super) fn narrate_done(trace: &mut Trace, i: usize, o: &Outcome) {
    let what = match o.answer.rcode {
        Rcode::NoError if o.answer.records.is_empty() => {
            format!("no {} records (NODATA)", o.question.rtype)
        }
        Rcode::NoError => label::answer(&o.question, o.answer.rcode, &o.answer.records),
        Rcode::ServFail => format!("SERVFAIL ({})", o.failure.clone().unwrap_or_default()),
        other => other.to_string(),
    };
    let from = match o.served_from {
        ServedFrom::Browser => "from the browser's cache".to_string(),
        ServedFrom::Os => "from the OS cache".to_string(),
        ServedFrom::Resolver => "from the resolver's cache".to_string(),
        ServedFrom::Authoritative => format!(
            "after {} quer{} to name servers",
            o.queries.len(),
            if o.queries.len() == 1 { "y" } else { "ies" }
        ),
    };
    trace.step(
        o.end,
        None,
        tidy(format!(
            "Lookup {} done in {}: {} → {what}, {from}.",
            i + 1,
            o.end.since(o.start),
            o.question
        )),
    );
}

fn lookup_json(o: &Outcome) -> serde_json::Value {
    let queries: Vec<_> = o
        .queries
        .iter()
        .map(|s| {
            json!({
                "server": s.server.to_string(),
                "address": s.address.to_string(),
                "qname": s.question.name.to_string(),
                "qtype": s.question.rtype.to_string(),
                "outcome": s.outcome,
                "sent_us": s.sent,
                "rtt_us": s.replied.map(|r| r.since(s.sent).as_micros()),
            })
        })
        .collect();
    json!({
        "name": o.question.name.to_string(),
        "type": o.question.rtype.to_string(),
        "client": o.client + 1,
        "start_us": o.start,
        "rcode": o.answer.rcode.as_str(),
        "answer": o.answer.records.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "authority": o.answer.soa.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "served_from": o.served_from.as_str(),
        "latency_us": o.end.since(o.start).as_micros(),
        "queries": queries,
        "started_at": o.started_at.as_ref().map(|z| z.to_string()),
        "failure": o.failure,
    })
}

pub(super) fn finish(cfg: &Config, trace: Trace, topo: Topology, outcomes: Vec<Outcome>) -> Run {
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let layer_names = ["browser cache", "OS cache", "resolver cache"];
    let mut hits = [0u32; 3];
    let mut asked = [0u32; 3];
    let mut ratio: [Vec<Point>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut served = [0u32; 4];
    for o in &outcomes {
        let latency_ms = o.end.since(o.start).as_millis_f64();
        let point = Point(o.start, latency_ms);
        if o.served_from == ServedFrom::Authoritative {
            cold.push(point);
        } else {
            warm.push(point);
        }
        served[o.served_from as usize] += 1;
        for (l, seen) in o.layers.iter().enumerate() {
            if let Some(hit) = seen {
                asked[l] += 1;
                hits[l] += u32::from(*hit);
                ratio[l].push(Point(
                    o.end,
                    100.0 * f64::from(hits[l]) / f64::from(asked[l]),
                ));
            }
        }
    }
    let mut series = vec![
        Series {
            chart: "Resolution latency per lookup".into(),
            name: "cold: asked name servers".into(),
            unit: "ms".into(),
            points: cold,
        },
        Series {
            chart: "Resolution latency per lookup".into(),
            name: "warm: from a cache".into(),
            unit: "ms".into(),
            points: warm,
        },
    ];
    for (l, points) in ratio.into_iter().enumerate() {
        series.push(Series {
            chart: "Cache hit ratio per layer".into(),
            name: layer_names[l].into(),
            unit: "%".into(),
            points,
        });
    }
    let last = outcomes.last();
    let total: u64 = outcomes
        .iter()
        .map(|o| o.end.since(o.start).as_micros())
        .sum();
    let queries: usize = outcomes.iter().map(|o| o.queries.len()).sum();
    let timeouts: usize = outcomes
        .iter()
        .flat_map(|o| &o.queries)
        .filter(|q| q.replied.is_none())
        .count();
    let result = json!({
        "mode": "lookups",
        "zones": if cfg.custom_zones { "custom" } else { "default" },
        "rcode": last.map(|o| o.answer.rcode.as_str()),
        "answer": last.map(|o| o.answer.records.iter().map(|r| r.to_string()).collect::<Vec<_>>()).unwrap_or_default(),
        "latency_us": last.map(|o| o.end.since(o.start).as_micros()),
        "total_latency_us": total,
        "served_from": {
            "browser": served[ServedFrom::Browser as usize],
            "os": served[ServedFrom::Os as usize],
            "resolver": served[ServedFrom::Resolver as usize],
            "authoritative": served[ServedFrom::Authoritative as usize],
        },
        "queries_sent": queries,
        "timeouts": timeouts,
        "lookups": outcomes.iter().map(lookup_json).collect::<Vec<_>>(),
    });
    let (events, events_until, steps) = trace.finish();
    let duration = events
        .iter()
        .map(|e| match e {
            crate::kernel::run::Event::Hop { arrive, .. } => *arrive,
            other => other.at(),
        })
        .chain(steps.last().map(|s| s.at))
        .chain(outcomes.last().map(|o| o.end))
        .max()
        .unwrap_or(SimTime::ZERO);
    Run {
        scenario: String::new(),
        seed: 0,
        params: Default::default(),
        duration,
        nodes: topo.nodes,
        events,
        events_until,
        steps,
        series,
        result,
    }
}
