//! A run plus everything derived from it once (index, layout, links, chart groups, timeline), so
//! that a frame of the animation costs a lookup, not a pass over the event log.
//!
//! Components receive it as [`SharedRun`], compared by pointer: a new run is a new value, and
//! the same run never makes a child re-render.

use crate::playback::Timeline;
use hopscope_sim::view::{layout, RunIndex};
use hopscope_sim::{Event, NodeId, Run, Series};
use std::collections::BTreeSet;
use std::ops::Deref;
use std::rc::Rc;

/// Series drawn together: all series of a run with the same `chart` title.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartGroup {
    pub title: String,
    /// The distinct units of its series, joined (usually one).
    pub unit: String,
    /// Indices into `Run::series`, in run order.
    pub series: Vec<usize>,
}

pub struct RunData {
    pub run: Run,
    pub index: RunIndex,
    /// Node centres in the unit square (`view::layout`).
    pub layout: Vec<(f64, f64)>,
    /// Unordered node pairs that exchange at least one hop, smaller id first.
    pub links: Vec<(NodeId, NodeId)>,
    pub charts: Vec<ChartGroup>,
    pub timeline: Rc<Timeline>,
    /// Paths of `run.result` arrays the worker shortened for the page, with their whole length
    /// (the JSON download has them whole): see `engine::protocol::cut_result`.
    pub cut: Vec<(String, usize)>,
}

impl RunData {
    pub fn new(mut run: Run) -> RunData {
        let events = std::mem::take(&mut run.events);
        let mut builder = RunBuilder::new(run, Vec::new(), events.len());
        builder.push(events);
        builder.finish()
    }

    /// The whole length of the top-level `result` array `key`, when the page holds it cut.
    pub fn cut_len(&self, key: &str) -> Option<usize> {
        self.cut.iter().find(|(p, _)| p == key).map(|(_, n)| *n)
    }

    /// What the run shows at `t` (`view::frame_at`). One out-of-line copy for every view that
    /// needs a frame (compare mode draws two), instead of one inlined per caller.
    #[inline(never)]
    pub fn frame_at(&self, t: hopscope_sim::SimTime) -> Rc<hopscope_sim::view::Frame> {
        Rc::new(hopscope_sim::view::frame_at(&self.run, &self.index, t))
    }
}

/// A run arriving in pieces from the engine worker: the head (everything but the events), then
/// the events in order. Each piece is indexed as it comes, so no single step of the page's work
/// is proportional to the whole run (a 200,000-event log would otherwise be one long task).
pub struct RunBuilder {
    run: Run,
    expected: usize,
    expected_series: usize,
    index: RunIndex,
    links: BTreeSet<(NodeId, NodeId)>,
    cut: Vec<(String, usize)>,
}

impl RunBuilder {
    /// `head` is the run without its events; `expected` events will follow (and, when the head
    /// came without them, `expected_series` series: see [`RunBuilder::expect_series`]).
    pub fn new(mut head: Run, cut: Vec<(String, usize)>, expected: usize) -> RunBuilder {
        head.events.reserve_exact(expected);
        RunBuilder {
            index: RunIndex::empty(head.duration),
            expected_series: head.series.len(),
            run: head,
            expected,
            links: BTreeSet::new(),
            cut,
        }
    }

    /// The head came without its series: this many follow.
    pub fn expect_series(mut self, n: usize) -> RunBuilder {
        self.expected_series = self.run.series.len() + n;
        self
    }

    /// The next series, in order.
    pub fn push_series(&mut self, series: Vec<Series>) {
        self.run.series.extend(series);
    }

    /// The next events, in order.
    pub fn push(&mut self, events: Vec<Event>) {
        let offset = self.run.events.len();
        self.index.extend(&events, offset);
        for e in &events {
            if let Event::Hop { from, to, .. } = e {
                if from != to {
                    self.links.insert((*from.min(to), *from.max(to)));
                }
            }
        }
        self.run.events.extend(events);
    }

    pub fn is_complete(&self) -> bool {
        self.run.events.len() >= self.expected && self.run.series.len() >= self.expected_series
    }

    pub fn finish(self) -> RunData {
        let run = self.run;
        RunData {
            layout: layout(&run),
            links: self.links.into_iter().collect(),
            charts: chart_groups(&run),
            timeline: Rc::new(Timeline::of(&run)),
            index: self.index,
            cut: self.cut,
            run,
        }
    }
}

/// One group per distinct `Series::chart`, in order of first appearance.
pub fn chart_groups(run: &Run) -> Vec<ChartGroup> {
    let mut groups: Vec<ChartGroup> = Vec::new();
    for (i, s) in run.series.iter().enumerate() {
        match groups.iter_mut().find(|g| g.title == s.chart) {
            Some(g) => {
                g.series.push(i);
                if !g.unit.split(", ").any(|u| u == s.unit) {
                    g.unit = format!("{}, {}", g.unit, s.unit);
                }
            }
            None => groups.push(ChartGroup {
                title: s.chart.clone(),
                unit: s.unit.clone(),
                series: vec![i],
            }),
        }
    }
    groups
}

/// A run shared between components, equal only to itself.
#[derive(Clone)]
pub struct SharedRun(pub Rc<RunData>);

impl PartialEq for SharedRun {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for SharedRun {
    type Target = RunData;
    fn deref(&self) -> &RunData {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::TOY;
    use hopscope_sim::{registry, run_scenario};

    #[test]
    fn links_chart_groups_and_timeline_come_from_the_run() {
        let run = run_scenario::<&str, &str>(&TOY, &[], 1).expect("defaults run");
        let data = RunData::new(run);
        assert_eq!(data.links, [(0, 1), (1, 2), (1, 3), (1, 4)]);
        let titles: Vec<&str> = data.charts.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["In flight per backend", "Latency", "Drops"]);
        assert_eq!(data.charts[0].series, [0, 1, 2]);
        assert_eq!(data.charts[0].unit, "requests");
        assert_eq!(data.timeline.step_times.len(), data.run.steps.len());
    }

    #[test]
    fn a_run_assembled_from_pieces_is_the_run() {
        for block in registry::blocks() {
            let run = run_scenario::<&str, &str>(*block, &[], 2).expect("defaults run");
            let whole = RunData::new(run.clone());
            let mut head = run.clone();
            let events = std::mem::take(&mut head.events);
            let series = std::mem::take(&mut head.series);
            let mut b = RunBuilder::new(head, Vec::new(), events.len()).expect_series(series.len());
            for chunk in series.chunks(3) {
                assert!(!b.is_complete() || series.is_empty());
                b.push_series(chunk.to_vec());
            }
            for chunk in events.chunks(5) {
                b.push(chunk.to_vec());
            }
            assert!(b.is_complete());
            let pieces = b.finish();
            assert_eq!(pieces.run, whole.run, "{}", block.id());
            assert_eq!(pieces.index, whole.index, "{}", block.id());
            assert_eq!(pieces.links, whole.links, "{}", block.id());
            assert_eq!(pieces.charts, whole.charts, "{}", block.id());
        }
    }

    #[test]
    fn every_registered_block_runs_its_defaults_into_a_view() {
        for block in registry::blocks() {
            let run = run_scenario::<&str, &str>(*block, &[], 1)
                .unwrap_or_else(|e| panic!("{}: {e}", block.id()));
            let data = RunData::new(run);
            assert_eq!(data.layout.len(), data.run.nodes.len(), "{}", block.id());
            assert!(
                data.charts.iter().all(|g| !g.series.is_empty()),
                "{}",
                block.id()
            );
            assert_eq!(block.id(), data.run.scenario);
        }
    }
}
