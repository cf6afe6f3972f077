//! Pure view functions: what the playground shows at a cursor time, as plain data.
//!
//! The UI is a function of (run, cursor). Everything here is computed from a `Run` alone, so it
//! is tested natively and the Yew components only map it to SVG. Stepping backwards is exact
//! because nothing here has state beyond the run and a read-only index of it.

use crate::kernel::run::{Event, NodeId, Run};
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// A message on the wire at the cursor time.
#[derive(Clone, Debug, PartialEq)]
pub struct Packet {
    /// Index of the hop in `Run::events` (stable identity across frames).
    pub event: usize,
    pub from: NodeId,
    pub to: NodeId,
    /// 0.0 at the sender, 1.0 at the receiver.
    pub progress: f64,
    pub msg: u64,
    pub label: String,
}

/// A drop that happened shortly before the cursor, to flash on its node.
#[derive(Clone, Debug, PartialEq)]
pub struct RecentDrop {
    pub node: NodeId,
    pub msg: u64,
    pub reason: String,
}

/// One row of a node's table (a cache line, a DNS record) at the cursor time.
#[derive(Clone, Debug, PartialEq)]
pub struct TableRow {
    pub key: String,
    pub value: String,
    /// Time left before it expires (`None`: no expiry); zero once expired.
    pub remaining: Option<SimDuration>,
    /// Past its expiry but not yet removed (a lazy cache keeps it until the next lookup).
    pub expired: bool,
}

/// A node's ordered list (recency list, ARC segment, queue) at the cursor time.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeList {
    pub name: String,
    pub items: Vec<String>,
    /// Items not recorded (the list was longer than the log keeps).
    pub more: u64,
}

/// Everything the topology view needs at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub t: SimTime,
    pub packets: Vec<Packet>,
    pub drops: Vec<RecentDrop>,
    /// Latest gauge values per node, by gauge name.
    pub gauges: Vec<BTreeMap<String, f64>>,
    /// Each node's table (entries set and not removed by `t`), by key.
    pub tables: Vec<Vec<TableRow>>,
    /// Each node's ordered lists as of `t`, in the order the names first appeared.
    pub lists: Vec<Vec<NodeList>>,
    /// Whether `t` lies beyond the recorded event log (hop detail was cut for size).
    pub beyond_log: bool,
}

/// A read-only index of a run, built once per run, that makes `frame_at` fast at any cursor.
#[derive(Debug, PartialEq)]
pub struct RunIndex {
    max_hop: u64,
    drop_window: u64,
    /// (node, name) → times and values, in time order.
    gauges: BTreeMap<(NodeId, String), Vec<(SimTime, f64)>>,
    /// Per node: indices of its `Entry`/`Remove` events, in time order.
    table_events: BTreeMap<NodeId, Vec<usize>>,
    /// Per node: list names in first-seen order, each with the indices of its `List` events.
    list_events: BTreeMap<NodeId, Vec<(String, Vec<usize>)>>,
}

impl RunIndex {
    pub fn new(run: &Run) -> Self {
        let mut index = RunIndex::empty(run.duration);
        index.extend(&run.events, 0);
        index
    }

    /// The index of a run of this duration with no events yet (see [`RunIndex::extend`]).
    pub fn empty(duration: SimTime) -> Self {
        RunIndex {
            max_hop: 0,
            drop_window: (duration.0 / 200).max(1),
            gauges: BTreeMap::new(),
            table_events: BTreeMap::new(),
            list_events: BTreeMap::new(),
        }
    }

    /// Adds `events`, the run's events from position `offset` on: a run arriving in chunks (from
    /// the engine worker) is indexed chunk by chunk, in order, to the same index as at once.
    pub fn extend(&mut self, events: &[Event], offset: usize) {
        for (j, e) in events.iter().enumerate() {
            let i = offset + j;
            match e {
                Event::Hop { at, arrive, .. } => self.max_hop = self.max_hop.max(arrive.0 - at.0),
                Event::Gauge {
                    at,
                    node,
                    name,
                    value,
                } => {
                    self.gauges
                        .entry((*node, name.to_string()))
                        .or_default()
                        .push((*at, *value));
                }
                Event::Entry { node, .. } | Event::Remove { node, .. } => {
                    self.table_events.entry(*node).or_default().push(i)
                }
                Event::List { node, name, .. } => {
                    let lists = self.list_events.entry(*node).or_default();
                    match lists.iter_mut().find(|(n, _)| n == name.as_ref()) {
                        Some((_, idxs)) => idxs.push(i),
                        None => lists.push((name.to_string(), vec![i])),
                    }
                }
                Event::Drop { .. } => {}
            }
        }
        self.drop_window = self.drop_window.max(self.max_hop);
    }
}

/// What is on screen at time `t`.
pub fn frame_at(run: &Run, index: &RunIndex, t: SimTime) -> Frame {
    let end = run.events.partition_point(|e| e.at() <= t);
    let horizon = t.0.saturating_sub(index.max_hop.max(index.drop_window));
    let mut packets = Vec::new();
    let mut drops = Vec::new();
    for i in (0..end).rev() {
        let e = &run.events[i];
        if e.at().0 < horizon {
            break;
        }
        match e {
            Event::Hop {
                at,
                arrive,
                from,
                to,
                msg,
                label,
            } if *arrive > t => {
                let progress = (t.0 - at.0) as f64 / (arrive.0 - at.0) as f64;
                packets.push(Packet {
                    event: i,
                    from: *from,
                    to: *to,
                    progress,
                    msg: *msg,
                    label: label.to_string(),
                });
            }
            Event::Drop {
                at,
                node,
                msg,
                reason,
            } if t.0 - at.0 <= index.drop_window => {
                drops.push(RecentDrop {
                    node: *node,
                    msg: *msg,
                    reason: reason.to_string(),
                });
            }
            _ => {}
        }
    }
    packets.reverse();
    drops.reverse();
    let mut gauges = vec![BTreeMap::new(); run.nodes.len()];
    for ((node, name), timeline) in &index.gauges {
        let k = timeline.partition_point(|(at, _)| *at <= t);
        if k > 0 {
            if let Some(slot) = gauges.get_mut(*node as usize) {
                slot.insert(name.clone(), timeline[k - 1].1);
            }
        }
    }
    let mut tables = vec![Vec::new(); run.nodes.len()];
    for (node, idxs) in &index.table_events {
        let mut live: BTreeMap<&str, (&str, Option<SimTime>)> = BTreeMap::new();
        for &i in idxs {
            match &run.events[i] {
                Event::Entry { at, .. } | Event::Remove { at, .. } if *at > t => break,
                Event::Entry {
                    key,
                    value,
                    expires,
                    ..
                } => {
                    live.insert(key, (value, *expires));
                }
                Event::Remove { key, .. } => {
                    live.remove(key.as_ref());
                }
                _ => {}
            }
        }
        if let Some(slot) = tables.get_mut(*node as usize) {
            *slot = live
                .into_iter()
                .map(|(key, (value, expires))| TableRow {
                    key: key.to_string(),
                    value: value.to_string(),
                    remaining: expires.map(|e| e.since(t)),
                    expired: expires.is_some_and(|e| e <= t),
                })
                .collect();
        }
    }
    let mut lists = vec![Vec::new(); run.nodes.len()];
    for (node, named) in &index.list_events {
        let Some(slot) = lists.get_mut(*node as usize) else {
            continue;
        };
        for (name, idxs) in named {
            let k = idxs.partition_point(|&i| run.events[i].at() <= t);
            if k == 0 {
                continue;
            }
            if let Event::List { items, more, .. } = &run.events[idxs[k - 1]] {
                slot.push(NodeList {
                    name: name.clone(),
                    items: items.clone(),
                    more: *more,
                });
            }
        }
    }
    let beyond_log = run.events_until.is_some_and(|cut| t >= cut);
    Frame {
        t,
        packets,
        drops,
        gauges,
        tables,
        lists,
        beyond_log,
    }
}

/// The narrated step showing at `t`: the last one at or before it.
pub fn step_at(run: &Run, t: SimTime) -> Option<usize> {
    run.steps.partition_point(|s| s.at <= t).checked_sub(1)
}

/// Node positions in the unit square: columns left to right by `col`, rows spread evenly.
pub fn layout(run: &Run) -> Vec<(f64, f64)> {
    let mut cols: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for n in &run.nodes {
        cols.entry(n.col).or_default().push(n.row);
    }
    for rows in cols.values_mut() {
        rows.sort_unstable();
        rows.dedup();
    }
    let col_index: BTreeMap<u32, usize> = cols.keys().enumerate().map(|(i, c)| (*c, i)).collect();
    let ncols = cols.len().max(1) as f64;
    run.nodes
        .iter()
        .map(|n| {
            let rows = &cols[&n.col];
            let r = rows.binary_search(&n.row).unwrap_or(0) as f64;
            let x = (col_index[&n.col] as f64 + 0.5) / ncols;
            let y = (r + 0.5) / rows.len() as f64;
            (x, y)
        })
        .collect()
}

/// Virtual microseconds per real second at 1× speed: chosen so that a typical hop takes about
/// 0.6 s on screen, whatever the block's time scale (µs for caches, seconds for DNS TTLs).
pub fn default_pace(run: &Run) -> f64 {
    let mut hops: Vec<u64> = run
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Hop { at, arrive, .. } if arrive > at => Some(arrive.0 - at.0),
            _ => None,
        })
        .take(1_000)
        .collect();
    if hops.is_empty() {
        return (run.duration.0 as f64 / 20.0).max(1.0);
    }
    hops.sort_unstable();
    hops[hops.len() / 2] as f64 / 0.6
}

/// The time of the step after / before the one showing at `t` (for step buttons).
pub fn next_step(run: &Run, t: SimTime) -> Option<usize> {
    let i = run.steps.partition_point(|s| s.at <= t);
    (i < run.steps.len()).then_some(i)
}

pub fn prev_step(run: &Run, t: SimTime) -> Option<usize> {
    let i = run.steps.partition_point(|s| s.at < t);
    i.checked_sub(1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_run_indexed_in_chunks_gives_the_same_index_as_at_once() {
        for block in crate::registry::blocks() {
            let run = crate::run_scenario::<&str, &str>(*block, &[], 3).expect("defaults run");
            let mut chunked = RunIndex::empty(run.duration);
            let mut offset = 0;
            for chunk in run.events.chunks(7) {
                chunked.extend(chunk, offset);
                offset += chunk.len();
            }
            assert_eq!(chunked, RunIndex::new(&run), "{}", block.id());
        }
    }

    use super::*;
    use crate::kernel::run::{Node, Step};

    fn tiny_run() -> Run {
        let node = |id: u32, col: u32, row: u32| Node {
            id,
            name: format!("n{id}"),
            label: format!("n{id}"),
            role: "x".into(),
            col,
            row,
            detail: String::new(),
        };
        Run {
            scenario: "t".into(),
            seed: 0,
            params: Default::default(),
            duration: SimTime(100),
            nodes: vec![node(0, 0, 0), node(1, 1, 0), node(2, 1, 1)],
            events: vec![
                Event::Hop {
                    at: SimTime(0),
                    arrive: SimTime(10),
                    from: 0,
                    to: 1,
                    msg: 1,
                    label: "GET".into(),
                },
                Event::Gauge {
                    at: SimTime(10),
                    node: 1,
                    name: "busy".into(),
                    value: 1.0,
                },
                Event::Hop {
                    at: SimTime(10),
                    arrive: SimTime(30),
                    from: 1,
                    to: 2,
                    msg: 1,
                    label: "GET".into(),
                },
                Event::Drop {
                    at: SimTime(40),
                    node: 2,
                    msg: 2,
                    reason: "full".into(),
                },
                Event::Entry {
                    at: SimTime(50),
                    node: 2,
                    key: "a".into(),
                    value: "1".into(),
                    expires: Some(SimTime(80)),
                },
                Event::Gauge {
                    at: SimTime(50),
                    node: 1,
                    name: "busy".into(),
                    value: 0.0,
                },
                Event::Entry {
                    at: SimTime(60),
                    node: 2,
                    key: "b".into(),
                    value: "2".into(),
                    expires: None,
                },
                Event::Remove {
                    at: SimTime(90),
                    node: 2,
                    key: "b".into(),
                    reason: "evicted".into(),
                },
            ],
            events_until: None,
            steps: vec![
                Step {
                    at: SimTime(0),
                    text: "a".into(),
                    node: None,
                },
                Step {
                    at: SimTime(10),
                    text: "b".into(),
                    node: None,
                },
                Step {
                    at: SimTime(10),
                    text: "c".into(),
                    node: None,
                },
            ],
            series: vec![],
            result: serde_json::Value::Null,
        }
    }

    #[test]
    fn packets_interpolate_between_send_and_arrival() {
        let run = tiny_run();
        let idx = RunIndex::new(&run);
        let f = frame_at(&run, &idx, SimTime(5));
        assert_eq!(f.packets.len(), 1);
        assert_eq!(
            (f.packets[0].from, f.packets[0].to, f.packets[0].progress),
            (0, 1, 0.5)
        );
        let f = frame_at(&run, &idx, SimTime(25));
        assert_eq!(
            (f.packets[0].from, f.packets[0].to, f.packets[0].progress),
            (1, 2, 0.75)
        );
        assert_eq!(f.gauges[1].get("busy"), Some(&1.0));
        let f = frame_at(&run, &idx, SimTime(30));
        assert!(f.packets.is_empty(), "arrived packets leave the wire");
        let f = frame_at(&run, &idx, SimTime(45));
        assert_eq!(f.drops.len(), 1);
        assert_eq!(f.gauges[1].get("busy"), Some(&1.0));
        let f = frame_at(&run, &idx, SimTime(60));
        assert_eq!(f.gauges[1].get("busy"), Some(&0.0));
    }

    #[test]
    fn tables_show_live_entries_with_remaining_ttl() {
        let run = tiny_run();
        let idx = RunIndex::new(&run);
        let rows = |t| {
            frame_at(&run, &idx, SimTime(t)).tables[2]
                .iter()
                .map(|r| {
                    format!(
                        "{}={} {:?} {}",
                        r.key,
                        r.value,
                        r.remaining.map(|d| d.0),
                        r.expired
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(rows(49), Vec::<String>::new());
        assert_eq!(rows(70), vec!["a=1 Some(10) false", "b=2 None false"]);
        assert_eq!(rows(85), vec!["a=1 Some(0) true", "b=2 None false"]);
        assert_eq!(rows(95), vec!["a=1 Some(0) true"]);
    }

    #[test]
    fn lists_show_their_latest_contents() {
        let mut run = tiny_run();
        run.events.push(Event::List {
            at: SimTime(95),
            node: 2,
            name: "recency".into(),
            items: vec!["b".into(), "a".into()],
            more: 3,
        });
        let idx = RunIndex::new(&run);
        assert!(frame_at(&run, &idx, SimTime(94)).lists[2].is_empty());
        let f = frame_at(&run, &idx, SimTime(95));
        assert_eq!(
            f.lists[2],
            vec![NodeList {
                name: "recency".into(),
                items: vec!["b".into(), "a".into()],
                more: 3
            }]
        );
    }

    #[test]
    fn steps_forward_and_back() {
        let run = tiny_run();
        assert_eq!(step_at(&run, SimTime(0)), Some(0));
        assert_eq!(step_at(&run, SimTime(11)), Some(2));
        assert_eq!(next_step(&run, SimTime(0)), Some(1));
        assert_eq!(prev_step(&run, SimTime(10)), Some(0));
        assert_eq!(next_step(&run, SimTime(10)), None);
    }

    #[test]
    fn layout_spreads_rows_within_columns() {
        let run = tiny_run();
        assert_eq!(layout(&run), vec![(0.25, 0.5), (0.75, 0.25), (0.75, 0.75)]);
    }
}
