//! The ID scenario through simulated time: workers in datacenters, each on its own lying clock,
//! asked for IDs by Poisson traffic; or, for `central` and `ticket`, asking a server for them.
//!
//! Every issued ID travels to one database (a hop), whose unique B-tree index is where
//! duplicates show up. Order is judged in true time: an ID is *out of order* when an ID issued
//! earlier (by anyone) is larger, which is what a reader of "sort by ID = sort by time" trips on.
//! The pure generators live in their own modules; this file only drives them.

pub use super::config::Config;
use super::fleet::{self, Generator, Outcome, Worker};
use super::generate::GenError;
use super::locality::IndexTrack;
use super::sequencer::Sequencer;
use super::ticket::TicketServer;
use super::uuid::Uuid;
use super::{narrate, report};
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Run};
use crate::kernel::stats::{bucket_width, CountSeries, GaugeSeries, QuantileSeries};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;

const STREAM_ARRIVALS: u64 = 1;
const STREAM_PICK: u64 = 2;

#[derive(Clone, Copy, Debug)]
pub(super) enum Ev {
    /// The next request arrives (at a worker picked at random).
    Arrive,
    /// A worker's clock may now allow what it waited for, or its sleep is over.
    Wake(u32),
    /// NTP step number `i` happens (the clocks already know; this narrates it).
    Step(u32),
    /// The outage begins (`true`) or ends.
    Outage(bool),
    /// A duplicate ID (request `r`) reaches the database and its unique index rejects it.
    DupAtDb(u32),
    AtServer(u32),
    ServerDone(u32),
    Reply(u32),
    Timeout(u32),
}

pub(super) struct Req {
    pub worker: u32,
    pub arrived: SimTime,
    pub id: u128,
}

pub(super) struct Call {
    pub worker: u32,
    pub server: u32,
    pub n: u64,
    /// The request this call answers (`None` for a lease: the worker's queue waits on it).
    pub req: Option<u32>,
    pub attempt: u8,
    pub done: bool,
    pub ids: Option<(u64, u64)>,
    pub sent: SimTime,
}

pub(super) struct Server {
    pub down: Option<(SimTime, SimTime)>,
    pub busy_until: SimTime,
    pub in_system: u32,
    pub ticket: TicketServer,
    pub load: GaugeSeries,
    pub granted: u64,
}

impl Server {
    pub(super) fn is_down(&self, t: SimTime) -> bool {
        self.down.is_some_and(|(a, b)| t >= a && t < b)
    }
}

/// One-time narration flags: each kind of moment is narrated the first time it happens.
#[derive(Default)]
pub(super) struct Told {
    pub first: bool,
    pub same_ms: bool,
    pub inversion: bool,
    pub refusal: bool,
    pub wait_clock: bool,
    pub spent: bool,
    pub rollover: bool,
    pub sleep: bool,
    pub duplicate: bool,
    pub reuse: bool,
    pub round_trip: bool,
    pub lease: bool,
    pub timeout: bool,
    pub failover: bool,
    pub late: bool,
    pub split: Vec<bool>,
}

pub(super) struct Sim<'a> {
    pub cfg: &'a Config,
    pub sched: Scheduler<Ev>,
    pub trace: Trace,
    pub workers: Vec<Worker>,
    pub servers: Vec<Server>,
    pub sequencer: Sequencer,
    pub calls: Vec<Call>,
    pub reqs: Vec<Req>,
    pub arrivals: SimRng,
    pub pick: SimRng,
    pub next_arrival_us: f64,
    pub db: NodeId,
    // Outcomes.
    pub issued: u64,
    pub ids: Vec<u128>,
    pub duplicates: u64,
    pub duplicate_ids: Vec<u128>,
    pub inversions: u64,
    pub max_id: Option<(u128, u32, SimTime)>,
    pub waits: u64,
    pub refusals: u64,
    pub failures: u64,
    pub timeouts: u64,
    pub failovers: u64,
    pub wasted: u64,
    pub round_trips: u64,
    pub latencies: Vec<u64>,
    pub indexes: Vec<IndexTrack>,
    // Series.
    pub width: SimDuration,
    pub issued_s: CountSeries,
    pub dup_s: CountSeries,
    pub refused_s: CountSeries,
    pub waited_s: CountSeries,
    pub failed_s: CountSeries,
    pub inversion_s: CountSeries,
    pub peak_s: GaugeSeries,
    pub latency_s: QuantileSeries,
    pub told: Told,
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let mut sim = Sim::new(cfg, seed);
    sim.run();
    report::finish(sim, seed)
}

impl<'a> Sim<'a> {
    fn new(cfg: &'a Config, seed: u64) -> Self {
        let n = cfg.workers();
        let total_rate = cfg.rate_per_worker * f64::from(n);
        let expected =
            SimDuration::from_micros_f64(cfg.count as f64 / total_rate * 1e6) + cfg.link + cfg.link;
        let width = bucket_width(expected, 200);
        let workers = fleet::build(cfg, seed);
        let servers: Vec<Server> = match cfg.generator {
            Generator::Central => vec![TicketServer::new(1, 1)],
            Generator::Ticket => TicketServer::flickr_pair().to_vec(),
            _ => Vec::new(),
        }
        .into_iter()
        .enumerate()
        .map(|(i, ticket)| Server {
            down: if i == 0 { cfg.outage } else { None },
            busy_until: SimTime::ZERO,
            in_system: 0,
            ticket,
            load: GaugeSeries::new(width),
            granted: 0,
        })
        .collect();
        let mut indexes = vec![IndexTrack::new(cfg.generator.key(), cfg.page_keys, width)];
        if cfg.index_compare {
            for name in ["uuid4", "uuid7", "ulid"] {
                if name != cfg.generator.key() {
                    indexes.push(IndexTrack::new(name, cfg.page_keys, width));
                }
            }
        }
        let told = Told {
            split: vec![false; indexes.len()],
            ..Told::default()
        };
        Sim {
            cfg,
            sched: Scheduler::new(),
            trace: Trace::new(cfg.event_cap),
            db: n + servers.len() as u32,
            workers,
            servers,
            sequencer: Sequencer::new(),
            calls: Vec::new(),
            reqs: Vec::with_capacity(cfg.count.min(1 << 20) as usize),
            arrivals: SimRng::new(seed, STREAM_ARRIVALS),
            pick: SimRng::new(seed, STREAM_PICK),
            next_arrival_us: 0.0,
            issued: 0,
            ids: Vec::new(),
            duplicates: 0,
            duplicate_ids: Vec::new(),
            inversions: 0,
            max_id: None,
            waits: 0,
            refusals: 0,
            failures: 0,
            timeouts: 0,
            failovers: 0,
            wasted: 0,
            round_trips: 0,
            latencies: Vec::with_capacity(cfg.count.min(1 << 20) as usize),
            indexes,
            width,
            issued_s: CountSeries::new(width),
            dup_s: CountSeries::new(width),
            refused_s: CountSeries::new(width),
            waited_s: CountSeries::new(width),
            failed_s: CountSeries::new(width),
            inversion_s: CountSeries::new(width),
            peak_s: GaugeSeries::new(width),
            latency_s: QuantileSeries::new(width, &[50.0, 99.0], 1e-3),
            told,
        }
    }

    fn run(&mut self) {
        let intro = narrate::intro(self.cfg);
        self.trace.step(SimTime::ZERO, None, intro);
        for (i, s) in self.cfg.steps.iter().enumerate() {
            self.sched.at(s.at, Ev::Step(i as u32));
        }
        if let Some((a, b)) = self.cfg.outage.filter(|_| self.cfg.generator.is_remote()) {
            self.sched.at(a, Ev::Outage(true));
            self.sched.at(b, Ev::Outage(false));
        }
        self.sched.at(SimTime::ZERO, Ev::Arrive);
        while let Some((now, ev)) = self.sched.pop() {
            match ev {
                Ev::Arrive => self.arrive(now),
                Ev::Wake(w) => self.wake(now, w),
                Ev::Step(i) => narrate::step(self, now, i as usize),
                Ev::Outage(down) => narrate::outage(self, now, down),
                Ev::DupAtDb(r) => self.duplicate_at_db(now, r),
                Ev::AtServer(c) => self.at_server(now, c),
                Ev::ServerDone(c) => self.server_done(now, c),
                Ev::Reply(c) => self.reply(now, c),
                Ev::Timeout(c) => self.timeout(now, c),
            }
        }
    }

    fn arrive(&mut self, now: SimTime) {
        let r = self.reqs.len() as u32;
        let w = self.pick.below(self.workers.len() as u64) as u32;
        self.reqs.push(Req {
            worker: w,
            arrived: now,
            id: 0,
        });
        if (self.reqs.len() as u64) < self.cfg.count {
            let total = self.cfg.rate_per_worker * self.workers.len() as f64;
            self.next_arrival_us += self.arrivals.exponential(1e6 / total);
            self.sched
                .at(SimTime(self.next_arrival_us as u64).max(now), Ev::Arrive);
        }
        match self.cfg.generator {
            Generator::Ticket => {
                let s = self.workers[w as usize].next_server;
                self.workers[w as usize].next_server = 1 - s;
                self.call(now, w, s, 1, Some(r), 0);
            }
            Generator::Central if self.cfg.lease == 1 => {
                self.call(now, w, 0, 1, Some(r), 0);
            }
            Generator::Central => {
                self.workers[w as usize].queue.push_back(r);
                self.drain_lease(now, w);
            }
            _ => {
                self.workers[w as usize].queue.push_back(r);
                if !self.workers[w as usize].blocked {
                    self.drain_local(now, w);
                }
            }
        }
    }

    /// Serves a worker's queue with its own generator until it is empty or must wait.
    fn drain_local(&mut self, now: SimTime, w: u32) {
        let wi = w as usize;
        while let Some(&r) = self.workers[wi].queue.front() {
            let worker = &mut self.workers[wi];
            let now_ms = worker.clock.read_ms(now);
            let outcome = worker.gen.next(now_ms, &mut worker.rng);
            match outcome {
                Outcome::Issued(id) => {
                    self.workers[wi].queue.pop_front();
                    self.issue(now, r, id, Some(now_ms));
                }
                Outcome::IssuedAfter(id, sleep) => {
                    self.workers[wi].queue.pop_front();
                    self.workers[wi].blocked = true;
                    self.workers[wi].pending = Some((r, id));
                    self.sched.at(now + sleep, Ev::Wake(w));
                    narrate::sleep(self, now, w, sleep);
                    return;
                }
                Outcome::Wait { until_ms, reason } => {
                    let worker = &mut self.workers[wi];
                    worker.blocked = true;
                    let at = worker
                        .clock
                        .first_reading(until_ms, now)
                        .max(now + SimDuration(1));
                    self.sched.at(at, Ev::Wake(w));
                    narrate::wait(self, now, w, now_ms, until_ms, reason, at);
                    return;
                }
                Outcome::Refused(e) => {
                    self.workers[wi].queue.pop_front();
                    self.workers[wi].refusals += 1;
                    self.refusals += 1;
                    self.refused_s.add(now);
                    let reason = match e {
                        GenError::ClockBackwards { .. } => "refused: clock moved backwards",
                        GenError::Overflow => "refused: random part overflowed",
                        _ => "refused: clock outside the ID layout",
                    };
                    self.trace.drop_msg(now, w, u64::from(r) + 1, reason);
                    narrate::refusal(self, now, w, e);
                }
            }
        }
    }

    fn wake(&mut self, now: SimTime, w: u32) {
        let wi = w as usize;
        self.workers[wi].blocked = false;
        if let Some((r, id)) = self.workers[wi].pending.take() {
            let now_ms = self.workers[wi].clock.read_ms(now);
            self.issue(now, r, id, Some(now_ms));
        }
        self.drain_local(now, w);
    }

    /// Records an issued ID: order, uniqueness (the database's unique index), locality, the hop.
    pub(super) fn issue(&mut self, now: SimTime, r: u32, id: u128, clock_ms: Option<u64>) {
        let w = self.reqs[r as usize].worker;
        self.reqs[r as usize].id = id;
        self.issued += 1;
        self.workers[w as usize].issued += 1;
        let latency = now.since(self.reqs[r as usize].arrived).0;
        if latency > 0 && !self.cfg.generator.is_remote() {
            // Held back by its own generator: a spent sequence, a clock behind, a sleep.
            self.workers[w as usize].waits += 1;
            self.waits += 1;
            self.waited_s.add(now);
        }
        self.latencies.push(latency);
        self.latency_s.observe(now, latency);
        self.issued_s.add(now);
        if self.ids.len() < report::IDS_KEPT {
            self.ids.push(id);
        }
        let earlier_max = self.max_id;
        match earlier_max {
            Some((m, _, _)) if id < m => {
                self.inversions += 1;
                self.inversion_s.add(now);
            }
            _ => self.max_id = Some((id, w, now)),
        }
        let duplicate = self.indexes[0].insert(now, id);
        if duplicate {
            self.duplicates += 1;
            self.dup_s.add(now);
            if self.duplicate_ids.len() < report::DUPLICATES_KEPT {
                self.duplicate_ids.push(id);
            }
            self.sched.at(now + self.cfg.link, Ev::DupAtDb(r));
        }
        self.shadow_inserts(now, w);
        self.narrate_first_splits(now);
        if self.trace.recording() {
            let text = self.cfg.generator.text(id);
            self.trace
                .hop(now, now + self.cfg.link, w, self.db, u64::from(r) + 1, text);
        }
        if let Some(seq) = self.workers[w as usize].gen.sequence() {
            self.trace.gauge(now, w, "sequence", f64::from(seq));
            self.peak_s.set(now, f64::from(seq) + 1.0);
        }
        narrate::issue(self, now, r, id, clock_ms, earlier_max);
        self.workers[w as usize].last_id = Some(id);
    }

    /// The same request as a v4, a v7 and a ULID, into their own indexes.
    fn shadow_inserts(&mut self, now: SimTime, w: u32) {
        if !self.cfg.index_compare {
            return;
        }
        let worker = &mut self.workers[w as usize];
        let now_ms = worker.clock.read_ms(now);
        let Some(sh) = worker.shadow.as_mut() else {
            return;
        };
        let v4 = Uuid::v4_from(&mut sh.rng).0;
        let v7 = sh.v7.next(now_ms, &mut sh.rng).map(|u| u.0).ok();
        let ulid = sh.ulid.next(now_ms, &mut sh.rng).map(|u| u.0).ok();
        for i in 1..self.indexes.len() {
            let key = match self.indexes[i].name {
                "uuid4" => Some(v4),
                "uuid7" => v7,
                _ => ulid,
            };
            if let Some(k) = key {
                self.indexes[i].insert(now, k);
            }
        }
    }

    fn narrate_first_splits(&mut self, now: SimTime) {
        for i in 0..self.indexes.len() {
            if !self.told.split[i] && self.indexes[i].first_split().is_some() {
                self.told.split[i] = true;
                narrate::split(self, now, i);
            }
        }
    }

    fn duplicate_at_db(&mut self, now: SimTime, r: u32) {
        let id = self.reqs[r as usize].id;
        self.trace.drop_msg(
            now,
            self.db,
            u64::from(r) + 1,
            "duplicate key: the unique index already holds this ID",
        );
        narrate::duplicate(self, now, r, id);
    }
}
