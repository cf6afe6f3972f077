//! The recorder a block writes its observations into while it simulates.
//!
//! Effects are data (as in Stateright): a block never draws or prints, it records hops, drops and
//! gauges here, and every view is derived from the record afterwards. The event log is capped so
//! that a million-request run stays small: past the cap, events stop being kept (the run says
//! until when), while series and results, which are aggregates, cover the whole run.

use super::run::{Event, Label, NodeId, Step};
use super::time::SimTime;

/// Default cap on recorded events: enough to animate thousands of requests hop by hop.
pub const DEFAULT_EVENT_CAP: usize = 200_000;

pub struct Trace {
    events: Vec<Event>,
    cap: usize,
    cut_at: Option<SimTime>,
    steps: Vec<Step>,
    /// False for a summary-only run ([`Trace::counting`]): events are counted, not kept.
    keep: bool,
    /// Events recorded so far (kept or only counted).
    count: usize,
}

impl Trace {
    pub fn new(cap: usize) -> Self {
        Trace {
            events: Vec::new(),
            cap,
            cut_at: None,
            steps: Vec::new(),
            keep: true,
            count: 0,
        }
    }

    /// A trace for a run whose caller wants only the summary (`Run::summary_json`): it keeps no
    /// events and no steps, but counts events against `cap` exactly as [`Trace::new`] does, so
    /// the run's `events_until` is the same as in a full run.
    pub fn counting(cap: usize) -> Self {
        Trace {
            keep: false,
            ..Trace::new(cap)
        }
    }

    /// Whether events at this point are still being kept (a block can skip building labels).
    pub fn recording(&self) -> bool {
        self.cut_at.is_none()
    }

    /// Whether this trace keeps what it is given (false for [`Trace::counting`]).
    pub fn keeps(&self) -> bool {
        self.keep
    }

    /// Counts one event at `at` against the cap (cutting the log there once it is full); true
    /// if the event is to be kept. Callers build the event only then.
    fn admit(&mut self, at: SimTime) -> bool {
        if self.cut_at.is_some() {
            return false;
        }
        if self.count >= self.cap {
            self.cut_at = Some(at);
            return false;
        }
        self.count += 1;
        self.keep
    }

    fn push(&mut self, e: Event) {
        debug_assert!(
            self.events.last().is_none_or(|l| l.at() <= e.at()),
            "event log out of order"
        );
        self.events.push(e);
    }

    pub fn hop(
        &mut self,
        at: SimTime,
        arrive: SimTime,
        from: NodeId,
        to: NodeId,
        msg: u64,
        label: impl Into<Label>,
    ) {
        if self.admit(at) {
            self.push(Event::Hop {
                at,
                arrive,
                from,
                to,
                msg,
                label: label.into(),
            });
        }
    }

    pub fn drop_msg(&mut self, at: SimTime, node: NodeId, msg: u64, reason: impl Into<Label>) {
        if self.admit(at) {
            self.push(Event::Drop {
                at,
                node,
                msg,
                reason: reason.into(),
            });
        }
    }

    pub fn gauge(&mut self, at: SimTime, node: NodeId, name: impl Into<Label>, value: f64) {
        if self.admit(at) {
            self.push(Event::Gauge {
                at,
                node,
                name: name.into(),
                value,
            });
        }
    }

    pub fn entry(
        &mut self,
        at: SimTime,
        node: NodeId,
        key: impl Into<Label>,
        value: impl Into<Label>,
        expires: Option<SimTime>,
    ) {
        if self.admit(at) {
            self.push(Event::Entry {
                at,
                node,
                key: key.into(),
                value: value.into(),
                expires,
            });
        }
    }

    pub fn remove(
        &mut self,
        at: SimTime,
        node: NodeId,
        key: impl Into<Label>,
        reason: impl Into<Label>,
    ) {
        if self.admit(at) {
            self.push(Event::Remove {
                at,
                node,
                key: key.into(),
                reason: reason.into(),
            });
        }
    }

    /// Records the current contents of a node's ordered list `name` (front first), keeping at
    /// most `limit` items and counting the rest.
    pub fn list<S: ToString>(
        &mut self,
        at: SimTime,
        node: NodeId,
        name: impl Into<Label>,
        items: impl IntoIterator<Item = S>,
        limit: usize,
    ) {
        if self.admit(at) {
            let mut kept = Vec::new();
            let mut more = 0u64;
            for item in items {
                if kept.len() < limit {
                    kept.push(item.to_string());
                } else {
                    more += 1;
                }
            }
            self.push(Event::List {
                at,
                node,
                name: name.into(),
                items: kept,
                more,
            });
        }
    }

    /// Adds a narrated step. Steps are kept regardless of the event cap.
    pub fn step(&mut self, at: SimTime, node: Option<NodeId>, text: impl Into<String>) {
        if !self.keep {
            return;
        }
        debug_assert!(
            self.steps.last().is_none_or(|s| s.at <= at),
            "steps out of order"
        );
        self.steps.push(Step {
            at,
            text: text.into(),
            node,
        });
    }

    /// Hands the record over: (events, the time recording stopped if it did, steps).
    pub fn finish(self) -> (Vec<Event>, Option<SimTime>, Vec<Step>) {
        (self.events, self.cut_at, self.steps)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_cuts_the_log_and_says_when() {
        let mut t = Trace::new(2);
        t.gauge(SimTime(1), 0, "busy", 1.0);
        t.gauge(SimTime(2), 0, "busy", 2.0);
        t.gauge(SimTime(3), 0, "busy", 3.0);
        t.gauge(SimTime(4), 0, "busy", 4.0);
        t.step(SimTime(4), None, "still narrated");
        let (events, cut, steps) = t.finish();
        assert_eq!(events.len(), 2);
        assert_eq!(cut, Some(SimTime(3)));
        assert_eq!(steps.len(), 1);
    }

    #[test]
    fn a_counting_trace_keeps_nothing_but_cuts_at_the_same_time() {
        let feed = |t: &mut Trace| {
            for i in 1..=4 {
                t.hop(SimTime(i), SimTime(i + 1), 0, 1, i, "GET");
                t.list(SimTime(i), 0, "lru", ["a", "b"], 1);
            }
            t.step(SimTime(4), None, "narrated");
        };
        let (mut full, mut counted) = (Trace::new(5), Trace::counting(5));
        feed(&mut full);
        feed(&mut counted);
        assert!(full.keeps() && !counted.keeps());
        let (events, cut, steps) = full.finish();
        assert_eq!((events.len(), cut, steps.len()), (5, Some(SimTime(3)), 1));
        let (events, cut, steps) = counted.finish();
        assert_eq!((events.len(), cut, steps.len()), (0, Some(SimTime(3)), 0));
    }
}
