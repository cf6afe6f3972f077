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
}

impl Trace {
    pub fn new(cap: usize) -> Self {
        Trace {
            events: Vec::new(),
            cap,
            cut_at: None,
            steps: Vec::new(),
        }
    }

    /// Whether events at this point are still being kept (a block can skip building labels).
    pub fn recording(&self) -> bool {
        self.cut_at.is_none()
    }

    fn push(&mut self, e: Event) {
        if self.cut_at.is_some() {
            return;
        }
        if self.events.len() >= self.cap {
            self.cut_at = Some(e.at());
            return;
        }
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
        if self.recording() {
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
        if self.recording() {
            self.push(Event::Drop {
                at,
                node,
                msg,
                reason: reason.into(),
            });
        }
    }

    pub fn gauge(&mut self, at: SimTime, node: NodeId, name: impl Into<Label>, value: f64) {
        if self.recording() {
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
        if self.recording() {
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
        if self.recording() {
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
        if self.recording() {
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
}
