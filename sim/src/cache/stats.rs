//! Per-bucket counters behind the cache charts: accesses and hits (hit ratio per bucket and so
//! far), database queries (load), and latency sums (mean latency). Buckets are indexed by time,
//! so observations may arrive in any order.

use crate::kernel::run::{Point, Series};
use crate::kernel::time::{SimDuration, SimTime};

#[derive(Clone, Debug)]
pub struct Buckets {
    width: u64,
    accesses: Vec<u32>,
    hits: Vec<u32>,
    db: Vec<u32>,
    latency_sum: Vec<u64>,
    latency_n: Vec<u32>,
}

fn bump<T: Copy + Default + std::ops::AddAssign>(v: &mut Vec<T>, i: usize, by: T) {
    if v.len() <= i {
        v.resize(i + 1, T::default());
    }
    v[i] += by;
}

impl Buckets {
    pub fn new(width: SimDuration) -> Self {
        Buckets {
            width: width.as_micros().max(1),
            accesses: Vec::new(),
            hits: Vec::new(),
            db: Vec::new(),
            latency_sum: Vec::new(),
            latency_n: Vec::new(),
        }
    }

    pub fn width(&self) -> SimDuration {
        SimDuration(self.width)
    }

    fn index(&self, t: SimTime) -> usize {
        (t.as_micros() / self.width) as usize
    }

    /// A read answered at the cache (`hit`) or not, decided at `t`.
    pub fn access(&mut self, t: SimTime, hit: bool) {
        let i = self.index(t);
        bump(&mut self.accesses, i, 1);
        bump(&mut self.hits, i, u32::from(hit));
    }

    /// A query (or write) reached the database at `t`.
    pub fn db(&mut self, t: SimTime) {
        let i = self.index(t);
        bump(&mut self.db, i, 1);
    }

    /// A request finished at `t` after `latency`.
    pub fn latency(&mut self, t: SimTime, latency: SimDuration) {
        let i = self.index(t);
        bump(&mut self.latency_sum, i, latency.as_micros());
        bump(&mut self.latency_n, i, 1);
    }

    fn end(&self, i: usize) -> SimTime {
        SimTime((i as u64 + 1) * self.width)
    }

    fn series(chart: &str, name: &str, unit: &str, points: Vec<Point>) -> Series {
        Series {
            chart: chart.into(),
            name: name.into(),
            unit: unit.into(),
            points,
        }
    }

    /// Hits per access in each bucket, in percent (buckets without accesses are skipped).
    pub fn hit_ratio(&self, name: &str) -> Series {
        let points = (0..self.accesses.len())
            .filter(|&i| self.accesses[i] > 0)
            .map(|i| {
                let h = self.hits.get(i).copied().unwrap_or(0);
                Point(
                    self.end(i),
                    100.0 * f64::from(h) / f64::from(self.accesses[i]),
                )
            })
            .collect();
        Self::series("Hit ratio", name, "%", points)
    }

    /// Hits per access from the start up to each bucket's end, in percent.
    pub fn hit_ratio_so_far(&self, name: &str) -> Series {
        let (mut a, mut h) = (0u64, 0u64);
        let mut points = Vec::new();
        for i in 0..self.accesses.len() {
            a += u64::from(self.accesses[i]);
            h += u64::from(self.hits.get(i).copied().unwrap_or(0));
            if self.accesses[i] > 0 {
                points.push(Point(self.end(i), 100.0 * h as f64 / a as f64));
            }
        }
        Self::series("Hit ratio so far", name, "%", points)
    }

    /// Database queries per second in each bucket, up to `end` (empty buckets are zero).
    pub fn db_load(&self, name: &str, end: SimTime) -> Series {
        let n = (end.as_micros() / self.width) as usize + 1;
        let per_s = 1e6 / self.width as f64;
        let points = (0..n.max(self.db.len()))
            .map(|i| {
                Point(
                    self.end(i),
                    f64::from(self.db.get(i).copied().unwrap_or(0)) * per_s,
                )
            })
            .collect();
        Self::series("Database load", name, "queries/s", points)
    }

    /// Mean latency of the requests finished in each bucket, in ms.
    pub fn mean_latency(&self, name: &str) -> Series {
        let points = (0..self.latency_n.len())
            .filter(|&i| self.latency_n[i] > 0)
            .map(|i| {
                Point(
                    self.end(i),
                    self.latency_sum[i] as f64 / f64::from(self.latency_n[i]) / 1e3,
                )
            })
            .collect();
        Self::series("Latency", name, "ms", points)
    }
}

/// The value of a level (ARC's p, a node's load) at the end of each bucket.
#[derive(Clone, Debug)]
pub struct Level {
    width: u64,
    values: Vec<Option<f64>>,
}

impl Level {
    pub fn new(width: SimDuration) -> Self {
        Level {
            width: width.as_micros().max(1),
            values: Vec::new(),
        }
    }

    pub fn set(&mut self, t: SimTime, v: f64) {
        let i = (t.as_micros() / self.width) as usize;
        if self.values.len() <= i {
            self.values.resize(i + 1, None);
        }
        self.values[i] = Some(v);
    }

    /// Carries the last value forward through buckets where it did not change, up to `end`.
    pub fn finish(self, end: SimTime, chart: &str, name: &str, unit: &str) -> Series {
        let n = ((end.as_micros() / self.width) as usize + 1).max(self.values.len());
        let mut last = 0.0;
        let points = (0..n)
            .map(|i| {
                if let Some(Some(v)) = self.values.get(i) {
                    last = *v;
                }
                Point(SimTime((i as u64 + 1) * self.width), last)
            })
            .collect();
        Series {
            chart: chart.into(),
            name: name.into(),
            unit: unit.into(),
            points,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hit_ratio_per_bucket_and_so_far() {
        let mut b = Buckets::new(SimDuration(10));
        b.access(SimTime(1), true);
        b.access(SimTime(2), false);
        b.access(SimTime(25), true);
        let per: Vec<f64> = b.hit_ratio("x").points.iter().map(|p| p.1).collect();
        assert_eq!(per, vec![50.0, 100.0]);
        let so_far: Vec<(u64, f64)> = b
            .hit_ratio_so_far("x")
            .points
            .iter()
            .map(|p| (p.0 .0, p.1))
            .collect();
        assert_eq!(so_far[1], (30, 200.0 / 3.0));
        b.db(SimTime(3));
        let load: Vec<f64> = b
            .db_load("x", SimTime(25))
            .points
            .iter()
            .map(|p| p.1)
            .collect();
        assert_eq!(load, vec![100_000.0, 0.0, 0.0]);
    }

    #[test]
    fn levels_carry_forward() {
        let mut l = Level::new(SimDuration(10));
        l.set(SimTime(5), 2.0);
        l.set(SimTime(31), 1.0);
        let s = l.finish(SimTime(40), "c", "n", "u");
        let v: Vec<f64> = s.points.iter().map(|p| p.1).collect();
        assert_eq!(v, vec![2.0, 2.0, 2.0, 1.0, 1.0]);
    }
}
