//! The load-balancer world: clients, one balancer, backends, and every message between them.
//!
//! Each handler is one thing that happens at one instant (a message arrives, a timer fires);
//! handlers record hops, drops, gauges and narration into the trace and schedule what follows.
//! The balancer only acts on what it can observe — replies, timeouts, health checks — never on a
//! backend's true state: that gap is what the failure scenarios show.

use super::algo::{LoadView, Picker};
use super::config::{Config, FaultKind, Sticky, Tls};
use super::narration::Narrator;
use super::stats::Stats;
use crate::kernel::queue::{Lane, Scheduler, Timer, TimerLane};
use crate::kernel::rng::SimRng;
use crate::kernel::run::{Label, NodeId};
use crate::kernel::slots::Slots;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use std::collections::{BTreeMap, VecDeque};

pub const CLIENTS: NodeId = 0;
pub const LB: NodeId = 1;
pub const FIRST_BACKEND: NodeId = 2;

pub fn backend_node(b: usize) -> NodeId {
    FIRST_BACKEND + b as NodeId
}

/// What a backend works on: a request, or (TLS passthrough) a handshake flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    Get,
    Hello(u8),
}

#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub req: u32,
    pub token: u32,
    pub work: Work,
}

#[derive(Clone, Copy, Debug)]
pub enum Ev {
    /// A client sends request `r` (and the next arrival is scheduled).
    Send(u32),
    /// A TLS flight from the client reaches the balancer (terminate) or crosses it (passthrough).
    HelloAtLb(u32, u8),
    /// The balancer's CPU finished a handshake (terminate).
    LbCpuDone(u32),
    /// A TLS flight from the server side reaches the client.
    HelloAtClient(u32, u8),
    /// The request itself reaches the balancer.
    GetAtLb(u32),
    AtBackend(Bk, Job),
    /// A backend finished a job; ignored if the backend crashed since (`epoch` changed).
    Done(Bk, u16, Job),
    /// A backend's answer reaches the balancer: a status code, or a TLS flight.
    ReplyAtLb(Bk, Job, u16),
    ReplyAtClient(u32, u16),
    /// The balancer's timer for attempt `token` of a request.
    Timeout(u32, u32),
    Fault(u32),
    Check(Bk),
    CheckAtBackend(Bk, u32),
    /// The backend has done the check's work and answers.
    CheckAnswer(Bk, u32),
    CheckReply(Bk, u32),
    CheckTimeout(Bk, u32),
    EjectEnd(Bk, u32),
}

/// A backend's index inside an event: one byte, since a run has at most
/// [`MAX_BACKENDS`](super::params::MAX_BACKENDS) = 128 backends. It keeps [`Ev`] at 16 bytes
/// and a scheduler entry at 32, so that every heap move and lane slot copies half a cache line.
pub type Bk = u8;
const _: () = assert!(super::params::MAX_BACKENDS <= 256);

/// Backend `b` as an event field (see [`Bk`]).
pub fn bk(b: usize) -> Bk {
    debug_assert!(
        b <= usize::from(Bk::MAX),
        "backend {b} does not fit an event"
    );
    b as Bk
}

/// A request in flight: 48 bytes (a unit test pins it; `tried` is kept apart, the client's
/// address is derived from `client`).
#[derive(Default)]
pub struct Request {
    pub sent: SimTime,
    /// Work at speed 1, µs.
    pub demand: f64,
    pub forwarded_at: SimTime,
    /// The timeout of the current attempt (cancelled when its reply arrives).
    pub timer: Timer,
    pub client: u32,
    pub token: u32,
    /// The backend of the latest attempt ([`NO_BACKEND`] before the first).
    pub backend: Bk,
    /// At most `retries + 1` = 11.
    pub attempts: u8,
    /// Jobs of this request at backends or replies on their way back (at most one per attempt
    /// in flight, so at most 11 + 3 TLS flights): the record stays while any exists, since a
    /// backend still serves an abandoned job with the request's demand.
    pub jobs: u8,
    pub waiting: bool,
    pub done: bool,
    pub resumed: bool,
}

/// [`Request::backend`] before the first attempt.
pub const NO_BACKEND: Bk = Bk::MAX;

pub struct Backend {
    pub alive: bool,
    /// Crashes so far (wrapping): a `Done` of an older epoch is discarded. Crashes come from
    /// the fault schedule (at most 2,000 characters, so a few hundred), far below 65,536.
    pub epoch: u16,
    pub slow: f64,
    pub busy: u32,
    pub queue: VecDeque<Job>,
    /// The balancer's view: passes health checks (or has not failed enough of them yet).
    pub marked_up: bool,
    pub check_seq: u32,
    pub check_pending: bool,
    pub check_sent: SimTime,
    pub ok_streak: u32,
    pub fail_streak: u32,
    pub errors_in_a_row: u32,
    pub ejected: bool,
    pub ejections: u32,
    pub dead_since: Option<SimTime>,
    pub sent_while_dead: u64,
}

pub struct World<'c> {
    pub cfg: &'c Config,
    pub sched: Scheduler<Ev>,
    /// FIFO lanes for constant delays: hops over the links, request timeouts, check timeouts.
    pub lane_hops: Lane,
    /// The next arrival: one at a time, each later than the last, so a lane, not the heap
    /// (where, the earliest event but one, it would climb every level).
    pub lane_sends: Lane,
    /// Request timeouts: a timer per attempt, cancelled when the attempt's reply arrives.
    pub lane_timeouts: TimerLane,
    pub lane_checks: Lane,
    pub trace: Trace,
    pub picker: Box<dyn Picker>,
    pub rng_arrivals: SimRng,
    pub rng_service: SimRng,
    pub rng_clients: SimRng,
    pub rng_tls: SimRng,
    /// The requests by number, from the oldest still needed: a finished request with no job
    /// left leaves the front, so the records in memory are the few in flight, not the run's.
    pub reqs: Slots<Request>,
    /// Backends each request has been sent to (bit b = backend b; at most 128 backends), which
    /// a retry avoids, numbered as `reqs` when retries are on. Unused when retries are off:
    /// then no pick ever sees a request that was already sent (this keeps a request small).
    pub tried: Slots<u128>,
    /// How many of the first clients share the NAT address ([`super::clients::behind_nat`]).
    pub behind_nat: u32,
    pub backends: Vec<Backend>,
    /// Attempts the balancer has outstanding per backend (its "connections").
    pub outstanding: Vec<u32>,
    pub eligible: Vec<bool>,
    /// How many of `eligible` are true.
    pub n_eligible: usize,
    /// Which backends may take a new request now (weight, health, ejection; with a queue at the
    /// balancer also a free slot, as HAProxy leaves full servers out of its choice), kept up to
    /// date as `eligible` and `outstanding` change rather than rebuilt at every pick.
    pub pickable: Vec<bool>,
    /// How many of `pickable` are true.
    pub n_pickable: usize,
    /// Whether the picker may be skipped when nothing is pickable
    /// ([`Picker::idle_when_none_eligible`]).
    pub skip_when_none: bool,
    pub lb_queue: VecDeque<u32>,
    pub lb_cpu_busy: u32,
    pub lb_cpu_queue: VecDeque<u32>,
    pub pins: BTreeMap<u32, usize>,
    /// Scratch buffer for the backends a pick may choose from.
    pub mask: Vec<bool>,
    pub burst_on_until: SimTime,
    pub retries_used: u64,
    pub stats: Stats,
    pub say: Narrator,
}

fn is_hashing(algorithm: &str) -> bool {
    matches!(algorithm, "ip_hash" | "ring_hash" | "maglev")
}

impl<'c> World<'c> {
    fn now(&self) -> SimTime {
        self.sched.now()
    }

    fn link(&self) -> SimDuration {
        self.cfg.link
    }

    fn msg(r: u32) -> u64 {
        u64::from(r) + 1
    }

    /// Request `r` (it must not have left).
    #[inline]
    fn req(&self, r: u32) -> &Request {
        self.reqs.get(u64::from(r))
    }

    #[inline]
    fn req_mut(&mut self, r: u32) -> &mut Request {
        self.reqs.get_mut(u64::from(r))
    }

    /// Requests sent so far.
    fn sent_count(&self) -> usize {
        self.reqs.back() as usize
    }

    /// A job of request `r` is over (answered, lost or discarded).
    #[inline]
    fn job_ended(&mut self, r: u32) {
        self.req_mut(r).jobs -= 1;
    }

    /// Finished requests with no job left leave the front of `reqs`.
    #[inline]
    fn retire(&mut self) {
        while let Some(front) = self.reqs.first() {
            if !front.done || front.jobs != 0 {
                break;
            }
            self.reqs.pop_front();
            self.tried.pop_front();
        }
    }

    /// Sends a message: records the hop and schedules its arrival.
    #[inline(always)]
    fn hop(&mut self, from: NodeId, to: NodeId, r: u32, label: &'static str, on_arrival: Ev) {
        let now = self.now();
        let arrive = now + self.link();
        self.trace.hop(now, arrive, from, to, Self::msg(r), label);
        self.sched.at_in(self.lane_hops, arrive, on_arrival);
    }

    #[inline(always)]
    pub fn handle(&mut self, ev: Ev) {
        match ev {
            Ev::Send(r) => self.send(r),
            Ev::HelloAtLb(r, round) => self.hello_at_lb(r, round),
            Ev::LbCpuDone(r) => self.lb_cpu_done(r),
            Ev::HelloAtClient(r, round) => self.hello_at_client(r, round),
            Ev::GetAtLb(r) => self.get_at_lb(r),
            Ev::AtBackend(b, job) => self.at_backend(b.into(), job),
            Ev::Done(b, epoch, job) => self.done(b.into(), epoch, job),
            Ev::ReplyAtLb(b, job, code) => self.reply_at_lb(b.into(), job, code),
            Ev::ReplyAtClient(r, code) => self.reply_at_client(r, code),
            Ev::Timeout(r, token) => self.timeout(r, token),
            Ev::Fault(i) => self.fault(i as usize),
            Ev::Check(b) => self.check(b.into()),
            Ev::CheckAtBackend(b, seq) => self.check_at_backend(b.into(), seq),
            Ev::CheckAnswer(b, seq) => {
                let now = self.now();
                let arrive = now + self.cfg.link;
                self.trace
                    .hop(now, arrive, backend_node(b.into()), LB, 0, "HC ok");
                self.sched
                    .at_in(self.lane_hops, arrive, Ev::CheckReply(b, seq));
            }
            Ev::CheckReply(b, seq) => self.check_reply(b.into(), seq),
            Ev::CheckTimeout(b, seq) => self.check_timeout(b.into(), seq),
            Ev::EjectEnd(b, n) => self.eject_end(b.into(), n),
        }
    }

    // ---- clients -------------------------------------------------------------------------

    fn send(&mut self, r: u32) {
        let now = self.now();
        let client = self.rng_clients.below(u64::from(self.cfg.clients)) as u32;
        let demand = super::clients::draw_service(&mut self.rng_service, self.cfg);
        let resumed =
            self.cfg.tls.mode != Tls::Off && self.rng_tls.unit() < self.cfg.tls.resume_share;
        debug_assert_eq!(self.sent_count(), r as usize);
        self.reqs.push(Request {
            sent: now,
            demand,
            forwarded_at: now,
            timer: Timer::NONE,
            client,
            token: 0,
            backend: NO_BACKEND,
            attempts: 0,
            jobs: 0,
            waiting: false,
            done: false,
            resumed,
        });
        if self.cfg.retries > 0 {
            self.tried.push(0);
        }
        self.stats.sent(now);
        match self.cfg.tls.mode {
            Tls::Off => self.hop(CLIENTS, LB, r, "GET", Ev::GetAtLb(r)),
            _ => {
                self.say
                    .tls_start(&mut self.trace, now, r, self.cfg, resumed);
                self.hop(CLIENTS, LB, r, "ClientHello", Ev::HelloAtLb(r, 0));
            }
        }
        if u64::from(r) + 1 < self.cfg.requests {
            let gap = super::clients::next_gap(
                &mut self.rng_arrivals,
                self.cfg,
                now,
                &mut self.burst_on_until,
            );
            self.sched.at_in(self.lane_sends, gap, Ev::Send(r + 1));
        }
    }

    fn rounds(&self, r: u32) -> u8 {
        let t = &self.cfg.tls;
        (if self.req(r).resumed {
            t.resume_rtts
        } else {
            t.full_rtts
        }) as u8
    }

    fn hello_at_client(&mut self, r: u32, round: u8) {
        if round + 1 < self.rounds(r) {
            let ev = Ev::HelloAtLb(r, round + 1);
            self.hop(CLIENTS, LB, r, "Finished", ev);
        } else {
            self.hop(CLIENTS, LB, r, "GET", Ev::GetAtLb(r));
        }
    }

    fn reply_at_client(&mut self, r: u32, code: u16) {
        let now = self.now();
        let req = self.req_mut(r);
        req.done = true;
        let latency = now.since(req.sent);
        self.stats.finished(now, code, latency.as_micros());
        if code == 200 {
            self.say.first_reply(
                &mut self.trace,
                now,
                r,
                self.reqs.get(u64::from(r)),
                latency,
                self.cfg,
            );
        }
        self.retire();
    }

    // ---- the balancer ----------------------------------------------------------------------

    fn hello_at_lb(&mut self, r: u32, round: u8) {
        let now = self.now();
        match self.cfg.tls.mode {
            Tls::Terminate => {
                if round == 0 {
                    if self.lb_cpu_busy < self.cfg.lb_cores {
                        self.start_lb_cpu(r);
                    } else {
                        self.lb_cpu_queue.push_back(r);
                    }
                } else {
                    self.hop(LB, CLIENTS, r, "Finished", Ev::HelloAtClient(r, round));
                }
            }
            _ => {
                // Passthrough: layer 4. The balancer picks a backend for the connection on the
                // first flight and forwards every later flight (and the request) to the same one.
                if round == 0 {
                    match self.choose(r) {
                        Some(b) => self.forward(r, b, Work::Hello(0)),
                        None => self.refuse(r, now),
                    }
                } else {
                    let b = usize::from(self.req(r).backend);
                    self.forward(r, b, Work::Hello(round));
                }
            }
        }
    }

    fn start_lb_cpu(&mut self, r: u32) {
        self.lb_cpu_busy += 1;
        let cpu = if self.req(r).resumed {
            self.cfg.tls.resume_cpu
        } else {
            self.cfg.tls.full_cpu
        };
        let now = self.now();
        self.stats.lb_cpu(now, self.lb_cpu_busy, self.cfg.lb_cores);
        self.trace
            .gauge(now, LB, "cpu busy", f64::from(self.lb_cpu_busy));
        self.sched.after(cpu, Ev::LbCpuDone(r));
    }

    fn lb_cpu_done(&mut self, r: u32) {
        self.lb_cpu_busy -= 1;
        let now = self.now();
        self.stats.lb_cpu(now, self.lb_cpu_busy, self.cfg.lb_cores);
        self.trace
            .gauge(now, LB, "cpu busy", f64::from(self.lb_cpu_busy));
        self.hop(LB, CLIENTS, r, "ServerHello", Ev::HelloAtClient(r, 0));
        if let Some(next) = self.lb_cpu_queue.pop_front() {
            self.start_lb_cpu(next);
        }
    }

    fn get_at_lb(&mut self, r: u32) {
        let now = self.now();
        if self.cfg.tls.mode == Tls::Passthrough {
            let b = usize::from(self.req(r).backend);
            self.forward(r, b, Work::Get);
            return;
        }
        match self.choose(r) {
            Some(b) => self.forward(r, b, Work::Get),
            None if self.cfg.queue_at_lb && self.n_eligible > 0 => {
                if (self.lb_queue.len() as u32) < self.cfg.queue {
                    self.lb_queue.push_back(r);
                    self.trace
                        .gauge(now, LB, "queued", self.lb_queue.len() as f64);
                    self.say
                        .lb_queue(&mut self.trace, now, r, self.lb_queue.len(), self.cfg.queue);
                } else {
                    self.trace
                        .drop_msg(now, LB, Self::msg(r), "balancer queue full");
                    self.say.lb_full(&mut self.trace, now, r, self.cfg.queue);
                    self.hop(LB, CLIENTS, r, "503", Ev::ReplyAtClient(r, 503));
                }
            }
            None => self.refuse(r, now),
        }
    }

    /// No backend may take the request: the balancer answers 503 itself.
    fn refuse(&mut self, r: u32, now: SimTime) {
        self.trace
            .drop_msg(now, LB, Self::msg(r), "no backend available");
        self.say.no_backend(&mut self.trace, now, r);
        self.hop(LB, CLIENTS, r, "503", Ev::ReplyAtClient(r, 503));
    }

    /// Recomputes whether backend `b` is pickable after its eligibility or its outstanding
    /// count changed (see [`World::pickable`]).
    #[inline]
    fn refresh_pickable(&mut self, b: usize) {
        let ok = self.eligible[b]
            && (!self.cfg.queue_at_lb || self.outstanding[b] < self.cfg.capacities[b]);
        if ok != self.pickable[b] {
            self.pickable[b] = ok;
            if ok {
                self.n_pickable += 1;
            } else {
                self.n_pickable -= 1;
            }
        }
    }

    /// The backend for request `r`: its pinned backend if sticky and still eligible, else the
    /// algorithm's pick (re-pinning the session, and counting a broken session if it had one).
    fn choose(&mut self, r: u32) -> Option<usize> {
        if self.n_pickable == 0 && self.skip_when_none {
            // Nothing is pickable: the picker would answer `None` and change nothing, and so
            // would the sticky lookup (a pin is only used when its backend is pickable).
            return None;
        }
        // A retry goes to a backend this request has not tried yet, as nginx's
        // proxy_next_upstream does (the `tried` bitmap of ngx_http_upstream_round_robin.c);
        // only when every eligible backend was tried may it return to one.
        let tried = if self.cfg.retries > 0 {
            *self.tried.get(u64::from(r))
        } else {
            0
        };
        let untried = |b: usize| tried & (1 << b) == 0;
        if tried != 0 && (0..self.pickable.len()).any(|b| self.pickable[b] && untried(b)) {
            let mut mask = std::mem::take(&mut self.mask);
            mask.clear();
            mask.extend(
                self.pickable
                    .iter()
                    .enumerate()
                    .map(|(b, &ok)| ok && untried(b)),
            );
            let count = mask.iter().filter(|ok| **ok).count();
            let chosen = self.choose_among(r, &mask, count);
            self.mask = mask;
            chosen
        } else {
            let pickable = std::mem::take(&mut self.pickable);
            let chosen = self.choose_among(r, &pickable, self.n_pickable);
            self.pickable = pickable;
            chosen
        }
    }

    fn choose_among(&mut self, r: u32, pickable: &[bool], count: usize) -> Option<usize> {
        let now = self.now();
        let req = self.req(r);
        let ip = super::clients::ip_behind(req.client, self.behind_nat);
        let key = match self.cfg.sticky {
            Sticky::Cookie => Some(req.client),
            Sticky::SourceIp => Some(ip),
            Sticky::None => None,
        };
        let mut broken_from = None;
        if let Some(k) = key {
            if let Some(&b) = self.pins.get(&k) {
                if pickable[b] && req.attempts == 0 {
                    self.say.pinned(&mut self.trace, now, r, b, self.cfg.sticky);
                    return Some(b);
                }
                if !self.eligible[b] {
                    broken_from = Some(b);
                }
            }
        }
        let view = LoadView {
            in_flight: &self.outstanding,
            weights: &self.cfg.weights,
            eligible: pickable,
            eligible_count: count,
            client_ip: ip,
            now,
        };
        let b = self.picker.pick(&view)?;
        if self.say.wants_pick(r) {
            let why = self.picker.explain(b, &view);
            let req = self.reqs.get(u64::from(r));
            self.say
                .pick(&mut self.trace, now, (r, req), b, &why, self.cfg);
        }
        if let Some(k) = key {
            self.pins.insert(k, b);
            // The pin's table row; its text only when the row is kept (not past the log's cap,
            // not in a summary-only run, where it is only counted).
            if self.trace.recording() {
                let (label, value): (Label, Label) = if self.trace.keeps() {
                    let label = match self.cfg.sticky {
                        Sticky::Cookie => format!("client {}", k + 1),
                        _ => super::clients::ip_text(k),
                    };
                    (label.into(), format!("backend {}", b + 1).into())
                } else {
                    ("".into(), "".into())
                };
                self.trace.entry(now, LB, label, value, None);
            }
            if let Some(old) = broken_from {
                self.stats.session_broken();
                self.say.session_broken(&mut self.trace, now, r, old, b);
            }
        }
        Some(b)
    }

    fn forward(&mut self, r: u32, b: usize, work: Work) {
        let now = self.now();
        let req = self.reqs.get_mut(u64::from(r));
        // A new attempt starts with the first flight: the request itself, or in passthrough the
        // ClientHello (the later flights and the request ride the same connection).
        let first_flight = match work {
            Work::Hello(n) => n == 0,
            Work::Get => self.cfg.tls.mode != Tls::Passthrough,
        };
        if first_flight {
            req.attempts += 1;
            req.backend = bk(b);
            if self.cfg.retries > 0 {
                *self.tried.get_mut(u64::from(r)) |= 1 << b;
            }
            self.outstanding[b] += 1;
            self.stats.assign(r, b);
            self.stats.load(now, b, self.outstanding[b]);
            if self.backends[b].dead_since.is_some() {
                self.backends[b].sent_while_dead += 1;
            }
        }
        req.token += 1;
        req.jobs += 1;
        req.waiting = true;
        req.forwarded_at = now;
        let job = Job {
            req: r,
            token: req.token,
            work,
        };
        let label = match work {
            Work::Get => "GET",
            Work::Hello(0) => "ClientHello",
            Work::Hello(_) => "Finished",
        };
        let token = job.token;
        if first_flight {
            self.refresh_pickable(b);
        }
        self.hop(LB, backend_node(b), r, label, Ev::AtBackend(bk(b), job));
        let timer = self.sched.set_timer(
            self.lane_timeouts,
            now + self.cfg.timeout,
            Ev::Timeout(r, token),
        );
        self.req_mut(r).timer = timer;
    }

    fn reply_at_lb(&mut self, b: usize, job: Job, code: u16) {
        let now = self.now();
        let r = job.req;
        let req = self.reqs.get_mut(u64::from(r));
        req.jobs -= 1; // this job is over
        if req.token != job.token || !req.waiting || req.done {
            // The balancer already gave up on this attempt: the late answer is discarded.
            self.trace
                .drop_msg(now, LB, Self::msg(r), "late reply after timeout");
            self.retire();
            return;
        }
        req.waiting = false;
        let rtt = now.since(req.forwarded_at);
        // The attempt is over: its timeout can no longer fire (it only counts when due).
        let timer = req.timer;
        self.sched.cancel(self.lane_timeouts, timer);
        if code != 200 {
            self.release(b);
            self.attempt_failed(r, b, code);
            return;
        }
        self.picker.observe(b, rtt, now);
        if let Work::Hello(round) = job.work {
            self.hop(
                LB,
                CLIENTS,
                r,
                if round == 0 {
                    "ServerHello"
                } else {
                    "Finished"
                },
                Ev::HelloAtClient(r, round),
            );
            return;
        }
        self.release(b);
        self.backends[b].errors_in_a_row = 0;
        self.hop(LB, CLIENTS, r, "200", Ev::ReplyAtClient(r, 200));
    }

    /// An attempt no longer counts against backend `b`; a queued request may take its place.
    fn release(&mut self, b: usize) {
        let now = self.now();
        self.outstanding[b] -= 1;
        self.refresh_pickable(b);
        self.stats.load(now, b, self.outstanding[b]);
        if self.cfg.queue_at_lb {
            while let Some(&next) = self.lb_queue.front() {
                let Some(nb) = self.choose(next) else { break };
                self.lb_queue.pop_front();
                self.trace
                    .gauge(now, LB, "queued", self.lb_queue.len() as f64);
                self.forward(next, nb, Work::Get);
            }
        }
    }

    fn timeout(&mut self, r: u32, token: u32) {
        if u64::from(r) < self.reqs.front() {
            return; // finished and gone
        }
        let req = self.req(r);
        if req.token != token || !req.waiting || req.done {
            return;
        }
        let b = usize::from(req.backend);
        let now = self.now();
        self.req_mut(r).waiting = false;
        self.trace.drop_msg(now, LB, Self::msg(r), "timeout");
        self.say
            .timeout(&mut self.trace, now, r, b, self.cfg.timeout);
        self.stats.attempt_timed_out(now, b);
        self.release(b);
        self.attempt_failed(r, b, 504);
    }

    /// A 503 or a timeout from `b`: count the error (outlier ejection), then retry if the
    /// policy and the budget allow, else answer the client with the error.
    fn attempt_failed(&mut self, r: u32, b: usize, code: u16) {
        let now = self.now();
        let be = &mut self.backends[b];
        be.errors_in_a_row += 1;
        if self.cfg.eject_after > 0 && be.errors_in_a_row >= self.cfg.eject_after && !be.ejected {
            self.try_eject(b);
        }
        let l7 = self.cfg.tls.mode != Tls::Passthrough;
        let budget = self.cfg.retry_budget_pct / 100.0 * self.sent_count() as f64 + 10.0;
        let req = self.req(r);
        if l7 && u32::from(req.attempts) <= self.cfg.retries && (self.retries_used as f64) < budget
        {
            self.retries_used += 1;
            self.stats.retried(now);
            if let Some(nb) = self.choose(r) {
                self.say.retry(&mut self.trace, now, r, b, nb, code);
                self.forward(r, nb, Work::Get);
                return;
            }
        }
        self.hop(
            LB,
            CLIENTS,
            r,
            if code == 503 { "503" } else { "504" },
            Ev::ReplyAtClient(r, code),
        );
    }

    // ---- backends ----------------------------------------------------------------------------

    fn service_time(&self, b: usize, job: &Job) -> SimDuration {
        let be = &self.backends[b];
        let work = match job.work {
            Work::Get => self.req(job.req).demand,
            Work::Hello(0) => {
                let t = &self.cfg.tls;
                (if self.req(job.req).resumed {
                    t.resume_cpu
                } else {
                    t.full_cpu
                })
                .as_micros() as f64
            }
            Work::Hello(_) => 0.0,
        };
        let (speed, slow) = (self.cfg.speeds[b], be.slow);
        // x / 1 * 1 is x exactly (IEEE 754), so the common case skips the division (out of
        // line, or the compiler computes it anyway and selects).
        #[inline(never)]
        fn scale(work: f64, speed: f64, slow: f64) -> f64 {
            work / speed * slow
        }
        let scaled = if speed == 1.0 && slow == 1.0 {
            work
        } else {
            scale(work, speed, slow)
        };
        SimDuration::from_micros_f64(scaled).max(SimDuration(1))
    }

    fn at_backend(&mut self, b: usize, job: Job) {
        let now = self.now();
        let node = backend_node(b);
        if !self.backends[b].alive {
            self.trace
                .drop_msg(now, node, Self::msg(job.req), "backend down");
            self.job_ended(job.req);
            self.retire();
            return;
        }
        let cap = self.cfg.capacities[b];
        let be = &mut self.backends[b];
        if be.busy < cap {
            be.busy += 1;
            let busy = be.busy;
            let epoch = be.epoch;
            self.trace.gauge(now, node, "busy", f64::from(busy));
            self.stats.busy(now, b, busy, cap);
            let d = self.service_time(b, &job);
            self.sched.after(d, Ev::Done(bk(b), epoch, job));
        } else if !self.cfg.queue_at_lb && (be.queue.len() as u32) < self.cfg.queue {
            be.queue.push_back(job);
            let (len, busy) = (be.queue.len(), be.busy);
            self.trace.gauge(now, node, "queued", len as f64);
            self.say.backend_queue(
                &mut self.trace,
                now,
                job.req,
                b,
                (busy, cap),
                (len, self.cfg.queue),
            );
        } else {
            self.stats.rejected(now, b);
            self.trace
                .drop_msg(now, node, Self::msg(job.req), "backend full");
            self.say.reject(&mut self.trace, now, job.req, b, self.cfg);
            let label = if job.work == Work::Get { "503" } else { "RST" };
            self.hop(node, LB, job.req, label, Ev::ReplyAtLb(bk(b), job, 503));
        }
    }

    fn done(&mut self, b: usize, epoch: u16, job: Job) {
        if self.backends[b].epoch != epoch {
            // The backend crashed while working on it: the work is lost.
            self.job_ended(job.req);
            self.retire();
            return;
        }
        let now = self.now();
        let node = backend_node(b);
        let label = match job.work {
            Work::Get => {
                self.stats.served_by(b);
                "200"
            }
            Work::Hello(0) => "ServerHello",
            Work::Hello(_) => "Finished",
        };
        self.hop(node, LB, job.req, label, Ev::ReplyAtLb(bk(b), job, 200));
        let cap = self.cfg.capacities[b];
        let be = &mut self.backends[b];
        if let Some(next) = be.queue.pop_front() {
            let len = be.queue.len();
            self.trace.gauge(now, node, "queued", len as f64);
            let d = self.service_time(b, &next);
            self.sched.after(d, Ev::Done(bk(b), epoch, next));
        } else {
            be.busy -= 1;
            let busy = be.busy;
            self.trace.gauge(now, node, "busy", f64::from(busy));
            self.stats.busy(now, b, busy, cap);
        }
    }

    // ---- failures ----------------------------------------------------------------------------

    fn fault(&mut self, i: usize) {
        let f = self.cfg.faults[i];
        let now = self.now();
        let b = f.backend;
        let node = backend_node(b);
        let cap = self.cfg.capacities[b];
        let be = &mut self.backends[b];
        match f.kind {
            FaultKind::Down if be.alive => {
                let lost = be.busy as usize + be.queue.len();
                be.alive = false;
                be.epoch = be.epoch.wrapping_add(1);
                be.busy = 0;
                let queued = std::mem::take(&mut be.queue);
                be.dead_since = Some(now);
                be.sent_while_dead = 0;
                // The queued jobs are lost (those in service end when their `Done` comes).
                for job in &queued {
                    self.job_ended(job.req);
                }
                self.retire();
                self.trace.gauge(now, node, "alive", 0.0);
                self.trace.gauge(now, node, "busy", 0.0);
                self.trace.gauge(now, node, "queued", 0.0);
                self.stats.busy(now, b, 0, cap);
                self.stats.crashed(b, now);
                self.say.crash(&mut self.trace, now, b, lost);
            }
            FaultKind::Up if !be.alive => {
                be.alive = true;
                be.slow = 1.0;
                be.dead_since = None;
                self.trace.gauge(now, node, "alive", 1.0);
                self.say
                    .recover(&mut self.trace, now, b, self.cfg.health.is_some());
            }
            FaultKind::Slow(factor) => {
                be.slow = factor;
                self.trace.gauge(now, node, "slowdown", factor);
                self.say.slow(&mut self.trace, now, b, factor);
            }
            _ => {}
        }
    }

    fn set_eligible(&mut self, b: usize, why: &str) {
        let now = self.now();
        let be = &self.backends[b];
        let new = self.cfg.weights[b] > 0.0 && be.marked_up && !be.ejected;
        if new == self.eligible[b] {
            return;
        }
        let before = self.eligible.clone();
        self.eligible[b] = new;
        if new {
            self.n_eligible += 1;
        } else {
            self.n_eligible -= 1;
        }
        self.trace.gauge(
            now,
            backend_node(b),
            "in rotation",
            if new { 1.0 } else { 0.0 },
        );
        if !new {
            if let Some(since) = be.dead_since {
                self.stats.detected(b, since, now, be.sent_while_dead);
            }
        }
        self.refresh_pickable(b);
        if is_hashing(&self.cfg.algorithm) {
            let moved = super::clients::moved_keys(
                self.picker.as_mut(),
                self.cfg,
                &before,
                &self.eligible,
                &self.outstanding,
                now,
            );
            self.stats.moved(now, b, new, why, moved, self.cfg.clients);
            self.say
                .moved(&mut self.trace, now, b, moved, self.cfg.clients);
        }
    }

    fn try_eject(&mut self, b: usize) {
        let now = self.now();
        let n = self.backends.len();
        let ejected = self.backends.iter().filter(|x| x.ejected).count();
        // Envoy's max_ejection_percent (default 10%), but one host may always be ejected.
        if ejected > 0 && ejected * 100 >= n * 10 {
            return;
        }
        let be = &mut self.backends[b];
        be.ejected = true;
        be.ejections += 1;
        let n_ej = be.ejections;
        let dur = SimDuration(self.cfg.eject_base.as_micros() * u64::from(n_ej));
        let errors = be.errors_in_a_row;
        self.say.ejected(&mut self.trace, now, b, errors, dur);
        self.set_eligible(b, "ejected");
        self.sched.after(dur, Ev::EjectEnd(bk(b), n_ej));
    }

    fn eject_end(&mut self, b: usize, n: u32) {
        let be = &mut self.backends[b];
        if be.ejected && be.ejections == n {
            be.ejected = false;
            be.errors_in_a_row = 0;
            let now = self.now();
            self.say.uneject(&mut self.trace, now, b);
            self.set_eligible(b, "ejection ended");
        }
    }

    // ---- health checks (HAProxy: inter, timeout check, rise, fall) ----------------------------

    fn check(&mut self, b: usize) {
        let Some(hc) = self.cfg.health else { return };
        let now = self.now();
        let be = &mut self.backends[b];
        be.check_seq += 1;
        be.check_pending = true;
        be.check_sent = now;
        let seq = be.check_seq;
        let arrive = now + self.cfg.link;
        self.trace.hop(now, arrive, LB, backend_node(b), 0, "HC");
        self.sched
            .at_in(self.lane_hops, arrive, Ev::CheckAtBackend(bk(b), seq));
        self.sched.at_in(
            self.lane_checks,
            now + hc.timeout,
            Ev::CheckTimeout(bk(b), seq),
        );
    }

    fn check_at_backend(&mut self, b: usize, seq: u32) {
        let now = self.now();
        if !self.backends[b].alive {
            self.trace.drop_msg(now, backend_node(b), 0, "backend down");
            return;
        }
        // A slow backend answers its checks slowly too (1 ms of work, scaled).
        let work =
            SimDuration::from_micros_f64(1_000.0 * self.backends[b].slow / self.cfg.speeds[b]);
        self.sched.after(work, Ev::CheckAnswer(bk(b), seq));
    }

    fn check_reply(&mut self, b: usize, seq: u32) {
        let be = &self.backends[b];
        if be.check_seq != seq || !be.check_pending {
            return;
        }
        self.check_result(b, true);
    }

    fn check_timeout(&mut self, b: usize, seq: u32) {
        let be = &self.backends[b];
        if be.check_seq != seq || !be.check_pending {
            return;
        }
        self.check_result(b, false);
    }

    fn check_result(&mut self, b: usize, ok: bool) {
        let Some(hc) = self.cfg.health else { return };
        let now = self.now();
        let be = &mut self.backends[b];
        be.check_pending = false;
        let elapsed = now.since(be.check_sent);
        let mut changed = None;
        if ok {
            be.fail_streak = 0;
            if !be.marked_up {
                be.ok_streak += 1;
                if be.ok_streak >= hc.rise {
                    be.marked_up = true;
                    be.ok_streak = 0;
                    changed = Some(true);
                }
            }
        } else {
            be.ok_streak = 0;
            if be.marked_up {
                be.fail_streak += 1;
                let streak = be.fail_streak;
                self.say
                    .check_failed(&mut self.trace, now, b, streak, hc.fall, hc.timeout);
                let be = &mut self.backends[b];
                if be.fail_streak >= hc.fall {
                    be.marked_up = false;
                    be.fail_streak = 0;
                    changed = Some(false);
                }
            }
        }
        if let Some(up) = changed {
            let be = &self.backends[b];
            self.say.marked(&mut self.trace, now, (b, be), up, hc);
            self.set_eligible(b, if up { "marked up" } else { "marked down" });
        }
        let next = if elapsed.as_micros() >= hc.interval.as_micros() {
            SimDuration::ZERO
        } else {
            SimDuration(hc.interval.as_micros() - elapsed.as_micros())
        };
        self.sched.after(next, Ev::Check(bk(b)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hot records stay small: an event in 16 bytes (a scheduler entry in 32), a request in
    /// 48. A new field or variant that grows them costs every run; this says so.
    #[test]
    fn events_and_requests_stay_small() {
        assert_eq!(std::mem::size_of::<Ev>(), 16);
        assert_eq!(std::mem::size_of::<Request>(), 48);
    }
}
