//! The narration of mode `eviction`: the stream's own moments (scan, phases, milestones) and
//! the accesses worth a sentence — the first ones, then each kind of decision a few times, or,
//! with every policy, the accesses on which they disagree.

use super::{World, FIRST_STEPS, NARRATED, NARRATED_ALL, PER_CASE};
use crate::cache::narration;
use crate::cache::policy::{Key, Outcome};
use crate::cache::scenario::pct;
use crate::kernel::time::SimTime;

impl World<'_> {
    /// Steps about the stream itself: scan start and end, a new phase, milestones.
    pub(super) fn narrate_stream(&mut self, now: SimTime, i: u32) {
        if let Some((start, end)) = self.scan {
            if i == start {
                self.trace.step(
                    now,
                    None,
                    format!(
                        "The scan begins: {} keys that are each used once sweep through the cache.",
                        narration::thousands(u64::from(end - start))
                    ),
                );
            } else if i == end {
                self.trace.step(
                    now,
                    None,
                    "The scan is over: the popular keys are back. Which policy kept them?"
                        .to_string(),
                );
            }
        }
        if let Some((phases, total)) = self.phases {
            if i > 0 {
                let phase = |x: u32| u64::from(x) * u64::from(phases) / u64::from(total);
                if phase(i) != phase(i - 1) {
                    self.trace.step(
                        now,
                        None,
                        format!("The working set moves: phase {} of {phases} draws from a fresh set of keys.", phase(i) + 1),
                    );
                }
            }
        }
        if self.milestones.first() == Some(&i) {
            self.milestones.remove(0);
            let standings = self.standings();
            self.trace.step(
                now,
                None,
                format!(
                    "After {} accesses: {standings}.",
                    narration::thousands(u64::from(i))
                ),
            );
        }
    }

    /// "LRU 41.2%, ARC 48.0%" in policy order.
    pub(super) fn standings(&self) -> String {
        self.caches
            .iter()
            .map(|c| {
                format!(
                    "{} {} hits",
                    c.policy.title(),
                    pct(c.counts.hits, c.counts.hits + c.counts.misses)
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// One policy: the first accesses one by one, then each kind of decision (`Policy::case`) its
    /// first few times. All policies: the first access, then accesses on which they disagree.
    pub(super) fn narrate_access(&mut self, j: usize, i: u32, out: Outcome, now: SimTime) {
        let k = self.caches.len();
        let limit = if k == 1 { NARRATED } else { NARRATED_ALL };
        if self.told >= limit {
            return;
        }
        let key = self.keys[i as usize];
        let c = &self.caches[j];
        let names = self.names;
        let name = |x: Key| names.name(x);
        if k == 1 {
            let case = c.store.policy().case(out);
            let seen = self.cases.entry(case).or_insert(0);
            if i < FIRST_STEPS || *seen < PER_CASE {
                *seen += 1;
                self.told += 1;
                let why = c.store.policy().explain(key, out, &name);
                self.trace
                    .step(now, Some(c.node), format!("get {} — {why}.", name(key)));
            }
            return;
        }
        let what = match (out.hit, out.evicted) {
            (true, _) => "hit".to_string(),
            (false, Some(v)) => format!("miss, evicts {}", name(v)),
            (false, None) => "miss".to_string(),
        };
        self.pending
            .push((out.hit, format!("{} {what}", c.policy.title())));
        if j + 1 == k {
            let parts = std::mem::take(&mut self.pending);
            let disagree = parts.iter().any(|(h, _)| *h != parts[0].0);
            if i == 0 || disagree {
                self.told += 1;
                let text: Vec<String> = parts.into_iter().map(|(_, t)| t).collect();
                self.trace.step(
                    now,
                    Some(self.caches[0].node),
                    format!("get {} — {}.", name(key), text.join("; ")),
                );
            }
        }
    }
}
