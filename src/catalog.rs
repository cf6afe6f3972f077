//! The map of building blocks shown on the home page, in reading order.
//!
//! The catalog is static text; whether a card is *ready* is never written here. It is asked of the
//! engine's registry (through `engine::catalog`, the blocks the engine describes), so a block
//! registered in `sim/` lights up its card with no change to the app, and a card whose block does
//! not exist yet has no page.

use crate::engine::catalog as registry;
use hopscope_sim::BlockSpec;

/// One card of the map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    /// Stable name of the card (`data-block`); also the scenario id the block will be given.
    pub slug: &'static str,
    pub title: &'static str,
    /// One plain sentence: what the block is for.
    pub sentence: &'static str,
    /// The scenario id that implements this card, when one is planned.
    pub scenario: Option<&'static str>,
}

impl Entry {
    /// The registered block behind this card, if it has been built.
    pub fn block(&self) -> Option<&'static dyn BlockSpec> {
        self.scenario.and_then(registry::find_spec)
    }

    pub fn is_ready(&self) -> bool {
        self.block().is_some()
    }
}

const fn entry(slug: &'static str, title: &'static str, sentence: &'static str) -> Entry {
    Entry {
        slug,
        title,
        sentence,
        scenario: Some(slug),
    }
}

/// The sixteen building blocks of the map.
pub static ENTRIES: &[Entry] = &[
    entry(
        "dns",
        "DNS",
        "Turns a name like example.com into an address, through resolvers, caches and TTLs.",
    ),
    entry(
        "lb",
        "Load balancers",
        "Spread requests over a pool of servers and keep one slow server from hurting everyone.",
    ),
    entry(
        "db",
        "Databases",
        "Keep data safe with replication and decide who answers reads and writes.",
    ),
    entry(
        "kv",
        "Key-value store",
        "Store values by key across many nodes with consistent hashing and quorums.",
    ),
    entry(
        "cdn",
        "Content delivery network",
        "Serve files from an edge close to the reader and go back to the origin only on a miss.",
    ),
    entry(
        "ids",
        "Sequencer / unique IDs",
        "Hand out unique, roughly time-ordered IDs on many machines without a central counter.",
    ),
    entry(
        "monitoring",
        "Service monitoring",
        "Collect health checks and metrics, and raise an alert when something drifts.",
    ),
    entry(
        "cache",
        "Distributed caching",
        "Keep hot data in memory in front of a slow store, and choose what to evict.",
    ),
    entry(
        "queue",
        "Distributed messaging queue",
        "Let producers and consumers work at their own pace, with retries and ordering.",
    ),
    entry(
        "pubsub",
        "Publish–subscribe",
        "Deliver each published message to every subscriber of a topic.",
    ),
    entry(
        "ratelimit",
        "Rate limiter",
        "Cap how many requests a client may send, with token buckets and sliding windows.",
    ),
    entry(
        "blob",
        "Blob store",
        "Store large files as chunks spread over many disks, and survive losing a few.",
    ),
    entry(
        "search",
        "Distributed search",
        "Index documents in shards and merge the best matches from every shard.",
    ),
    entry(
        "logging",
        "Distributed logging",
        "Gather log lines from every service into one ordered, searchable stream.",
    ),
    entry(
        "scheduler",
        "Distributed task scheduling",
        "Run jobs on time on a pool of workers, once, even when a worker dies.",
    ),
    entry(
        "counters",
        "Sharded counters",
        "Count likes or views at high write rates by splitting one counter into shards.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sixteen_distinct_cards() {
        assert_eq!(ENTRIES.len(), 16);
        let mut slugs: Vec<&str> = ENTRIES.iter().map(|e| e.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 16);
    }

    #[test]
    fn readiness_comes_from_the_registry() {
        for e in ENTRIES {
            let registered = e
                .scenario
                .is_some_and(|id| registry::find_spec(id).is_some());
            assert_eq!(e.is_ready(), registered, "{}", e.slug);
        }
        let lb = ENTRIES
            .iter()
            .find(|e| e.slug == "lb")
            .expect("the load balancer card");
        assert!(lb.is_ready());
    }

    #[test]
    fn every_registered_block_has_a_card() {
        for b in registry::specs() {
            assert!(
                ENTRIES.iter().any(|e| e.scenario == Some(b.id())),
                "block {} has no card on the home page",
                b.id()
            );
        }
    }
}
