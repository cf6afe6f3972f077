//! Aggregates that turn raw observations into chart series and summary figures.
//!
//! Series are bucketed in virtual time with a fixed width chosen by the block, so a chart has a
//! few hundred points whatever the number of requests: charts read downsampled data by design.

use super::run::{Point, Series};
use super::time::{SimDuration, SimTime};
use serde::Serialize;

/// Latency summary in microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    pub p50: u64,
    pub p95: u64,
    pub p99: u64,
    pub mean: f64,
}

/// Nearest-rank percentile of sorted data: the smallest value such that at least `p`% of the
/// data is ≤ it (the definition in NIST's Engineering Statistics Handbook, and what most
/// monitoring systems report). `sorted` must be ascending and non-empty.
pub fn nearest_rank(sorted: &[u64], p: f64) -> u64 {
    let n = sorted.len();
    let rank = ((p / 100.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// The nearest-rank percentiles `ps` (ascending, in percent) of unsorted, non-empty data, into
/// `out`: the same values as [`nearest_rank`] on the sorted data, found by selection (O(n),
/// `select_nth_unstable`) instead of a full sort. `values` is reordered in place.
pub fn select_nearest_ranks(values: &mut [u64], ps: &[f64], out: &mut [u64]) {
    let n = values.len();
    debug_assert!(n > 0 && ps.len() == out.len());
    debug_assert!(ps.windows(2).all(|w| w[0] <= w[1]), "percentiles ascending");
    // From the highest rank down: after selecting index k, everything before k is ≤ it, so the
    // next (lower) rank is selected among those only.
    let mut hi = n;
    for (i, &p) in ps.iter().enumerate().rev() {
        let k = ((p / 100.0) * n as f64).ceil() as usize;
        let k = k.clamp(1, n) - 1;
        if k >= hi {
            // Same rank as the one above it (ranks are monotone in p).
            out[i] = values[hi];
            continue;
        }
        let (_, v, _) = values[..hi].select_nth_unstable(k);
        out[i] = *v;
        hi = k;
    }
}

impl Percentiles {
    /// Summarises `values` (reordered in place). Empty input gives all zeros.
    pub fn of(values: &mut [u64]) -> Self {
        if values.is_empty() {
            return Percentiles::default();
        }
        let sum: u128 = values.iter().map(|&v| u128::from(v)).sum();
        let mut q = [0u64; 3];
        select_nearest_ranks(values, &[50.0, 95.0, 99.0], &mut q);
        Percentiles {
            p50: q[0],
            p95: q[1],
            p99: q[2],
            mean: sum as f64 / values.len() as f64,
        }
    }
}

/// Picks a bucket width giving about `points` buckets over `expected` time, rounded to a
/// 1-2-5 step so that axis ticks line up (never below 1 µs).
pub fn bucket_width(expected: SimDuration, points: u64) -> SimDuration {
    let raw = (expected.as_micros() / points.max(1)).max(1);
    let mut step = 1u64;
    loop {
        for m in [1, 2, 5] {
            if step * m >= raw {
                return SimDuration(step * m);
            }
        }
        step *= 10;
    }
}

/// A gauge (e.g. requests in flight) reported as its maximum within each bucket.
pub struct GaugeSeries {
    width: u64,
    bucket: u64,
    current: f64,
    peak: f64,
    points: Vec<Point>,
}

impl GaugeSeries {
    pub fn new(width: SimDuration) -> Self {
        GaugeSeries {
            width: width.as_micros().max(1),
            bucket: 0,
            current: 0.0,
            peak: 0.0,
            points: Vec::new(),
        }
    }

    /// Closes every bucket that ends at or before `t`.
    fn roll(&mut self, t: SimTime) {
        let b = t.as_micros() / self.width;
        while self.bucket < b {
            self.points
                .push(Point(SimTime((self.bucket + 1) * self.width), self.peak));
            self.bucket += 1;
            self.peak = self.current;
        }
    }

    pub fn set(&mut self, t: SimTime, value: f64) {
        self.roll(t);
        self.current = value;
        self.peak = self.peak.max(value);
    }

    pub fn finish(mut self, end: SimTime, chart: &str, name: &str, unit: &str) -> Series {
        self.roll(end);
        self.points
            .push(Point(SimTime((self.bucket + 1) * self.width), self.peak));
        Series {
            chart: chart.into(),
            name: name.into(),
            unit: unit.into(),
            points: self.points,
        }
    }
}

/// A level (e.g. busy slots / capacity) reported as its time-weighted mean within each bucket.
pub struct AverageSeries {
    width: u64,
    bucket: u64,
    current: f64,
    since: u64,
    integral: f64,
    points: Vec<Point>,
}

impl AverageSeries {
    pub fn new(width: SimDuration) -> Self {
        AverageSeries {
            width: width.as_micros().max(1),
            bucket: 0,
            current: 0.0,
            since: 0,
            integral: 0.0,
            points: Vec::new(),
        }
    }

    fn roll(&mut self, t: u64) {
        while t >= (self.bucket + 1) * self.width {
            let end = (self.bucket + 1) * self.width;
            self.integral += self.current * (end - self.since) as f64;
            self.points
                .push(Point(SimTime(end), self.integral / self.width as f64));
            self.integral = 0.0;
            self.since = end;
            self.bucket += 1;
        }
    }

    pub fn set(&mut self, t: SimTime, value: f64) {
        self.roll(t.0);
        self.integral += self.current * (t.0 - self.since) as f64;
        self.since = t.0;
        self.current = value;
    }

    /// Closes the series at `end`; the last bucket is averaged over the part that elapsed.
    pub fn finish(mut self, end: SimTime, chart: &str, name: &str, unit: &str) -> Series {
        self.roll(end.0);
        let elapsed = end.0 - self.bucket * self.width;
        if elapsed > 0 {
            self.integral += self.current * (end.0 - self.since) as f64;
            self.points.push(Point(end, self.integral / elapsed as f64));
        }
        Series {
            chart: chart.into(),
            name: name.into(),
            unit: unit.into(),
            points: self.points,
        }
    }
}

/// Observations (e.g. latencies) reported per bucket as chosen percentiles.
pub struct QuantileSeries {
    width: u64,
    bucket: u64,
    pending: Vec<u64>,
    quantiles: Vec<(f64, Vec<Point>)>,
    /// The quantiles in percent, ascending (for [`select_nearest_ranks`]), and a scratch buffer.
    percents: Vec<f64>,
    ranks: Vec<u64>,
    scale: f64,
}

impl QuantileSeries {
    /// `quantiles` in percent, ascending (e.g. `[50.0, 99.0]`); values are multiplied by `scale` on output
    /// (e.g. 1e-3 to chart microseconds as milliseconds).
    pub fn new(width: SimDuration, quantiles: &[f64], scale: f64) -> Self {
        QuantileSeries {
            width: width.as_micros().max(1),
            bucket: 0,
            pending: Vec::new(),
            quantiles: quantiles.iter().map(|&q| (q, Vec::new())).collect(),
            percents: quantiles.to_vec(),
            ranks: Vec::new(),
            scale,
        }
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let end = SimTime((self.bucket + 1) * self.width);
            self.ranks.clear();
            self.ranks.resize(self.percents.len(), 0);
            select_nearest_ranks(&mut self.pending, &self.percents, &mut self.ranks);
            for ((_, pts), &v) in self.quantiles.iter_mut().zip(&self.ranks) {
                pts.push(Point(end, v as f64 * self.scale));
            }
            self.pending.clear();
        }
    }

    pub fn observe(&mut self, t: SimTime, value: u64) {
        let b = t.as_micros() / self.width;
        if b != self.bucket {
            self.flush();
            self.bucket = b;
        }
        self.pending.push(value);
    }

    /// One series per quantile, named `p50`, `p99`, ...
    pub fn finish(mut self, chart: &str, unit: &str) -> Vec<Series> {
        self.flush();
        self.quantiles
            .into_iter()
            .map(|(q, points)| Series {
                chart: chart.into(),
                name: format!("p{q}"),
                unit: unit.into(),
                points,
            })
            .collect()
    }
}

/// Occurrences (e.g. drops) counted per bucket; empty buckets report zero.
pub struct CountSeries {
    width: u64,
    counts: Vec<u32>,
}

impl CountSeries {
    pub fn new(width: SimDuration) -> Self {
        CountSeries {
            width: width.as_micros().max(1),
            counts: Vec::new(),
        }
    }

    pub fn add(&mut self, t: SimTime) {
        let b = (t.as_micros() / self.width) as usize;
        if self.counts.len() <= b {
            self.counts.resize(b + 1, 0);
        }
        self.counts[b] += 1;
    }

    pub fn finish(mut self, end: SimTime, chart: &str, name: &str, unit: &str) -> Series {
        let buckets = (end.as_micros() / self.width) as usize + 1;
        if self.counts.len() < buckets {
            self.counts.resize(buckets, 0);
        }
        let w = self.width;
        let points = self
            .counts
            .iter()
            .enumerate()
            .map(|(i, &c)| Point(SimTime((i as u64 + 1) * w), f64::from(c)))
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
    fn nearest_rank_matches_the_textbook_example() {
        // Wikipedia "Percentile", nearest-rank method: {15, 20, 35, 40, 50}.
        let d = [15, 20, 35, 40, 50];
        let got: Vec<u64> = [5.0, 30.0, 40.0, 50.0, 100.0]
            .iter()
            .map(|&p| nearest_rank(&d, p))
            .collect();
        assert_eq!(got, vec![15, 20, 20, 35, 50]);
    }

    #[test]
    fn percentiles_of_one_to_hundred() {
        let mut v: Vec<u64> = (1..=100).rev().collect();
        let p = Percentiles::of(&mut v);
        assert_eq!((p.p50, p.p95, p.p99, p.mean), (50, 95, 99, 50.5));
        assert_eq!(Percentiles::of(&mut []), Percentiles::default());
    }

    #[test]
    fn selection_gives_the_sorted_nearest_ranks() {
        // A pseudo-random permutation with duplicates, every size from 1 to 300.
        let ps = [0.0, 1.0, 50.0, 50.0, 95.0, 99.0, 99.9, 100.0];
        for n in 1..=300u64 {
            let mut v: Vec<u64> = (0..n).map(|i| (i * 7919 + 13) % (n / 2 + 1)).collect();
            let mut sorted = v.clone();
            sorted.sort_unstable();
            let want: Vec<u64> = ps.iter().map(|&p| nearest_rank(&sorted, p)).collect();
            let mut got = vec![0; ps.len()];
            select_nearest_ranks(&mut v, &ps, &mut got);
            assert_eq!(got, want, "n = {n}");
        }
    }

    #[test]
    fn bucket_widths_follow_1_2_5() {
        let w: Vec<u64> = [1, 999, 1_000, 1_001, 3_000, 7_000, 4_000_000]
            .iter()
            .map(|&e| bucket_width(SimDuration(e), 1_000).0)
            .collect();
        assert_eq!(w, vec![1, 1, 1, 1, 5, 10, 5_000]);
    }

    #[test]
    fn gauge_reports_the_peak_of_each_bucket() {
        let mut g = GaugeSeries::new(SimDuration(10));
        g.set(SimTime(1), 1.0);
        g.set(SimTime(2), 3.0);
        g.set(SimTime(5), 0.0);
        g.set(SimTime(25), 2.0);
        let s = g.finish(SimTime(30), "c", "n", "u");
        let pts: Vec<(u64, f64)> = s.points.iter().map(|p| (p.0 .0, p.1)).collect();
        assert_eq!(pts, vec![(10, 3.0), (20, 0.0), (30, 2.0), (40, 2.0)]);
    }

    #[test]
    fn averages_are_time_weighted() {
        let mut a = AverageSeries::new(SimDuration(10));
        a.set(SimTime(0), 1.0);
        a.set(SimTime(5), 0.0); // 1 for half of bucket 1
        a.set(SimTime(12), 2.0); // 0 until 12, then 2
        let s = a.finish(SimTime(25), "c", "n", "u");
        let pts: Vec<(u64, f64)> = s.points.iter().map(|p| (p.0 .0, p.1)).collect();
        assert_eq!(pts, vec![(10, 0.5), (20, 1.6), (25, 2.0)]);
    }

    #[test]
    fn counts_include_empty_buckets() {
        let mut c = CountSeries::new(SimDuration(10));
        c.add(SimTime(3));
        c.add(SimTime(4));
        c.add(SimTime(27));
        let s = c.finish(SimTime(30), "c", "n", "u");
        let pts: Vec<f64> = s.points.iter().map(|p| p.1).collect();
        assert_eq!(pts, vec![2.0, 0.0, 1.0, 0.0]);
    }

    #[test]
    fn quantiles_per_bucket() {
        let mut q = QuantileSeries::new(SimDuration(10), &[50.0, 99.0], 1.0);
        for v in [1, 2, 3, 4] {
            q.observe(SimTime(5), v);
        }
        q.observe(SimTime(15), 9);
        let s = q.finish("lat", "µs");
        assert_eq!(s[0].name, "p50");
        assert_eq!(
            s[0].points,
            vec![Point(SimTime(10), 2.0), Point(SimTime(20), 9.0)]
        );
        assert_eq!(
            s[1].points,
            vec![Point(SimTime(10), 4.0), Point(SimTime(20), 9.0)]
        );
    }
}
