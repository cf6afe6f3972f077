//! The workers of a scenario: each one a generator on its own lying clock, with its own random
//! stream, and one uniform way for the scenario to ask it for an ID.

use super::clock::WorkerClock;
use super::config::Config;
use super::generate::{GenError, WaitReason};
use super::naive::NaiveCounter;
use super::sequencer::Lease;
use super::snowflake::{OnBackwards, Snowflake};
use super::sonyflake::{self, Sonyflake};
use super::ulid::MonotonicUlid;
use super::uuid::{Uuid, UuidV7Generator};
use crate::kernel::rng::SimRng;
use crate::kernel::time::SimDuration;
use std::collections::VecDeque;

/// Random streams (see `kernel::rng`): the clocks' errors, then one per worker and one per
/// worker's comparison generators.
const STREAM_CLOCKS: u64 = 3;
const STREAM_WORKER: u64 = 1_000;
const STREAM_SHADOW: u64 = 100_000;

/// The schemes a scenario can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Generator {
    Snowflake,
    Sonyflake,
    UuidV4,
    UuidV7,
    Ulid,
    Ticket,
    Central,
    Naive,
}

impl Generator {
    pub fn from_key(k: &str) -> Generator {
        match k {
            "sonyflake" => Generator::Sonyflake,
            "uuid4" => Generator::UuidV4,
            "uuid7" => Generator::UuidV7,
            "ulid" => Generator::Ulid,
            "ticket" => Generator::Ticket,
            "central" => Generator::Central,
            "naive" => Generator::Naive,
            _ => Generator::Snowflake,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Generator::Snowflake => "snowflake",
            Generator::Sonyflake => "sonyflake",
            Generator::UuidV4 => "uuid4",
            Generator::UuidV7 => "uuid7",
            Generator::Ulid => "ulid",
            Generator::Ticket => "ticket",
            Generator::Central => "central",
            Generator::Naive => "naive",
        }
    }

    /// IDs come from a server over the network rather than from the worker itself.
    pub fn is_remote(self) -> bool {
        matches!(self, Generator::Ticket | Generator::Central)
    }

    /// The canonical text of an ID of this scheme.
    pub fn text(self, id: u128) -> String {
        match self {
            Generator::UuidV4 | Generator::UuidV7 => Uuid(id).to_string(),
            Generator::Ulid => super::ulid::Ulid(id).to_string(),
            _ => id.to_string(),
        }
    }
}

/// What a worker's generator did with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Issued(u128),
    /// Issued, but the call returns only after sleeping this long (Sonyflake).
    IssuedAfter(u128, SimDuration),
    /// Ask again when the clock reads `until_ms`.
    Wait {
        until_ms: u64,
        reason: WaitReason,
    },
    /// The request fails.
    Refused(GenError),
}

/// A worker's own generator.
pub enum LocalGen {
    Snowflake(Snowflake),
    Naive(NaiveCounter),
    Sonyflake(Sonyflake),
    V4,
    V7(UuidV7Generator),
    Ulid(MonotonicUlid),
    /// IDs come from the sequencer or a ticket server.
    Remote,
}

impl LocalGen {
    pub fn next(&mut self, now_ms: u64, rng: &mut SimRng) -> Outcome {
        let r = match self {
            LocalGen::Snowflake(g) => g.next_id(now_ms).map(u128::from),
            LocalGen::Naive(g) => g.next_id(now_ms).map(u128::from),
            LocalGen::Sonyflake(g) => {
                return match g.next_id(now_ms) {
                    Ok(i) if i.sleep_ms > 0 => {
                        Outcome::IssuedAfter(u128::from(i.id), SimDuration::from_millis(i.sleep_ms))
                    }
                    Ok(i) => Outcome::Issued(u128::from(i.id)),
                    Err(e) => Outcome::Refused(e),
                }
            }
            LocalGen::V4 => Ok(Uuid::v4_from(rng).0),
            LocalGen::V7(g) => g.next(now_ms, rng).map(|u| u.0),
            LocalGen::Ulid(g) => g.next(now_ms, rng).map(|u| u.0),
            LocalGen::Remote => unreachable!("remote workers do not generate"),
        };
        match r {
            Ok(id) => Outcome::Issued(id),
            Err(GenError::Wait { until_ms, reason }) => Outcome::Wait { until_ms, reason },
            Err(e) => Outcome::Refused(e),
        }
    }

    /// The sequence (or counter) of the last ID, where the scheme has one that counts IDs.
    pub fn sequence(&self) -> Option<u16> {
        match self {
            LocalGen::Snowflake(g) => Some(g.sequence()),
            LocalGen::Naive(g) => Some(g.counter()),
            LocalGen::Sonyflake(g) => Some(g.sequence()),
            _ => None,
        }
    }
}

/// The extra generators of the index-locality comparison: the same request, as v4, v7 and ULID.
pub struct Shadow {
    pub rng: SimRng,
    pub v7: UuidV7Generator,
    pub ulid: MonotonicUlid,
}

/// Identity of a worker: its place in the fleet and the ids it is configured with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Identity {
    pub index: u32,
    pub datacenter: u32,
    pub worker: u32,
    /// The ids it was configured with (the first worker's when misconfigured).
    pub cfg_datacenter: u32,
    pub cfg_worker: u32,
}

impl Identity {
    /// Sonyflake's default machine id: the low 16 bits of a private address 10.0.dc.(worker+1).
    pub fn machine_id(&self) -> u16 {
        sonyflake::machine_id_from_ip([10, 0, self.cfg_datacenter as u8, self.cfg_worker as u8 + 1])
    }
}

pub struct Worker {
    pub who: Identity,
    pub clock: WorkerClock,
    pub gen: LocalGen,
    pub rng: SimRng,
    pub shadow: Option<Shadow>,
    /// Requests waiting for this worker, in arrival order.
    pub queue: VecDeque<u32>,
    /// Waiting for its clock, or sleeping (Sonyflake), until a `Wake`.
    pub blocked: bool,
    /// An ID computed before a sleep, handed out at the wake.
    pub pending: Option<(u32, u128)>,
    /// Leased IDs not yet handed out, and the lease call in flight (central with lease > 1).
    pub lease: Lease,
    pub lease_call: Option<u32>,
    /// Which ticket server to ask next.
    pub next_server: u32,
    /// The last ID this worker issued.
    pub last_id: Option<u128>,
    pub issued: u64,
    pub waits: u64,
    pub refusals: u64,
    pub failures: u64,
}

/// The generator a worker runs.
pub fn local_gen(
    g: Generator,
    who: &Identity,
    epoch_ms: u64,
    sonyflake_start_ms: u64,
    on_backwards: OnBackwards,
) -> LocalGen {
    let (dc, w) = (who.cfg_datacenter as u8, who.cfg_worker as u8);
    match g {
        Generator::Snowflake => LocalGen::Snowflake(
            Snowflake::new(dc, w, epoch_ms, on_backwards).expect("ids checked to fit 5 bits"),
        ),
        Generator::Naive => LocalGen::Naive(NaiveCounter::new(dc, w, epoch_ms)),
        Generator::Sonyflake => {
            LocalGen::Sonyflake(Sonyflake::new(who.machine_id(), sonyflake_start_ms))
        }
        Generator::UuidV4 => LocalGen::V4,
        Generator::UuidV7 => LocalGen::V7(UuidV7Generator::new()),
        Generator::Ulid => LocalGen::Ulid(MonotonicUlid::new()),
        Generator::Ticket | Generator::Central => LocalGen::Remote,
    }
}

/// The fleet of a run: worker `i` is in datacenter `i / workers_per_dc`; its clock error and
/// drift are drawn uniformly within ± the configured bounds; the last worker takes the first
/// one's ids when `same_worker_id` is on.
pub fn build(cfg: &Config, seed: u64) -> Vec<Worker> {
    let n = cfg.workers();
    let mut clocks = SimRng::new(seed, STREAM_CLOCKS);
    let mut workers = Vec::with_capacity(n as usize);
    for i in 0..n {
        let (dc, w) = (i / cfg.workers_per_dc, i % cfg.workers_per_dc);
        let misconfigured = cfg.same_worker_id && i + 1 == n;
        let who = Identity {
            index: i,
            datacenter: dc,
            worker: w,
            cfg_datacenter: if misconfigured { 0 } else { dc },
            cfg_worker: if misconfigured { 0 } else { w },
        };
        let offset_us = ((clocks.unit() * 2.0 - 1.0) * cfg.skew_ms * 1000.0).round() as i64;
        let drift = (clocks.unit() * 2.0 - 1.0) * cfg.drift_ppm;
        let steps = cfg
            .steps
            .iter()
            .filter(|s| s.worker.is_none_or(|x| x == i))
            .map(|s| (s.at, s.step_us))
            .collect();
        let shadow = cfg.index_compare.then(|| Shadow {
            rng: SimRng::new(seed, STREAM_SHADOW + u64::from(i)),
            v7: Default::default(),
            ulid: Default::default(),
        });
        workers.push(Worker {
            who,
            clock: WorkerClock::new(cfg.start_unix_ms, offset_us, drift, steps),
            gen: local_gen(
                cfg.generator,
                &who,
                cfg.epoch_ms,
                cfg.sonyflake_start_ms,
                cfg.on_backwards,
            ),
            rng: SimRng::new(seed, STREAM_WORKER + u64::from(i)),
            shadow,
            queue: VecDeque::new(),
            blocked: false,
            pending: None,
            lease: Lease::default(),
            lease_call: None,
            next_server: 0,
            last_id: None,
            issued: 0,
            waits: 0,
            refusals: 0,
            failures: 0,
        });
    }
    workers
}
