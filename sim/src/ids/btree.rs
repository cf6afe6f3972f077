//! A B+tree index reduced to what page splits depend on: pages of a fixed number of keys.
//!
//! Why a v4 primary key hurts a database and a v7 or ULID one does not is a question of where
//! each insert lands. Time-ordered keys always go to the rightmost leaf: one hot page, splits
//! that leave full pages behind. Random keys land on any leaf: every insert dirties a different
//! page, and pages split half-full. This model counts exactly that.
//!
//! Split rule, after PostgreSQL's nbtree (`src/include/access/nbtree.h`, `nbtsplitloc.c`): a
//! page that is not the rightmost on its level splits into equal halves; the rightmost page
//! splits so the left half keeps the fillfactor — 90 % for leaves (`BTREE_DEFAULT_FILLFACTOR`),
//! 70 % for internal pages (`BTREE_NONLEAF_FILLFACTOR`) — because ascending inserts will keep
//! filling the new right page. Keys are unique (a primary key): a repeated key is rejected, as a
//! database rejects a duplicate with a unique-constraint error.

/// Left-page share when the rightmost leaf splits (nbtree's default fillfactor, 90 %).
pub const LEAF_FILLFACTOR: f64 = 0.90;
/// Left-page share when the rightmost internal page splits (70 %).
pub const NONLEAF_FILLFACTOR: f64 = 0.70;

#[derive(Clone, Debug)]
enum Page {
    Leaf {
        keys: Vec<u128>,
    },
    Internal {
        keys: Vec<u128>,
        children: Vec<usize>,
    },
}

/// What one insert did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Insert {
    /// The leaf page the key went to (its id), or would have gone to when a duplicate.
    pub leaf: usize,
    /// Pages split by this insert (leaf and internal).
    pub splits: u32,
    /// The new right leaf when the leaf split.
    pub new_leaf: Option<usize>,
    /// Pages written: the leaf, every page a split created or changed, a new root.
    pub pages_written: u32,
    /// The key was already there and was rejected.
    pub duplicate: bool,
}

/// Totals over all inserts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub inserts: u64,
    pub leaf_splits: u64,
    pub internal_splits: u64,
    pub pages_written: u64,
    pub duplicates: u64,
}

#[derive(Clone, Debug)]
pub struct BTree {
    cap: usize,
    pages: Vec<Page>,
    root: usize,
    height: u32,
    totals: Totals,
}

impl BTree {
    /// An empty index whose pages hold at most `keys_per_page` keys (at least 3).
    pub fn new(keys_per_page: usize) -> Self {
        BTree {
            cap: keys_per_page.max(3),
            pages: vec![Page::Leaf { keys: Vec::new() }],
            root: 0,
            height: 1,
            totals: Totals::default(),
        }
    }

    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// Levels from the root to the leaves (the pages read by every insert).
    pub fn height(&self) -> u32 {
        self.height
    }

    pub fn leaf_pages(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| matches!(p, Page::Leaf { .. }))
            .count()
    }

    /// Keys stored over the keys the leaves could hold.
    pub fn leaf_fill(&self) -> f64 {
        let (keys, leaves) = self
            .pages
            .iter()
            .fold((0usize, 0usize), |(k, l), p| match p {
                Page::Leaf { keys } => (k + keys.len(), l + 1),
                Page::Internal { .. } => (k, l),
            });
        keys as f64 / (leaves * self.cap) as f64
    }

    /// Inserts `key`, splitting pages as needed.
    pub fn insert(&mut self, key: u128) -> Insert {
        // Descend, remembering (page, child index) and whether we stayed on the right edge.
        let mut path: Vec<(usize, usize)> = Vec::with_capacity(self.height as usize);
        let mut at = self.root;
        let mut rightmost = true;
        let mut rightmost_path: Vec<bool> = Vec::with_capacity(self.height as usize);
        while let Page::Internal { keys, children } = &self.pages[at] {
            let i = keys.partition_point(|k| *k <= key);
            rightmost_path.push(rightmost);
            rightmost &= i + 1 == children.len();
            path.push((at, i));
            at = children[i];
        }
        let leaf = at;
        let Page::Leaf { keys } = &mut self.pages[leaf] else {
            unreachable!()
        };
        let pos = match keys.binary_search(&key) {
            Ok(_) => {
                self.totals.duplicates += 1;
                return Insert {
                    leaf,
                    duplicate: true,
                    ..Insert::default()
                };
            }
            Err(p) => p,
        };
        keys.insert(pos, key);
        self.totals.inserts += 1;
        let mut out = Insert {
            leaf,
            pages_written: 1,
            ..Insert::default()
        };
        if keys.len() <= self.cap {
            self.totals.pages_written += 1;
            return out;
        }

        // Split the leaf, then carry separators up while pages overflow.
        let left_len = split_point(keys.len(), self.cap, rightmost, LEAF_FILLFACTOR);
        let right_keys = keys.split_off(left_len);
        let mut sep = right_keys[0];
        let mut new_page = self.push(Page::Leaf { keys: right_keys });
        out.new_leaf = Some(new_page);
        out.splits = 1;
        out.pages_written += 1;
        self.totals.leaf_splits += 1;
        loop {
            let Some((parent, i)) = path.pop() else {
                // The root split: a new root above it.
                let old = self.root;
                self.root = self.push(Page::Internal {
                    keys: vec![sep],
                    children: vec![old, new_page],
                });
                self.height += 1;
                out.pages_written += 1;
                break;
            };
            let parent_rightmost = rightmost_path.pop().unwrap_or(false);
            let Page::Internal { keys, children } = &mut self.pages[parent] else {
                unreachable!()
            };
            keys.insert(i, sep);
            children.insert(i + 1, new_page);
            out.pages_written += 1;
            if keys.len() <= self.cap {
                break;
            }
            let left_len = split_point(keys.len(), self.cap, parent_rightmost, NONLEAF_FILLFACTOR);
            let mut right_keys = keys.split_off(left_len);
            let right_children = children.split_off(left_len + 1);
            sep = right_keys.remove(0);
            new_page = self.push(Page::Internal {
                keys: right_keys,
                children: right_children,
            });
            out.splits += 1;
            out.pages_written += 1;
            self.totals.internal_splits += 1;
        }
        self.totals.pages_written += u64::from(out.pages_written);
        out
    }

    fn push(&mut self, p: Page) -> usize {
        self.pages.push(p);
        self.pages.len() - 1
    }

    /// Every key in order, checking the tree's invariants on the way (for tests).
    pub fn keys_in_order(&self) -> Vec<u128> {
        let mut out = Vec::new();
        self.walk(self.root, None, None, &mut out);
        out
    }

    fn walk(&self, at: usize, lo: Option<u128>, hi: Option<u128>, out: &mut Vec<u128>) {
        let inside = |k: u128| lo.is_none_or(|l| k >= l) && hi.is_none_or(|h| k < h);
        match &self.pages[at] {
            Page::Leaf { keys } => {
                assert!(keys.len() <= self.cap && keys.iter().all(|k| inside(*k)));
                out.extend(keys);
            }
            Page::Internal { keys, children } => {
                assert!(keys.len() <= self.cap && children.len() == keys.len() + 1);
                for (i, &c) in children.iter().enumerate() {
                    let l = if i == 0 { lo } else { Some(keys[i - 1]) };
                    let h = if i == keys.len() { hi } else { Some(keys[i]) };
                    self.walk(c, l, h, out);
                }
            }
        }
    }
}

/// How many of `len` keys stay on the left page of a split.
fn split_point(len: usize, cap: usize, rightmost: bool, fillfactor: f64) -> usize {
    let want = if rightmost {
        (cap as f64 * fillfactor).round() as usize
    } else {
        len / 2
    };
    want.clamp(1, len - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::rng::SimRng;

    #[test]
    fn ascending_keys_fill_pages_to_the_fillfactor() {
        let mut t = BTree::new(100);
        for k in 0..10_000u128 {
            let r = t.insert(k);
            assert!(!r.duplicate);
        }
        assert_eq!(t.keys_in_order(), (0..10_000u128).collect::<Vec<_>>());
        let fill = t.leaf_fill();
        assert!((0.89..=0.91).contains(&fill), "fill {fill}");
        assert_eq!(t.totals().leaf_splits as usize, t.leaf_pages() - 1);
    }

    #[test]
    fn random_keys_leave_pages_about_ln2_full_and_split_more() {
        let mut rng = SimRng::new(11, 1);
        let mut t = BTree::new(100);
        let mut keys = Vec::new();
        for _ in 0..20_000 {
            let k = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
            keys.push(k);
            t.insert(k);
        }
        keys.sort_unstable();
        assert_eq!(t.keys_in_order(), keys);
        let fill = t.leaf_fill();
        // Yao (1978): random insertion leaves B-tree pages ln 2 ≈ 69 % full.
        assert!((0.64..=0.75).contains(&fill), "fill {fill}");
        let mut seq = BTree::new(100);
        (0..20_000u128).for_each(|k| {
            seq.insert(k);
        });
        assert!(t.totals().leaf_splits > seq.totals().leaf_splits * 5 / 4);
    }

    #[test]
    fn a_repeated_key_is_rejected() {
        let mut t = BTree::new(4);
        for k in [5, 1, 9, 3, 7, 2] {
            t.insert(k);
        }
        let r = t.insert(9);
        assert!(r.duplicate);
        assert_eq!(t.totals().duplicates, 1);
        assert_eq!(t.keys_in_order(), vec![1, 2, 3, 5, 7, 9]);
    }
}
