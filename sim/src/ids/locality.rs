//! Index locality over time: the IDs of a run inserted into a B-tree index (one per key format),
//! with page splits and the leaf pages written counted per time bucket for the charts.

use super::btree::{BTree, Totals};
use crate::kernel::run::{Point, Series};
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeSet;

pub struct IndexTrack {
    pub name: &'static str,
    pub tree: BTree,
    width: u64,
    bucket: u64,
    splits: u64,
    inserts: u64,
    leaves: BTreeSet<usize>,
    split_points: Vec<Point>,
    leaf_points: Vec<Point>,
    first_split: Option<SimTime>,
}

impl IndexTrack {
    pub fn new(name: &'static str, keys_per_page: usize, width: SimDuration) -> Self {
        IndexTrack {
            name,
            tree: BTree::new(keys_per_page),
            width: width.as_micros().max(1),
            bucket: 0,
            splits: 0,
            inserts: 0,
            leaves: BTreeSet::new(),
            split_points: Vec::new(),
            leaf_points: Vec::new(),
            first_split: None,
        }
    }

    fn close(&mut self) {
        let end = SimTime((self.bucket + 1) * self.width);
        let per100 = if self.inserts == 0 {
            0.0
        } else {
            100.0 * self.splits as f64 / self.inserts as f64
        };
        self.split_points.push(Point(end, per100));
        self.leaf_points.push(Point(end, self.leaves.len() as f64));
        self.splits = 0;
        self.inserts = 0;
        self.leaves.clear();
    }

    fn roll(&mut self, t: SimTime) {
        let b = t.0 / self.width;
        while self.bucket < b {
            self.close();
            self.bucket += 1;
        }
    }

    /// Inserts `key` at `t`; true when it was a duplicate the index rejected.
    pub fn insert(&mut self, t: SimTime, key: u128) -> bool {
        self.roll(t);
        let r = self.tree.insert(key);
        if !r.duplicate {
            self.inserts += 1;
            self.splits += u64::from(r.splits);
            self.leaves.insert(r.leaf);
            if let Some(n) = r.new_leaf {
                self.leaves.insert(n);
                self.first_split.get_or_insert(t);
            }
        }
        r.duplicate
    }

    /// The first time a leaf split, if one did.
    pub fn first_split(&self) -> Option<SimTime> {
        self.first_split
    }

    pub fn totals(&self) -> Totals {
        self.tree.totals()
    }

    /// (page splits per 100 inserts, leaf pages written) per bucket, up to `end`.
    pub fn finish(mut self, end: SimTime) -> (Series, Series, BTree) {
        self.roll(end);
        self.close();
        (
            Series {
                chart: "Index page splits per 100 inserts".into(),
                name: self.name.into(),
                unit: "splits".into(),
                points: self.split_points,
            },
            Series {
                chart: "Index leaf pages written".into(),
                name: self.name.into(),
                unit: "pages".into(),
                points: self.leaf_points,
            },
            self.tree,
        )
    }
}
