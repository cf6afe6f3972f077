//! Eviction policies: small pure types, each following a cited source and tested against it.
//!
//! Every policy implements [`Policy`]: `access(key)` is one read of the cache — a hit updates
//! the policy's state, a miss admits the key (evicting one resident key when full). The cache
//! starts empty. Keys are interned `u32` ids (see `cache::keys`); every per-access operation is
//! O(1) over the intrusive lists of [`list::Lists`] (LFU's rare aging pass excepted).
//!
//! The policies also describe their insides for the page: named ordered lists (front = most
//! recent / safest end, back = the end they evict from), a few gauges (ARC's target `p`), and one
//! sentence explaining the last decision.

pub mod arc;
pub mod fifo;
pub mod lfu;
pub mod list;
pub mod lru;
pub mod random;
pub mod sketch;
pub mod ttl;
pub mod wtinylfu;

use crate::kernel::rng::SimRng;

/// An interned key (see `cache::keys::Names` for its text).
pub type Key = u32;

/// The policies, in the order the CLI, charts and results list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyId {
    Lru,
    Fifo,
    Random,
    Lfu,
    Arc,
    WTinyLfu,
}

impl PolicyId {
    pub const ALL: [PolicyId; 6] = [
        PolicyId::Lru,
        PolicyId::Fifo,
        PolicyId::Random,
        PolicyId::Lfu,
        PolicyId::Arc,
        PolicyId::WTinyLfu,
    ];

    /// The id in `--set policy=`.
    pub fn id(self) -> &'static str {
        match self {
            PolicyId::Lru => "lru",
            PolicyId::Fifo => "fifo",
            PolicyId::Random => "random",
            PolicyId::Lfu => "lfu",
            PolicyId::Arc => "arc",
            PolicyId::WTinyLfu => "wtinylfu",
        }
    }

    /// The name a person reads (legends, node labels, narration).
    pub fn title(self) -> &'static str {
        match self {
            PolicyId::Lru => "LRU",
            PolicyId::Fifo => "FIFO",
            PolicyId::Random => "Random",
            PolicyId::Lfu => "LFU",
            PolicyId::Arc => "ARC",
            PolicyId::WTinyLfu => "W-TinyLFU",
        }
    }

    pub fn parse(id: &str) -> Option<PolicyId> {
        PolicyId::ALL.into_iter().find(|p| p.id() == id)
    }
}

/// What one access did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub hit: bool,
    /// The resident key that left the cache to make room (ghost bookkeeping aside).
    pub evicted: Option<Key>,
}

impl Outcome {
    pub const HIT: Outcome = Outcome {
        hit: true,
        evicted: None,
    };
    pub fn miss(evicted: Option<Key>) -> Outcome {
        Outcome {
            hit: false,
            evicted,
        }
    }
}

/// Turns a key id into its text (only called when something is recorded or narrated).
pub type NameFn<'a> = &'a dyn Fn(Key) -> String;

/// Items of a list as recorded for the page: at most `limit` texts and how many were left out.
pub struct ListView {
    pub items: Vec<String>,
    pub more: u64,
}

impl ListView {
    pub fn of(keys: impl Iterator<Item = String>, len: usize, limit: usize) -> ListView {
        let items: Vec<String> = keys.take(limit).collect();
        let more = (len - items.len()) as u64;
        ListView { items, more }
    }
}

pub trait Policy {
    fn id(&self) -> PolicyId;
    /// Most resident keys.
    fn capacity(&self) -> usize;
    /// Resident keys now.
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn contains(&self, key: Key) -> bool;
    /// One read of `key`: a hit, or a miss that admits it (evicting when full).
    fn access(&mut self, key: Key) -> Outcome;
    /// Drops `key` if resident (invalidation, expiry, a node's lost memory); true if it was.
    /// Ghost entries (ARC's B1/B2) are kept: they are history, not data.
    fn remove(&mut self, key: Key) -> bool;
    /// Drops everything, history included (a node crashed and restarted empty).
    fn clear(&mut self);
    /// Every resident key (for a crash's bookkeeping and final reports; not per access).
    fn resident(&self) -> Vec<Key>;
    /// Names of the lists [`Policy::list`] describes, in display order.
    fn list_names(&self) -> &'static [&'static str];
    /// List `which` (an index into `list_names`), front first.
    fn list(&self, which: usize, limit: usize, name: NameFn) -> ListView;
    /// Bit `i` set: list `i` changed since the last call (so unchanged lists are not recorded).
    fn take_changed(&mut self) -> u32;
    /// Numbers worth showing beside the lists (ARC's target `p`).
    fn gauges(&self) -> Vec<(&'static str, f64)> {
        Vec::new()
    }
    /// A short name for the kind of decision the last access was ("hit", "evict", "ghost_b1",
    /// "reject", …), so narration can tell each kind once instead of repeating the commonest.
    fn case(&self, outcome: Outcome) -> &'static str {
        match outcome {
            Outcome { hit: true, .. } => "hit",
            Outcome {
                evicted: Some(_), ..
            } => "evict",
            _ => "fill",
        }
    }
    /// One clause on what the last access did to `key`, e.g. "miss: LRU evicts user:7, the least
    /// recently used".
    fn explain(&self, key: Key, outcome: Outcome, name: NameFn) -> String;
}

/// Settings some policies need beyond their capacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// LFU: halve every count after this many accesses (0: never).
    pub lfu_halve_every: u64,
    /// W-TinyLFU: put the TinyLFU paper's doorkeeper Bloom filter in front of the sketch.
    pub doorkeeper: bool,
    /// Seed for the random choices (random eviction, W-TinyLFU's hash-flooding guard).
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lfu_halve_every: 0,
            doorkeeper: false,
            seed: 1,
        }
    }
}

/// Random streams for the policies (see `kernel::rng`): distinct from the workload's.
const STREAM_RANDOM_EVICTION: u64 = 40;
const STREAM_TINYLFU_JITTER: u64 = 41;

/// The policy `id` with room for `capacity` keys (at least 1).
pub fn build(id: PolicyId, capacity: usize, opts: &Options) -> Box<dyn Policy> {
    let capacity = capacity.max(1);
    match id {
        PolicyId::Lru => Box::new(lru::Lru::new(capacity)),
        PolicyId::Fifo => Box::new(fifo::Fifo::new(capacity)),
        PolicyId::Random => Box::new(random::RandomEviction::new(
            capacity,
            SimRng::new(opts.seed, STREAM_RANDOM_EVICTION),
        )),
        PolicyId::Lfu => Box::new(lfu::Lfu::new(capacity, opts.lfu_halve_every)),
        PolicyId::Arc => Box::new(arc::Arc::new(capacity)),
        PolicyId::WTinyLfu => Box::new(wtinylfu::WTinyLfu::new(
            capacity,
            opts.doorkeeper,
            SimRng::new(opts.seed, STREAM_TINYLFU_JITTER),
        )),
    }
}

/// "1 time" or "3 times" — for narration.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Test helpers shared by the policies' unit tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;

    /// Interns single-letter keys `a`..`z` as 0..25.
    pub fn k(c: char) -> Key {
        c as Key - 'a' as Key
    }

    pub fn name(key: Key) -> String {
        char::from_u32('a' as u32 + key).map_or_else(|| format!("#{key}"), String::from)
    }

    /// Runs `seq` (one letter per access) and returns 'h' / 'm' per access.
    pub fn run(p: &mut dyn Policy, seq: &str) -> String {
        seq.chars()
            .filter(|c| c.is_ascii_lowercase())
            .map(|c| if p.access(k(c)).hit { 'h' } else { 'm' })
            .collect()
    }

    /// List `which` as letters, front first.
    pub fn letters(p: &dyn Policy, which: usize) -> String {
        p.list(which, usize::MAX, &name).items.concat()
    }

    /// Every list as `name=letters`, space separated.
    pub fn lists(p: &dyn Policy) -> String {
        p.list_names()
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{n}={}", letters(p, i)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
