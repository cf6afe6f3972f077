//! Keys: interned once to dense `u32` ids, given text only when something is recorded.
//!
//! Policies, sketches and the cluster's hashing all work on ids; a generated workload never
//! formats a key name on the per-access path. Typed sequences and trace files are interned in
//! order of first appearance (a `BTreeMap`, so nothing depends on hash order).

use super::policy::Key;
use std::collections::BTreeMap;

/// The text of every key id a run can use.
#[derive(Clone, Debug, PartialEq)]
pub enum Names {
    /// Generated workloads: ids `0..users` are `user:1`, `user:2`, … (`user:1` is the most
    /// popular under Zipf), then `scans` one-time keys `scan:1`, …, then extra named keys.
    Generated {
        users: u32,
        scans: u32,
        extra: Vec<String>,
    },
    /// Typed or traced keys, by id.
    Interned(Vec<String>),
}

impl Names {
    pub fn name(&self, k: Key) -> String {
        match self {
            Names::Generated {
                users,
                scans,
                extra,
            } => {
                if k < *users {
                    format!("user:{}", k + 1)
                } else if k - users < *scans {
                    format!("scan:{}", k - users + 1)
                } else {
                    extra
                        .get((k - users - scans) as usize)
                        .cloned()
                        .unwrap_or_else(|| format!("key#{k}"))
                }
            }
            Names::Interned(v) => v
                .get(k as usize)
                .cloned()
                .unwrap_or_else(|| format!("key#{k}")),
        }
    }

    /// How many key ids exist (`0..count`).
    pub fn count(&self) -> u32 {
        match self {
            Names::Generated {
                users,
                scans,
                extra,
            } => users + scans + extra.len() as u32,
            Names::Interned(v) => v.len() as u32,
        }
    }

    /// The id of an extra key named `name`, adding it if new (e.g. the cluster's hot key).
    pub fn add(&mut self, name: &str) -> Key {
        let count = self.count();
        match self {
            Names::Generated {
                users,
                scans,
                extra,
            } => match extra.iter().position(|n| n == name) {
                Some(i) => *users + *scans + i as Key,
                None => {
                    extra.push(name.to_string());
                    count
                }
            },
            Names::Interned(v) => match v.iter().position(|n| n == name) {
                Some(i) => i as Key,
                None => {
                    v.push(name.to_string());
                    count
                }
            },
        }
    }
}

/// Assigns ids in order of first appearance.
#[derive(Default)]
pub struct Interner {
    ids: BTreeMap<String, Key>,
    names: Vec<String>,
}

impl Interner {
    pub fn intern(&mut self, name: &str) -> Key {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as Key;
        self.ids.insert(name.to_string(), id);
        self.names.push(name.to_string());
        id
    }

    pub fn into_names(self) -> Names {
        Names::Interned(self.names)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_names_and_interning() {
        let mut n = Names::Generated {
            users: 3,
            scans: 2,
            extra: vec![],
        };
        let got: Vec<String> = (0..5).map(|k| n.name(k)).collect();
        assert_eq!(got, ["user:1", "user:2", "user:3", "scan:1", "scan:2"]);
        assert_eq!(n.add("hot:key"), 5);
        assert_eq!((n.name(5), n.count()), ("hot:key".to_string(), 6));
        let mut i = Interner::default();
        let ids: Vec<Key> = ["b", "a", "b", "c"].iter().map(|s| i.intern(s)).collect();
        assert_eq!(ids, [0, 1, 0, 2]);
        let mut names = i.into_names();
        assert_eq!(names.name(1), "a");
        assert_eq!(names.add("a"), 1);
        assert_eq!(names.add("z"), 3);
    }
}
