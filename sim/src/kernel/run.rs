//! The run: everything a scenario produced, as plain serialisable data.
//!
//! Views (topology, timeline, charts, narration), the CLI and the tests all read a `Run`; none of
//! them re-enters the simulation. The JSON form is documented in `docs/run-format.md` and is the
//! same document in the CLI (`hopscope run --json`) and the browser's download.

use super::time::SimTime;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Index of a node in `Run::nodes`.
pub type NodeId = u32;

/// Text that is usually a static label (no allocation in the hot loop) but may be owned.
pub type Label = Cow<'static, str>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The scenario (block) id, e.g. `lb`.
    pub scenario: String,
    pub seed: u64,
    /// Every parameter after defaults, typed (numbers, strings, lists).
    pub params: BTreeMap<String, serde_json::Value>,
    /// Virtual time of the last event: the end of the timeline.
    pub duration: SimTime,
    pub nodes: Vec<Node>,
    /// The time-ordered log: hops, drops and node gauges.
    pub events: Vec<Event>,
    /// `Some(t)` when the event log was cut to keep a big run small: hop detail exists up to `t`;
    /// series and result still cover the whole run.
    pub events_until: Option<SimTime>,
    /// Narrated checkpoints, in time order.
    pub steps: Vec<Step>,
    pub series: Vec<Series>,
    /// Block-specific facts a reader or a test checks (see each block's docs).
    pub result: serde_json::Value,
}

/// A participant in the topology.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    /// Stable machine name, e.g. `backend-2`.
    pub name: String,
    /// What a person reads on the diagram, e.g. `backend 2`.
    pub label: String,
    /// Role in the block (`client`, `lb`, `backend`, ...); views use it for shape and colour.
    pub role: String,
    /// Layout hint: column (left to right, by role) and row within the column.
    pub col: u32,
    pub row: u32,
    /// One line of extra detail (an address, a capacity).
    pub detail: String,
}

/// One entry of the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A message from `from` to `to`, sent at `at`, arriving at `arrive` (≥ `at`).
    Hop {
        at: SimTime,
        arrive: SimTime,
        from: NodeId,
        to: NodeId,
        msg: u64,
        label: Label,
    },
    /// A message refused or lost at `node`.
    Drop {
        at: SimTime,
        node: NodeId,
        msg: u64,
        reason: Label,
    },
    /// A numeric state of a node changed (e.g. `busy` = 2): views show the latest value.
    Gauge {
        at: SimTime,
        node: NodeId,
        name: Label,
        value: f64,
    },
    /// A keyed entry in a node's table (a cache line, a DNS record) was set; `expires`, when
    /// given, is when it stops being valid (views show the remaining TTL at the cursor).
    Entry {
        at: SimTime,
        node: NodeId,
        key: Label,
        value: Label,
        expires: Option<SimTime>,
    },
    /// A keyed entry left a node's table (evicted, invalidated, expired and purged).
    Remove {
        at: SimTime,
        node: NodeId,
        key: Label,
        reason: Label,
    },
    /// An ordered list a node keeps (an LRU recency list, ARC's T1, a queue) now holds `items`,
    /// front first. Views show the latest list of each name; `more` counts items left out to
    /// keep the log small.
    List {
        at: SimTime,
        node: NodeId,
        name: Label,
        items: Vec<String>,
        more: u64,
    },
}

impl Event {
    /// The time the event happened (for a hop: when it was sent).
    pub fn at(&self) -> SimTime {
        match self {
            Event::Hop { at, .. }
            | Event::Drop { at, .. }
            | Event::Gauge { at, .. }
            | Event::Entry { at, .. }
            | Event::Remove { at, .. }
            | Event::List { at, .. } => *at,
        }
    }
}

/// A narrated checkpoint: what a person reads when the cursor reaches `at`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub at: SimTime,
    pub text: String,
    /// The node the sentence is about, to highlight.
    pub node: Option<NodeId>,
}

/// One line on a chart. Series with the same `chart` are drawn together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// The chart's title, e.g. `In flight per backend`.
    pub chart: String,
    /// The line's name in the legend, e.g. `backend 1`.
    pub name: String,
    /// Unit of the values, e.g. `requests`, `ms`.
    pub unit: String,
    pub points: Vec<Point>,
}

/// A sample `(t, value)`; serialised as a two-element array `[t_us, value]`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point(pub SimTime, pub f64);

impl Run {
    /// The JSON document of the CLI's `--json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a run always serialises")
    }

    /// The `--summary` document: the run without `nodes`, `events`, `steps` and `series`.
    pub fn summary_json(&self) -> serde_json::Value {
        serde_json::json!({
            "scenario": self.scenario,
            "seed": self.seed,
            "params": self.params,
            "duration": self.duration,
            "events_until": self.events_until,
            "result": self.result,
        })
    }

    /// The series as CSV: `chart,series,unit,t_us,value`, one row per point.
    pub fn series_csv(&self) -> String {
        let mut out = String::from("chart,series,unit,t_us,value\n");
        for s in &self.series {
            for p in &s.points {
                out.push_str(&format!(
                    "{},{},{},{},{}\n",
                    csv_field(&s.chart),
                    csv_field(&s.name),
                    csv_field(&s.unit),
                    p.0 .0,
                    p.1
                ));
            }
        }
        out
    }
}

/// RFC 4180 quoting: fields with a comma, quote or newline are quoted, quotes doubled.
fn csv_field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_per_rfc_4180() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn events_serialise_with_a_type_tag() {
        let e = Event::Hop {
            at: SimTime(1),
            arrive: SimTime(6),
            from: 0,
            to: 1,
            msg: 3,
            label: "GET".into(),
        };
        expect_test::expect![[
            r#"{"type":"hop","at":1,"arrive":6,"from":0,"to":1,"msg":3,"label":"GET"}"#
        ]]
        .assert_eq(&serde_json::to_string(&e).unwrap());
        let back: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }
}
