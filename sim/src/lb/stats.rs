//! What the load-balancer scenario measures: counts, latencies, per-backend figures, detection
//! delays, moved keys, and the series behind its charts.

use crate::kernel::run::Series;
use crate::kernel::stats::{AverageSeries, CountSeries, GaugeSeries, Percentiles, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use serde::Serialize;

#[derive(Clone, Debug, Default, Serialize)]
pub struct PerBackend {
    pub served: u64,
    /// Attempts that timed out at the balancer.
    pub failed: u64,
    /// Attempts the backend rejected (full).
    pub dropped: u64,
}

/// How long the balancer took to stop sending to a crashed backend.
#[derive(Clone, Debug, Serialize)]
pub struct Detection {
    pub backend: usize,
    pub down_at_us: u64,
    pub detected_at_us: Option<u64>,
    pub delay_us: Option<u64>,
    /// Requests sent to the backend between its crash and its removal from rotation.
    pub requests_sent_while_dead: u64,
}

/// Keys (clients) that changed backend when the eligible set changed (hashing algorithms).
#[derive(Clone, Debug, Serialize)]
pub struct Moved {
    pub at_us: u64,
    pub backend: usize,
    pub change: String,
    pub moved_keys: u64,
    pub of: u32,
}

pub struct Stats {
    pub served: u64,
    pub dropped: u64,
    pub failed: u64,
    pub retried: u64,
    pub completed: u64,
    pub sessions_broken: u64,
    /// The backend of each request's first attempt, -1 if it never had one (two bytes each: at
    /// most 128 backends).
    pub assignments: Vec<i16>,
    pub latencies: Vec<u64>,
    pub per_backend: Vec<PerBackend>,
    pub detections: Vec<Detection>,
    pub moved: Vec<Moved>,
    load: Vec<GaugeSeries>,
    util: Vec<AverageSeries>,
    lb_cpu: Option<AverageSeries>,
    latency: QuantileSeries,
    drops: CountSeries,
    failures: CountSeries,
    retries: CountSeries,
    next_request: usize,
    /// False in a summary-only run: the chart series are neither sampled nor returned.
    charts: bool,
}

impl Stats {
    pub fn new(
        backends: usize,
        requests: u64,
        width: SimDuration,
        lb_cpu: bool,
        charts: bool,
    ) -> Self {
        Stats {
            served: 0,
            dropped: 0,
            failed: 0,
            retried: 0,
            completed: 0,
            sessions_broken: 0,
            assignments: vec![-1; requests as usize],
            latencies: Vec::with_capacity(requests as usize),
            per_backend: vec![PerBackend::default(); backends],
            detections: Vec::new(),
            moved: Vec::new(),
            load: (0..backends).map(|_| GaugeSeries::new(width)).collect(),
            util: (0..backends).map(|_| AverageSeries::new(width)).collect(),
            lb_cpu: lb_cpu.then(|| AverageSeries::new(width)),
            latency: QuantileSeries::new(width, &[50.0, 95.0, 99.0], 1e-3),
            drops: CountSeries::new(width),
            failures: CountSeries::new(width),
            retries: CountSeries::new(width),
            next_request: 0,
            charts,
        }
    }

    pub fn sent(&mut self, _now: SimTime) {
        self.next_request += 1;
    }

    /// Request `r`'s attempt went to `b` (the first attempt sets its assignment).
    pub fn assign(&mut self, r: u32, b: usize) {
        let slot = &mut self.assignments[r as usize];
        if *slot < 0 {
            *slot = b as i16;
        }
    }

    /// Inline, so that a summary-only run pays one test of `charts` and no call; the sampling
    /// itself stays out of line.
    #[inline(always)]
    pub fn load(&mut self, now: SimTime, b: usize, outstanding: u32) {
        if self.charts {
            self.load_point(now, b, outstanding);
        }
    }

    #[inline(never)]
    fn load_point(&mut self, now: SimTime, b: usize, outstanding: u32) {
        self.load[b].set(now, f64::from(outstanding));
    }

    #[inline(always)]
    pub fn busy(&mut self, now: SimTime, b: usize, busy: u32, cap: u32) {
        if self.charts {
            self.busy_point(now, b, busy, cap);
        }
    }

    #[inline(never)]
    fn busy_point(&mut self, now: SimTime, b: usize, busy: u32, cap: u32) {
        self.util[b].set(now, f64::from(busy) / f64::from(cap));
    }

    pub fn lb_cpu(&mut self, now: SimTime, busy: u32, cores: u32) {
        if let (true, Some(s)) = (self.charts, &mut self.lb_cpu) {
            s.set(now, f64::from(busy) / f64::from(cores));
        }
    }

    pub fn served_by(&mut self, b: usize) {
        self.per_backend[b].served += 1;
    }

    pub fn rejected(&mut self, _now: SimTime, b: usize) {
        self.per_backend[b].dropped += 1;
    }

    pub fn attempt_timed_out(&mut self, _now: SimTime, b: usize) {
        self.per_backend[b].failed += 1;
    }

    pub fn retried(&mut self, now: SimTime) {
        self.retried += 1;
        if self.charts {
            self.retries.add(now);
        }
    }

    pub fn session_broken(&mut self) {
        self.sessions_broken += 1;
    }

    /// The client got its final answer.
    pub fn finished(&mut self, now: SimTime, code: u16, latency_us: u64) {
        self.completed += 1;
        match code {
            200 => {
                self.served += 1;
                self.latencies.push(latency_us);
                if self.charts {
                    self.latency.observe(now, latency_us);
                }
            }
            503 => {
                self.dropped += 1;
                if self.charts {
                    self.drops.add(now);
                }
            }
            _ => {
                self.failed += 1;
                if self.charts {
                    self.failures.add(now);
                }
            }
        }
    }

    pub fn crashed(&mut self, b: usize, at: SimTime) {
        self.detections.push(Detection {
            backend: b,
            down_at_us: at.0,
            detected_at_us: None,
            delay_us: None,
            requests_sent_while_dead: 0,
        });
    }

    pub fn detected(&mut self, b: usize, since: SimTime, now: SimTime, sent: u64) {
        if let Some(d) = self
            .detections
            .iter_mut()
            .rev()
            .find(|d| d.backend == b && d.down_at_us == since.0 && d.detected_at_us.is_none())
        {
            d.detected_at_us = Some(now.0);
            d.delay_us = Some(now.0 - since.0);
            d.requests_sent_while_dead = sent;
        }
    }

    /// Fills in, for crashes never detected, how many requests went to the dead backend.
    pub fn close_detections(&mut self, sent_while_dead: impl Fn(usize) -> u64) {
        for d in &mut self.detections {
            if d.detected_at_us.is_none() {
                d.requests_sent_while_dead = sent_while_dead(d.backend);
            }
        }
    }

    pub fn moved(
        &mut self,
        now: SimTime,
        b: usize,
        eligible: bool,
        why: &str,
        moved: u64,
        of: u32,
    ) {
        let change = format!(
            "backend {} {} ({why})",
            b + 1,
            if eligible { "joined" } else { "left" }
        );
        self.moved.push(Moved {
            at_us: now.0,
            backend: b,
            change,
            moved_keys: moved,
            of,
        });
    }

    pub fn latency_summary(&mut self) -> Percentiles {
        Percentiles::of(&mut self.latencies)
    }

    /// The chart series (none in a summary-only run).
    pub fn series(self, end: SimTime, theory_ms: Option<f64>) -> Vec<Series> {
        if !self.charts {
            return Vec::new();
        }
        let mut out: Vec<Series> = self
            .load
            .into_iter()
            .enumerate()
            .map(|(b, s)| {
                s.finish(
                    end,
                    "In flight per backend",
                    &format!("backend {}", b + 1),
                    "requests",
                )
            })
            .collect();
        out.extend(self.util.into_iter().enumerate().map(|(b, s)| {
            s.finish(
                end,
                "Utilisation",
                &format!("backend {}", b + 1),
                "share of capacity",
            )
        }));
        if let Some(cpu) = self.lb_cpu {
            out.push(cpu.finish(end, "Utilisation", "balancer CPU", "share of capacity"));
        }
        let mut latency = self.latency.finish("Latency", "ms");
        if let Some(ms) = theory_ms {
            latency.push(Series {
                chart: "Latency".into(),
                name: "theory mean".into(),
                unit: "ms".into(),
                points: vec![
                    crate::kernel::run::Point(SimTime::ZERO, ms),
                    crate::kernel::run::Point(end, ms),
                ],
            });
        }
        out.extend(latency);
        out.push(
            self.drops
                .finish(end, "Failed and dropped", "dropped (503)", "requests"),
        );
        out.push(
            self.failures
                .finish(end, "Failed and dropped", "failed (timeout)", "requests"),
        );
        out.push(
            self.retries
                .finish(end, "Failed and dropped", "retried", "requests"),
        );
        out
    }
}
