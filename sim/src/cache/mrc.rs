//! The miss-ratio curve: hit ratio against cache size, for every policy, on one access stream —
//! the chart Caffeine's simulator draws, as a pure and *chunkable* computation.
//!
//! [`MrcJob`] holds the stream and a list of (size, policy) tasks. `advance(budget)` replays at
//! most `budget` accesses and returns, so a caller can run it in slices and draw a progress bar
//! from [`Progress`] (the `mode=mrc` run does, reporting to `kernel::progress`); the result does
//! not depend on how the work was sliced. Only one policy instance is alive at a time, so memory stays at the stream plus one
//! cache. Tasks go size by size (all policies at the smallest size first), so partial results
//! grow every curve from the left.
//!
//! Sizes are `round(capacity × i / points)` for i = 1..=points. The replay has no time: TTLs and
//! faults do not apply (the parameters refuse them in this mode).
//!
//! In the run (`mode=mrc`), each policy's curve is a series of the chart `Hit ratio by cache
//! size` whose points are `[size, hit ratio in %]`: **the first element of a point is the cache
//! size in entries**, not a time; the run's `duration` is the largest size, so a time axis
//! spans the curve.

use super::config::Config;
use super::policy::{build, Key, Options, Policy, PolicyId};
use super::scenario::{assemble, node, ratio};
use crate::kernel::progress;
use crate::kernel::run::{Point, Run, Series};
use crate::kernel::time::SimTime;
use crate::kernel::trace::Trace;
use serde::Serialize;
use serde_json::json;

/// One point of a curve.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct MrcPoint {
    #[serde(serialize_with = "policy_id")]
    pub policy: PolicyId,
    pub size: usize,
    pub hits: u64,
    pub misses: u64,
    pub hit_ratio: f64,
}

fn policy_id<S: serde::Serializer>(p: &PolicyId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.id())
}

/// Work done and to do, in accesses replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

impl Progress {
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

/// `points` sizes evenly spaced up to `max` (deduplicated, at least 1).
pub fn sizes(max: usize, points: usize) -> Vec<usize> {
    let points = points.max(1);
    let mut out: Vec<usize> = (1..=points)
        .map(|i| ((max as f64 * i as f64 / points as f64).round() as usize).max(1))
        .collect();
    out.dedup();
    out
}

pub struct MrcJob {
    keys: Vec<Key>,
    tasks: Vec<(usize, PolicyId)>,
    options: Options,
    task: usize,
    pos: usize,
    current: Option<Box<dyn Policy>>,
    hits: u64,
    points: Vec<MrcPoint>,
}

impl MrcJob {
    pub fn new(keys: Vec<Key>, sizes: &[usize], policies: &[PolicyId], options: Options) -> Self {
        let tasks = sizes
            .iter()
            .flat_map(|&s| policies.iter().map(move |&p| (s, p)))
            .collect();
        MrcJob {
            keys,
            tasks,
            options,
            task: 0,
            pos: 0,
            current: None,
            hits: 0,
            points: Vec::new(),
        }
    }

    /// The job a `mode=mrc` run (or the page) computes for these parameters.
    pub fn from_config(cfg: &Config, seed: u64) -> Self {
        let stream = cfg.workload.stream(seed);
        MrcJob::new(
            stream.keys,
            &sizes(cfg.capacity, cfg.mrc_points),
            &cfg.policies,
            cfg.options(seed),
        )
    }

    pub fn progress(&self) -> Progress {
        let n = self.keys.len() as u64;
        Progress {
            done: self.task as u64 * n + self.pos as u64,
            total: self.tasks.len() as u64 * n,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.task >= self.tasks.len()
    }

    /// Replays at most `budget` accesses (at least one task step when work remains).
    pub fn advance(&mut self, budget: u64) -> Progress {
        let mut left = budget.max(1);
        while left > 0 && !self.is_finished() {
            let (size, policy) = self.tasks[self.task];
            let cache = self
                .current
                .get_or_insert_with(|| build(policy, size, &self.options));
            let end = (self.pos as u64 + left).min(self.keys.len() as u64) as usize;
            let mut hits = 0;
            for &k in &self.keys[self.pos..end] {
                hits += u64::from(cache.access(k).hit);
            }
            self.hits += hits;
            left -= (end - self.pos) as u64;
            self.pos = end;
            if self.pos == self.keys.len() {
                let total = self.keys.len() as u64;
                self.points.push(MrcPoint {
                    policy,
                    size,
                    hits: self.hits,
                    misses: total - self.hits,
                    hit_ratio: ratio(self.hits, total),
                });
                self.current = None;
                self.hits = 0;
                self.pos = 0;
                self.task += 1;
            }
        }
        self.progress()
    }

    /// Points finished so far, in task order.
    pub fn points(&self) -> &[MrcPoint] {
        &self.points
    }

    /// One series per policy: `[size, hit ratio %]` points (see the module docs).
    pub fn series(&self, policies: &[PolicyId]) -> Vec<Series> {
        policies
            .iter()
            .map(|&p| Series {
                chart: "Hit ratio by cache size".into(),
                name: p.title().into(),
                unit: "%".into(),
                points: self
                    .points
                    .iter()
                    .filter(|m| m.policy == p)
                    .map(|m| Point(SimTime(m.size as u64), 100.0 * m.hit_ratio))
                    .collect(),
            })
            .collect()
    }
}

/// The whole curve at once.
pub fn curve(
    keys: Vec<Key>,
    sizes: &[usize],
    policies: &[PolicyId],
    options: Options,
) -> Vec<MrcPoint> {
    let mut job = MrcJob::new(keys, sizes, policies, options);
    job.advance(u64::MAX);
    job.points
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let mut job = MrcJob::from_config(cfg, seed);
    let total = job.progress().total;
    while !job.is_finished() {
        let p = job.advance(1 << 16);
        progress::report(p.done, p.total);
    }
    let max = sizes(cfg.capacity, cfg.mrc_points)
        .last()
        .copied()
        .unwrap_or(1);
    let mut trace = Trace::new(1);
    let best = |size: usize| {
        job.points()
            .iter()
            .filter(|m| m.size == size)
            .max_by(|a, b| a.hit_ratio.total_cmp(&b.hit_ratio))
            .map(|m| format!("{} {:.1}%", m.policy.title(), 100.0 * m.hit_ratio))
            .unwrap_or_default()
    };
    let all_sizes = sizes(cfg.capacity, cfg.mrc_points);
    trace.step(
        SimTime::ZERO,
        Some(1),
        format!(
            "The same {} accesses ({}) replayed through {} at {} sizes from {} to {} entries: {} cache runs in all.",
            super::narration::thousands(job.keys.len() as u64),
            cfg.workload.describe(),
            super::narration::policies(cfg),
            all_sizes.len(),
            all_sizes.first().copied().unwrap_or(1),
            max,
            all_sizes.len() * cfg.policies.len(),
        ),
    );
    trace.step(
        SimTime(max as u64),
        Some(1),
        format!(
            "Best at the smallest size: {}; at {max} entries: {}.",
            best(all_sizes[0]),
            best(max)
        ),
    );
    let nodes = vec![
        node(
            0,
            "client".into(),
            "client".into(),
            "client",
            0,
            0,
            cfg.workload.describe(),
        ),
        node(
            1,
            "cache".into(),
            "cache".into(),
            "cache",
            1,
            0,
            format!("{} sizes up to {max}", all_sizes.len()),
        ),
        node(
            2,
            "database".into(),
            "database".into(),
            "database",
            2,
            0,
            String::new(),
        ),
    ];
    let result = json!({
        "mode": "mrc",
        "workload": cfg.workload.describe(),
        "accesses": job.keys.len(),
        "sizes": all_sizes,
        "points": job.points(),
        "replayed": total,
        // The unit of work of the engine benchmark: here, accesses replayed.
        "kernel_events": total,
    });
    let series = job.series(&cfg.policies);
    assemble(SimTime(max as u64), nodes, trace, series, result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_even_and_distinct() {
        assert_eq!(
            sizes(100, 10),
            vec![10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
        );
        assert_eq!(sizes(15, 10), vec![2, 3, 5, 6, 8, 9, 11, 12, 14, 15]);
        assert_eq!(sizes(3, 10), vec![1, 2, 3]);
    }

    #[test]
    fn slicing_does_not_change_the_result() {
        let keys: Vec<Key> = (0..5_000u32).map(|i| (i * 7919 + i / 3) % 300).collect();
        let opts = Options::default();
        let whole = curve(keys.clone(), &[10, 50, 100], &PolicyId::ALL, opts);
        let mut job = MrcJob::new(keys, &[10, 50, 100], &PolicyId::ALL, opts);
        let mut steps = 0;
        while !job.is_finished() {
            let p = job.advance(777);
            assert!(p.done <= p.total);
            steps += 1;
        }
        assert_eq!(job.points(), whole.as_slice());
        assert_eq!(steps, (3 * 6 * 5_000 + 776) / 777);
        assert_eq!(job.progress().fraction(), 1.0);
    }

    #[test]
    fn lru_curve_is_monotone_by_the_stack_property() {
        let keys: Vec<Key> = (0..20_000u32)
            .map(|i| (i * i + 7 * i) % 997 % 400)
            .collect();
        let pts = curve(keys, &sizes(400, 20), &[PolicyId::Lru], Options::default());
        assert!(pts.windows(2).all(|w| w[0].hits <= w[1].hits), "{pts:?}");
    }
}
