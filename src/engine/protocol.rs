//! The messages between the page and the engine worker: what to run, and the run coming back in
//! pieces small enough that decoding any one of them never blocks the page for long.
//!
//! Messages cross as bincode (gloo-worker's [`Bincode`](gloo::worker::Bincode) codec): decoding
//! a binary message is a fraction of decoding JSON text, and the page's bundle links no JSON
//! decoder at all. Two parts of a run bincode cannot carry as they are cross as mirrors: the
//! head's JSON values (`params`, `result`) as [`WireValue`]s, and the events, whose JSON form is
//! internally tagged (`{"type": "hop", ...}`), as [`WireEvent`]s.
//!
//! Both sides are this crate, so a message that fails to decode is a bug, not bad input: the
//! codec panics (and the page shows its panic panel). Everything a person typed is validated in
//! the worker again by the same `Params::parse` as the CLI, and a problem comes back as
//! [`Response::Failed`].

use hopscope_sim::kernel::run::Label;
use hopscope_sim::{Event, Node, NodeId, Run, Series, SimTime, Step};
use serde::{Deserialize, Serialize};

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
    /// [`RESULT_ARRAY_CAP`]).
    Head {
        job: JobId,
        head: RunHead,
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

/// A run without its events and series: what the page needs first ([`Response::Head`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunHead {
    pub scenario: String,
    pub seed: u64,
    pub params: Vec<(String, WireValue)>,
    pub duration: SimTime,
    pub nodes: Vec<Node>,
    pub events_until: Option<SimTime>,
    pub steps: Vec<Step>,
    pub result: WireValue,
}

impl RunHead {
    /// The head of `run` (its events and series are left out) with `result` for its result:
    /// the run's own or a copy cut for the page ([`cut_result`]).
    pub fn of(run: &Run, result: &serde_json::Value) -> RunHead {
        RunHead {
            scenario: run.scenario.clone(),
            seed: run.seed,
            params: run
                .params
                .iter()
                .map(|(k, v)| (k.clone(), WireValue::from(v)))
                .collect(),
            duration: run.duration,
            nodes: run.nodes.clone(),
            events_until: run.events_until,
            steps: run.steps.clone(),
            result: WireValue::from(result),
        }
    }

    /// The run with no events and no series yet.
    pub fn into_run(self) -> Run {
        Run {
            scenario: self.scenario,
            seed: self.seed,
            params: self
                .params
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::from(v)))
                .collect(),
            duration: self.duration,
            nodes: self.nodes,
            events: Vec::new(),
            events_until: self.events_until,
            steps: self.steps,
            series: Vec::new(),
            result: serde_json::Value::from(self.result),
        }
    }
}

/// A JSON value on the wire: the same tree as [`serde_json::Value`], whose decoding needs a
/// self-describing format, externally tagged. Numbers keep their kind (a `u64` stays a `u64`, a
/// float its exact bits) and objects their key order, so a value comes back equal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireValue {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<WireValue>),
    Object(Vec<(String, WireValue)>),
}

impl From<&serde_json::Value> for WireValue {
    fn from(v: &serde_json::Value) -> WireValue {
        use serde_json::Value;
        match v {
            Value::Null => WireValue::Null,
            Value::Bool(b) => WireValue::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => WireValue::U64(u),
                (None, Some(i)) => WireValue::I64(i),
                // Every other number is an f64 (serde_json without `arbitrary_precision`).
                (None, None) => WireValue::F64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => WireValue::String(s.clone()),
            Value::Array(a) => WireValue::Array(a.iter().map(WireValue::from).collect()),
            Value::Object(m) => WireValue::Object(
                m.iter()
                    .map(|(k, v)| (k.clone(), WireValue::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<WireValue> for serde_json::Value {
    fn from(v: WireValue) -> serde_json::Value {
        use serde_json::Value;
        match v {
            WireValue::Null => Value::Null,
            WireValue::Bool(b) => Value::Bool(b),
            WireValue::U64(u) => Value::from(u),
            WireValue::I64(i) => Value::from(i),
            // A JSON value holds no NaN or infinity: `from_f64` fails only on those.
            WireValue::F64(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            WireValue::String(s) => Value::String(s),
            WireValue::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            WireValue::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
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
                head: RunHead::of(&run, &run.result),
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
            let mut back = head.into_run();
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
