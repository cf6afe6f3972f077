//! The messages between the page and the engine worker: what to run, and the run coming back in
//! pieces small enough that decoding any one of them never blocks the page for long.
//!
//! Messages cross as bincode (gloo-worker's [`Bincode`](gloo::worker::Bincode) codec): decoding
//! a binary message is a fraction of decoding JSON text, and the page's bundle links no JSON
//! decoder for events. Two parts of a run bincode cannot carry cross differently: the head's
//! JSON values (`params`, `result`) as JSON text ([`RunHead`]), and the events, whose JSON form
//! is internally tagged (`{"type": "hop", ...}`), as [`WireEvent`]s.
//!
//! Both sides are this crate, so a message that fails to decode is a bug, not bad input: the
//! codec panics (and the page shows its panic panel). Everything a person typed is validated in
//! the worker again by the same `Params::parse` as the CLI, and a problem comes back as
//! [`Response::Failed`].

use hopscope_sim::kernel::run::Label;
use hopscope_sim::{Event, Node, NodeId, Run, Series, SimTime, Step};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Events per [`Response::Events`] message: decoding and indexing this many takes the page a
/// few milliseconds (10,000 took 50–120 ms: long tasks).
pub const EVENTS_PER_CHUNK: usize = 2_000;

/// Series per [`Response::Series`] message: a 100-backend run's series in one head took the page
/// 60–90 ms to decode.
pub const SERIES_PER_CHUNK: usize = 4;

/// Arrays in a run's `result` longer than this reach the page cut to this length (the whole
/// result is in the downloaded JSON): a million-entry `assignments` list would take the page
/// longer to decode than a frame.
pub const RESULT_ARRAY_CAP: usize = 2_000;

/// A job number: the page numbers its requests, every response names the one it answers.
pub type JobId = u64;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Run a scenario: the block id, the parameters as `key=value` pairs, the seed.
    Run {
        job: JobId,
        scenario: String,
        params: Vec<(String, String)>,
        seed: u64,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// Work done so far, in the block's own units (requests, accesses).
    Progress {
        job: JobId,
        done: u64,
        total: u64,
    },
    /// The run without its series and events, which follow: `series` series in
    /// [`Response::Series`] messages, then `events` events in [`Response::Events`] messages.
    /// `cut` names the `result` arrays that were shortened, with their whole length (see
    /// [`RESULT_ARRAY_CAP`]). `head` is a [`RunHead`] as JSON text.
    Head {
        job: JobId,
        head: String,
        series: usize,
        events: usize,
        cut: Vec<(String, usize)>,
    },
    Series {
        job: JobId,
        series: Vec<Series>,
    },
    Events {
        job: JobId,
        events: Vec<WireEvent>,
    },
    /// The last message of a run: the whole run as `hopscope run --json` prints it, as a
    /// `blob:` URL made by the worker (`None` if the browser refused to make one).
    Finished {
        job: JobId,
        json_url: Option<String>,
    },
    /// The scenario could not run (an unknown block or a parameter the worker refused).
    Failed {
        job: JobId,
        message: String,
    },
}

impl Response {
    pub fn job(&self) -> JobId {
        match self {
            Response::Progress { job, .. }
            | Response::Head { job, .. }
            | Response::Series { job, .. }
            | Response::Events { job, .. }
            | Response::Finished { job, .. }
            | Response::Failed { job, .. } => *job,
        }
    }
}

/// Shortens every array in `result` (down to a few levels of nesting) to `cap` items; returns
/// the dotted paths of the arrays it cut, with their lengths before.
pub fn cut_result(result: &mut serde_json::Value, cap: usize) -> Vec<(String, usize)> {
    const MAX_DEPTH: u32 = 4;
    fn walk(
        v: &mut serde_json::Value,
        path: String,
        depth: u32,
        cap: usize,
        cut: &mut Vec<(String, usize)>,
    ) {
        match v {
            serde_json::Value::Array(a) if a.len() > cap => {
                cut.push((path, a.len()));
                a.truncate(cap);
            }
            serde_json::Value::Array(a) if depth < MAX_DEPTH => {
                for (i, inner) in a.iter_mut().enumerate() {
                    walk(inner, format!("{path}.{i}"), depth + 1, cap, cut);
                }
            }
            serde_json::Value::Object(m) if depth < MAX_DEPTH => {
                for (k, inner) in m.iter_mut() {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(inner, p, depth + 1, cap, cut);
                }
            }
            _ => {}
        }
    }
    let mut cut = Vec::new();
    walk(result, String::new(), 0, cap, &mut cut);
    cut
}

/// A run without its events and series: what the page needs first, as JSON text in
/// [`Response::Head`] (`params` and `result` are JSON values, which only a self-describing format
/// carries).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunHead {
    pub scenario: String,
    pub seed: u64,
    pub params: BTreeMap<String, serde_json::Value>,
    pub duration: SimTime,
    pub nodes: Vec<Node>,
    pub events_until: Option<SimTime>,
    pub steps: Vec<Step>,
    pub result: serde_json::Value,
}

impl RunHead {
    /// The head of `run` (its events and series are left out).
    pub fn of(run: &Run) -> RunHead {
        RunHead {
            scenario: run.scenario.clone(),
            seed: run.seed,
            params: run.params.clone(),
            duration: run.duration,
            nodes: run.nodes.clone(),
            events_until: run.events_until,
            steps: run.steps.clone(),
            result: run.result.clone(),
        }
    }

    /// The run with no events and no series yet.
    pub fn into_run(self) -> Run {
        Run {
            scenario: self.scenario,
            seed: self.seed,
            params: self.params,
            duration: self.duration,
            nodes: self.nodes,
            events: Vec::new(),
            events_until: self.events_until,
            steps: self.steps,
            series: Vec::new(),
            result: self.result,
        }
    }
}

/// An [`Event`] on the wire: the same fields in order, externally tagged by variant index
/// (bincode cannot decode the internally tagged JSON form, which needs a self-describing format).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireEvent {
    Hop(SimTime, SimTime, NodeId, NodeId, u64, Label),
    Drop(SimTime, NodeId, u64, Label),
    Gauge(SimTime, NodeId, Label, f64),
    Entry(SimTime, NodeId, Label, Label, Option<SimTime>),
    Remove(SimTime, NodeId, Label, Label),
    List(SimTime, NodeId, Label, Vec<String>, u64),
}

impl From<&Event> for WireEvent {
    fn from(e: &Event) -> WireEvent {
        match e.clone() {
            Event::Hop {
                at,
                arrive,
                from,
                to,
                msg,
                label,
            } => WireEvent::Hop(at, arrive, from, to, msg, label),
            Event::Drop {
                at,
                node,
                msg,
                reason,
            } => WireEvent::Drop(at, node, msg, reason),
            Event::Gauge {
                at,
                node,
                name,
                value,
            } => WireEvent::Gauge(at, node, name, value),
            Event::Entry {
                at,
                node,
                key,
                value,
                expires,
            } => WireEvent::Entry(at, node, key, value, expires),
            Event::Remove {
                at,
                node,
                key,
                reason,
            } => WireEvent::Remove(at, node, key, reason),
            Event::List {
                at,
                node,
                name,
                items,
                more,
            } => WireEvent::List(at, node, name, items, more),
        }
    }
}

impl From<WireEvent> for Event {
    fn from(e: WireEvent) -> Event {
        match e {
            WireEvent::Hop(at, arrive, from, to, msg, label) => Event::Hop {
                at,
                arrive,
                from,
                to,
                msg,
                label,
            },
            WireEvent::Drop(at, node, msg, reason) => Event::Drop {
                at,
                node,
                msg,
                reason,
            },
            WireEvent::Gauge(at, node, name, value) => Event::Gauge {
                at,
                node,
                name,
                value,
            },
            WireEvent::Entry(at, node, key, value, expires) => Event::Entry {
                at,
                node,
                key,
                value,
                expires,
            },
            WireEvent::Remove(at, node, key, reason) => Event::Remove {
                at,
                node,
                key,
                reason,
            },
            WireEvent::List(at, node, name, items, more) => Event::List {
                at,
                node,
                name,
                items,
                more,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_result_arrays_are_cut_and_named() {
        let mut r = json!({
            "assignments": [0, 1, 2, 0, 1],
            "served": [3, 2],
            "policies": { "lru": { "outcomes": [1, 0, 1, 1] }, "hits": 3 },
            "all": [{ "ids": [5, 6, 7, 8] }],
        });
        let cut = cut_result(&mut r, 3);
        let cut: Vec<(&str, usize)> = cut.iter().map(|(p, n)| (p.as_str(), *n)).collect();
        assert_eq!(
            cut,
            [
                ("all.0.ids", 4),
                ("assignments", 5),
                ("policies.lru.outcomes", 4)
            ]
        );
        assert_eq!(r["assignments"], json!([0, 1, 2]));
        assert_eq!(r["served"], json!([3, 2]));
        assert_eq!(r["policies"]["lru"]["outcomes"], json!([1, 0, 1]));
    }

    /// What the worker sends, through the codec the worker and the page use (bincode), back
    /// into the run: every block's default run and an overloaded balancer (drops), with every
    /// kind of event the blocks emit.
    #[test]
    fn every_blocks_run_crosses_the_wire_whole() {
        use hopscope_sim::{registry, run_scenario};
        let overloaded = [("capacity", "1"), ("queue", "0"), ("rate", "5000")];
        let cases = registry::blocks()
            .iter()
            .map(|b| (*b, &[][..]))
            .chain([(registry::find("lb").unwrap(), &overloaded[..])]);
        let mut kinds = std::collections::BTreeSet::new();
        for (block, params) in cases {
            let run = run_scenario(block, params, 3).expect("the scenario runs");
            let head = Response::Head {
                job: 1,
                head: serde_json::to_string(&RunHead::of(&run)).unwrap(),
                series: run.series.len(),
                events: run.events.len(),
                cut: Vec::new(),
            };
            let events = Response::Events {
                job: 1,
                events: run.events.iter().map(WireEvent::from).collect(),
            };
            let series = Response::Series {
                job: 1,
                series: run.series.clone(),
            };
            let [head, events, series] = [head, events, series].map(|m| {
                let bytes = bincode::serialize(&m).unwrap();
                let back: Response = bincode::deserialize(&bytes).unwrap();
                assert_eq!(back, m, "{}", block.id());
                back
            });
            let (
                Response::Head { head, .. },
                Response::Events { events, .. },
                Response::Series { series, .. },
            ) = (head, events, series)
            else {
                unreachable!()
            };
            let mut back = serde_json::from_str::<RunHead>(&head).unwrap().into_run();
            back.events = events.into_iter().map(Event::from).collect();
            back.series = series;
            for e in &back.events {
                kinds.insert(
                    serde_json::to_value(e).unwrap()["type"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                );
            }
            assert_eq!(back, run, "{}", block.id());
        }
        assert_eq!(
            kinds.into_iter().collect::<Vec<_>>(),
            ["drop", "entry", "gauge", "hop", "list", "remove"]
        );
    }

    #[test]
    fn a_response_names_its_job() {
        let m = Response::Progress {
            job: 4,
            done: 10,
            total: 20,
        };
        assert_eq!(m.job(), 4);
    }
}
