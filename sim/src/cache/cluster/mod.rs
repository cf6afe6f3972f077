//! Mode `cluster`: a client-side sharded cache (as memcached clients do) — every key has an
//! owner node chosen by [`Sharding`]; each node is a read-through cache with its own policy and
//! capacity in front of the shared database.
//!
//! A node that leaves (`remove:N@T`) or joins (`add@T`) changes the owners: the run counts the
//! keys that move (over every key the workload can ask for) and, for comparison, how many the
//! other scheme would have moved; moved keys miss on their new node, which is the dip in the hit
//! ratio. `crash:N@T` empties a node without changing owners. With `hot_share`, that share of
//! all accesses asks for one key, `hot:key`, stored on `replicas` nodes (the owner and its
//! successors); each of its reads picks a replica at random.

mod membership;
mod report;

use crate::cache::config::Config;
use crate::cache::faults::FaultKind;
use crate::cache::keys::Names;
use crate::cache::narration;
use crate::cache::policy::ttl::Expiring;
use crate::cache::policy::{build, Key};
use crate::cache::ring::{xxh64, Sharding};
use crate::cache::scenario::{chart_points, expected_end, record_insides, Arrivals, EVENT_CAP};
use crate::cache::stats::Buckets;
use crate::kernel::queue::{Lane, Scheduler};
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::{bucket_width, CountSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;

const CLIENT: NodeId = 0;
const STREAM_HOT: u64 = 33;
const STREAM_REPLICA: u64 = 34;
const NARRATED: u32 = 12;

#[derive(Clone, Copy, Debug)]
enum Ev {
    Send(u32),
    AtNode(u32, u32, u32),
    Leave(u32, u32, u32, bool),
    DbAnswer(u32, u32, u32),
    Back(u32, u32, u32),
    Fault(usize),
}

struct CacheNode {
    store: Expiring,
    requests: u64,
    hits: u64,
    misses: u64,
    evictions: u64,
    load: CountSeries,
}

struct Change {
    at: SimTime,
    what: String,
    moved: u64,
    other_moved: u64,
}

struct World<'a> {
    cfg: &'a Config,
    keys: &'a [Key],
    names: &'a Names,
    hashes: Vec<u64>,
    hot: Option<Key>,
    hot_rng: SimRng,
    replica_rng: SimRng,
    sharding: Sharding,
    other: Sharding,
    nodes: Vec<CacheNode>,
    db: NodeId,
    sched: Scheduler<Ev>,
    lanes: [Lane; 5],
    trace: Trace,
    arrivals: Arrivals,
    buckets: Buckets,
    changes: Vec<Change>,
    hot_reads: u64,
    total_hits: u64,
    total_misses: u64,
    hot_told: bool,
}

fn node_id(n: u32) -> NodeId {
    n + 1
}

impl World<'_> {
    fn now(&self) -> SimTime {
        self.sched.now()
    }

    fn handle(&mut self, ev: Ev) {
        let link = self.cfg.link;
        match ev {
            Ev::Send(i) => self.send(i),
            Ev::AtNode(i, n, key) => self.at_node(i, n, key),
            Ev::Leave(i, n, key, hit) => {
                let now = self.now();
                let k = self.names.name(key);
                if hit {
                    self.trace.hop(
                        now,
                        now + link,
                        node_id(n),
                        CLIENT,
                        u64::from(i) + 1,
                        format!("hit {k}"),
                    );
                } else {
                    self.trace.hop(
                        now,
                        now + link,
                        node_id(n),
                        self.db,
                        u64::from(i) + 1,
                        format!("read {k}"),
                    );
                    self.sched.at_in(
                        self.lanes[2],
                        now + link + self.cfg.db_time,
                        Ev::DbAnswer(i, n, key),
                    );
                }
            }
            Ev::DbAnswer(i, n, key) => {
                let now = self.now();
                self.trace.hop(
                    now,
                    now + link,
                    self.db,
                    node_id(n),
                    u64::from(i) + 1,
                    self.names.name(key),
                );
                self.sched
                    .at_in(self.lanes[3], now + link, Ev::Back(i, n, key));
            }
            Ev::Back(i, n, key) => {
                let now = self.now();
                let k = self.names.name(key);
                self.trace.hop(
                    now,
                    now + link,
                    node_id(n),
                    CLIENT,
                    u64::from(i) + 1,
                    format!("{k} (from the database)"),
                );
            }
            Ev::Fault(f) => self.fault(f),
        }
    }

    fn send(&mut self, i: u32) {
        let now = self.now();
        let key = match self.hot {
            Some(h) if self.hot_rng.unit() < self.cfg.hot_share => h,
            _ => self.keys[i as usize],
        };
        let hash = self.hashes[key as usize];
        let n = if Some(key) == self.hot && self.cfg.replicas > 1 {
            self.hot_reads += 1;
            let reps = self.sharding.replicas(hash, self.cfg.replicas);
            reps[self.replica_rng.below(reps.len() as u64) as usize]
        } else {
            if Some(key) == self.hot {
                self.hot_reads += 1;
            }
            self.sharding.owner(hash)
        } as u32;
        let arrive = now + self.cfg.link;
        if self.trace.recording() {
            let k = self.names.name(key);
            self.trace.hop(
                now,
                arrive,
                CLIENT,
                node_id(n),
                u64::from(i) + 1,
                format!("get {k}"),
            );
        }
        if i < NARRATED {
            self.narrate_route(key, hash, n);
        }
        self.sched
            .at_in(self.lanes[0], arrive, Ev::AtNode(i, n, key));
        if (i as usize) + 1 < self.keys.len() {
            let next = self.arrivals.next_time();
            self.sched.at_in(self.lanes[4], next, Ev::Send(i + 1));
        }
    }

    fn narrate_route(&mut self, key: Key, hash: u64, n: u32) {
        let now = self.now();
        let k = self.names.name(key);
        let live = self.sharding.live().len();
        let how = if self.sharding.is_ring() {
            format!(
                "{k} hashes to {:.1}% of the way round the ring; the first virtual node clockwise belongs to cache {}",
                100.0 * Sharding::position(hash),
                n + 1
            )
        } else {
            format!(
                "hash({k}) mod {live} = {} → cache {}",
                hash % live as u64,
                n + 1
            )
        };
        let hot = if Some(key) == self.hot && self.cfg.replicas > 1 {
            format!(
                " (hot:key has {} replicas; this read picked cache {})",
                self.cfg.replicas,
                n + 1
            )
        } else {
            String::new()
        };
        self.trace
            .step(now, Some(node_id(n)), format!("get {k}: {how}{hot}."));
    }

    fn at_node(&mut self, i: u32, n: u32, key: Key) {
        let now = self.now();
        let c = &mut self.nodes[n as usize];
        c.requests += 1;
        c.load.add(now);
        let out = c.store.access(key, now);
        let recording = self.trace.recording();
        for &x in c.store.just_expired() {
            if recording {
                self.trace
                    .remove(now, node_id(n), self.names.name(x), "expired (TTL)");
            }
        }
        if out.hit {
            c.hits += 1;
            self.total_hits += 1;
        } else {
            c.misses += 1;
            self.total_misses += 1;
            self.buckets.db(now + self.cfg.cache_time + self.cfg.link);
            if let Some(v) = out.evicted {
                c.evictions += 1;
                if recording {
                    self.trace
                        .remove(now, node_id(n), self.names.name(v), "evicted");
                }
            }
            if recording && c.store.contains(key) {
                let expires = c.store.expires_at(key);
                self.trace.entry(
                    now,
                    node_id(n),
                    self.names.name(key),
                    format!("loaded at {now}"),
                    expires,
                );
            }
        }
        self.buckets.access(now, out.hit);
        let hit_lat = SimDuration(2 * self.cfg.link.as_micros()) + self.cfg.cache_time;
        let lat = if out.hit {
            hit_lat
        } else {
            hit_lat + SimDuration(2 * self.cfg.link.as_micros()) + self.cfg.db_time
        };
        let sent = SimTime(now.as_micros().saturating_sub(self.cfg.link.as_micros()));
        self.buckets.latency(sent + lat, lat);
        let first = c.requests == 1;
        record_insides(
            &mut self.trace,
            now,
            node_id(n),
            &mut self.nodes[n as usize].store,
            self.names,
            first,
        );
        if Some(key) == self.hot && !self.hot_told && self.cfg.replicas == 1 {
            self.hot_told = true;
            self.trace.step(now, Some(node_id(n)), format!(
                "hot:key takes {:.0}% of all requests, and all of them land on cache {}, its owner: one node carries the hot key's whole load.",
                self.cfg.hot_share * 100.0,
                n + 1
            ));
        }
        if self.trace.recording() {
            self.sched.at_in(
                self.lanes[1],
                now + self.cfg.cache_time,
                Ev::Leave(i, n, key, out.hit),
            );
        }
    }
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let mut stream = cfg.workload.stream(seed);
    let hot = (cfg.hot_share > 0.0).then(|| stream.names.add("hot:key"));
    let n = stream.keys.len();
    let total_nodes = cfg.nodes
        + cfg
            .faults
            .iter()
            .filter(|f| f.kind == FaultKind::Add)
            .count();
    let width = bucket_width(expected_end(cfg, n), chart_points(n));
    let opts = cfg.options(seed);
    let names = &stream.names;
    let hashes: Vec<u64> = (0..names.count())
        .map(|k| xxh64(names.name(k).as_bytes()))
        .collect();
    let live: Vec<usize> = (0..cfg.nodes).collect();
    let mut sched = Scheduler::new();
    let lanes = [
        sched.lane(),
        sched.lane(),
        sched.lane(),
        sched.lane(),
        sched.lane(),
    ];
    let mut w = World {
        cfg,
        keys: &stream.keys,
        names,
        hashes,
        hot,
        hot_rng: SimRng::new(seed, STREAM_HOT),
        replica_rng: SimRng::new(seed, STREAM_REPLICA),
        sharding: Sharding::new(cfg.ring, cfg.vnodes, live.clone()),
        other: Sharding::new(!cfg.ring, cfg.vnodes, live),
        nodes: (0..total_nodes)
            .map(|_| CacheNode {
                store: Expiring::new(build(cfg.policies[0], cfg.capacity, &opts), cfg.ttl),
                requests: 0,
                hits: 0,
                misses: 0,
                evictions: 0,
                load: CountSeries::new(width),
            })
            .collect(),
        db: (total_nodes + 1) as NodeId,
        sched,
        lanes,
        trace: Trace::new(EVENT_CAP),
        arrivals: Arrivals::new(cfg, seed),
        buckets: Buckets::new(width),
        changes: Vec::new(),
        hot_reads: 0,
        total_hits: 0,
        total_misses: 0,
        hot_told: false,
    };
    let scheme = if cfg.ring {
        format!("a consistent-hash ring ({} virtual nodes each)", cfg.vnodes)
    } else {
        format!("hash mod {}", cfg.nodes)
    };
    w.trace.step(
        SimTime::ZERO,
        None,
        format!(
            "{} cache nodes ({}, {} entries each) share the keys by {scheme}; the client sends each of {} accesses ({}) to the key's owner, {}.",
            cfg.nodes,
            cfg.policies[0].title(),
            narration::thousands(cfg.capacity as u64),
            narration::thousands(n as u64),
            cfg.workload.describe(),
            narration::pace(cfg),
        ),
    );
    for j in 0..cfg.nodes {
        record_insides(
            &mut w.trace,
            SimTime::ZERO,
            node_id(j as u32),
            &mut w.nodes[j].store,
            w.names,
            true,
        );
    }
    let first = w.arrivals.next_time();
    w.sched.at(first, Ev::Send(0));
    for (i, f) in cfg.faults.iter().enumerate() {
        w.sched.at(f.at, Ev::Fault(i));
    }
    while let Some((_, ev)) = w.sched.pop() {
        w.handle(ev);
    }
    report::finish(w, n, total_nodes)
}
