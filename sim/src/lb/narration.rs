//! The load balancer's narrated steps: one or two plain sentences for the moments worth
//! stopping at — the first picks, the first wait, drop, timeout and retry, every failure and its
//! detection. Firsts only, so a long run is not drowned in repetition.

use super::clients::{ip_of, ip_text};
use super::config::{Config, HealthCheck, Sticky, Tls};
use super::world::{backend_node, Backend, Request, CLIENTS, LB};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;

/// How many requests get a narrated step for their pick.
const NARRATED_PICKS: u32 = 12;
/// At most this many narrated failed checks per run.
const NARRATED_CHECKS: u32 = 8;

/// The moments narrated only the first time they happen.
#[derive(Clone, Copy, Debug)]
enum Moment {
    Pinned,
    Broken,
    Queue,
    LbQueue,
    LbFull,
    Reject,
    NoBackend,
    Timeout,
    Retry,
    Reply,
    TlsResumed,
    TlsFull,
}

#[derive(Default)]
pub struct Narrator {
    /// One bit per `Moment` already narrated.
    seen: u32,
    checks: u32,
}

fn s(n: impl Into<u64>) -> &'static str {
    if n.into() == 1 {
        ""
    } else {
        "s"
    }
}

pub fn algorithm_name(id: &str) -> &'static str {
    match id {
        "round_robin" => "round robin",
        "weighted_round_robin" => "smooth weighted round robin",
        "least_connections" => "least connections",
        "weighted_least_connections" => "weighted least connections",
        "ip_hash" => "ip_hash",
        "ring_hash" => "the hash ring",
        "maglev" => "Maglev",
        "power_of_two" => "power of two choices",
        "peak_ewma" => "peak EWMA",
        "random" => "random choice",
        _ => "the balancer",
    }
}

impl Narrator {
    /// True the first time `what` happens.
    fn first(&mut self, what: Moment) -> bool {
        let bit = 1 << what as u32;
        let new = self.seen & bit == 0;
        self.seen |= bit;
        new
    }

    pub fn wants_pick(&self, r: u32) -> bool {
        r < NARRATED_PICKS
    }

    pub fn pick(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        (r, req): (u32, &Request),
        b: usize,
        why: &str,
        cfg: &Config,
    ) {
        let retry = if req.attempts > 0 { " (a retry)" } else { "" };
        t.step(now, Some(LB), format!(
            "Request {} from {} reaches the load balancer{retry}; {} sends it to backend {} because {why}.",
            r + 1, ip_text(ip_of(req.client, cfg)), algorithm_name(&cfg.algorithm), b + 1
        ));
    }

    pub fn pinned(&mut self, t: &mut Trace, now: SimTime, r: u32, b: usize, sticky: Sticky) {
        if self.first(Moment::Pinned) {
            let how = if sticky == Sticky::Cookie {
                "its session cookie names"
            } else {
                "its source address is pinned to"
            };
            t.step(now, Some(LB), format!("Request {} skips the algorithm: {how} backend {}, so it goes there again (sticky session).", r + 1, b + 1));
        }
    }

    pub fn session_broken(&mut self, t: &mut Trace, now: SimTime, r: u32, old: usize, new: usize) {
        if self.first(Moment::Broken) {
            t.step(now, Some(LB), format!("Request {}'s session was pinned to backend {}, which is out of rotation: it is re-dispatched to backend {} and its session state is lost.", r + 1, old + 1, new + 1));
        }
    }

    pub fn backend_queue(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        r: u32,
        b: usize,
        (busy, cap): (u32, u32),
        (len, max): (usize, u32),
    ) {
        if self.first(Moment::Queue) {
            t.step(now, Some(backend_node(b)), format!("Backend {} already serves {busy} of {cap} requests at once, so request {} waits in its queue (position {len} of {max}).", b + 1, r + 1));
        }
    }

    pub fn lb_queue(&mut self, t: &mut Trace, now: SimTime, r: u32, len: usize, max: u32) {
        if self.first(Moment::LbQueue) {
            t.step(now, Some(LB), format!("Every backend is at its connection limit, so request {} waits at the balancer (position {len} of {max}) for the first free slot anywhere.", r + 1));
        }
    }

    pub fn lb_full(&mut self, t: &mut Trace, now: SimTime, r: u32, max: u32) {
        if self.first(Moment::LbFull) {
            t.step(now, Some(LB), format!("The balancer's queue is full ({max} waiting): it answers request {} with 503 itself.", r + 1));
        }
    }

    pub fn reject(&mut self, t: &mut Trace, now: SimTime, r: u32, b: usize, cfg: &Config) {
        if self.first(Moment::Reject) {
            let (cap, queue) = (cfg.capacities[b], cfg.queue);
            let why = if queue == 0 || cfg.queue_at_lb {
                format!("all {cap} of its slots are busy and it has no queue")
            } else {
                format!("all {cap} slots are busy and its queue is full ({queue} of {queue})")
            };
            t.step(
                now,
                Some(backend_node(b)),
                format!(
                    "Backend {} rejects request {} with 503: {why}.",
                    b + 1,
                    r + 1
                ),
            );
        }
    }

    pub fn no_backend(&mut self, t: &mut Trace, now: SimTime, r: u32) {
        if self.first(Moment::NoBackend) {
            t.step(now, Some(LB), format!("No backend is in rotation, so the balancer answers request {} with 503 itself.", r + 1));
        }
    }

    pub fn timeout(&mut self, t: &mut Trace, now: SimTime, r: u32, b: usize, timeout: SimDuration) {
        if self.first(Moment::Timeout) {
            t.step(now, Some(LB), format!("Backend {} has not answered request {} within {timeout}: the balancer gives up on this attempt.", b + 1, r + 1));
        }
    }

    pub fn retry(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        r: u32,
        from: usize,
        to: usize,
        code: u16,
    ) {
        if self.first(Moment::Retry) {
            let what = if code == 503 { "a 503" } else { "a timeout" };
            t.step(now, Some(LB), format!("After {what} from backend {}, the balancer retries request {} on backend {} — the client never sees the first failure, only a longer wait.", from + 1, r + 1, to + 1));
        }
    }

    pub fn first_reply(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        r: u32,
        req: &Request,
        latency: SimDuration,
        cfg: &Config,
    ) {
        if !self.first(Moment::Reply) {
            return;
        }
        let hops = if cfg.tls.mode == Tls::Off {
            "four hops".to_string()
        } else {
            "the TLS handshake, then four hops".to_string()
        };
        t.step(now, Some(CLIENTS), format!(
            "Request {}'s response reaches {} after {latency}: {hops} of {} each, plus service and any waiting at backend {}.",
            r + 1, ip_text(ip_of(req.client, cfg)), cfg.link, u32::from(req.backend) + 1
        ));
    }

    pub fn tls_start(&mut self, t: &mut Trace, now: SimTime, r: u32, cfg: &Config, resumed: bool) {
        let key = if resumed {
            Moment::TlsResumed
        } else {
            Moment::TlsFull
        };
        if !self.first(key) {
            return;
        }
        let rtts = if resumed {
            cfg.tls.resume_rtts
        } else {
            cfg.tls.full_rtts
        };
        let cpu = if resumed {
            cfg.tls.resume_cpu
        } else {
            cfg.tls.full_cpu
        };
        let (kind, where_) = match cfg.tls.mode {
            Tls::Terminate => (
                if resumed { "resumed" } else { "full" },
                "the balancer, which spends",
            ),
            _ => (
                if resumed { "resumed" } else { "full" },
                "a backend through the balancer (which only forwards TCP); the backend spends",
            ),
        };
        t.step(now, Some(CLIENTS), format!(
            "Request {} opens with a {kind} TLS handshake: {rtts} round trip{} with {where_} {cpu} of CPU before the GET can be sent.",
            r + 1, s(rtts)
        ));
    }

    pub fn crash(&mut self, t: &mut Trace, now: SimTime, b: usize, lost: usize) {
        t.step(now, Some(backend_node(b)), format!(
            "Backend {} crashes. {} lost, and the balancer does not know yet: it keeps sending it traffic until a health check or errors tell it.",
            b + 1, match lost { 0 => "It held no request, so none is".to_string(), 1 => "The 1 request it held is".to_string(), n => format!("The {n} requests it held are") }
        ));
    }

    pub fn recover(&mut self, t: &mut Trace, now: SimTime, b: usize, checks: bool) {
        let next = if checks {
            "the balancer will add it back after enough passing health checks"
        } else {
            "the balancer will try it again when its ejection ends"
        };
        t.step(
            now,
            Some(backend_node(b)),
            format!("Backend {} is back up; {next}.", b + 1),
        );
    }

    pub fn slow(&mut self, t: &mut Trace, now: SimTime, b: usize, factor: f64) {
        let what = if factor == 1.0 {
            "back to normal speed".to_string()
        } else {
            format!("{factor}× slower from now on")
        };
        t.step(
            now,
            Some(backend_node(b)),
            format!(
                "Backend {} becomes {what}; health checks still pass unless they time out.",
                b + 1
            ),
        );
    }

    pub fn check_failed(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        b: usize,
        streak: u32,
        fall: u32,
        timeout: SimDuration,
    ) {
        if self.checks < NARRATED_CHECKS {
            self.checks += 1;
            t.step(now, Some(LB), format!("Health check of backend {} got no answer within {timeout} ({streak} of the {fall} consecutive failures that mark it down).", b + 1));
        }
    }

    pub fn marked(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        (b, be): (usize, &Backend),
        up: bool,
        hc: HealthCheck,
    ) {
        let sent = be.sent_while_dead;
        let text = if up {
            format!(
                "Backend {} passed {} checks in a row: the balancer puts it back in rotation.",
                b + 1,
                hc.rise
            )
        } else if let Some(since) = be.dead_since {
            format!(
                "Backend {} is marked DOWN after {} failed checks, {} after it crashed; {sent} request{} went to it in the meantime.",
                b + 1, hc.fall, now.since(since), s(sent)
            )
        } else {
            format!(
                "Backend {} is marked DOWN after {} failed checks.",
                b + 1,
                hc.fall
            )
        };
        t.step(now, Some(backend_node(b)), text);
    }

    pub fn ejected(
        &mut self,
        t: &mut Trace,
        now: SimTime,
        b: usize,
        errors: u32,
        dur: SimDuration,
    ) {
        t.step(now, Some(LB), format!("Backend {} failed {errors} requests in a row: the balancer ejects it for {dur} (passive outlier detection).", b + 1));
    }

    pub fn uneject(&mut self, t: &mut Trace, now: SimTime, b: usize) {
        t.step(
            now,
            Some(LB),
            format!(
                "Backend {}'s ejection ends: it is back in rotation, on probation.",
                b + 1
            ),
        );
    }

    pub fn moved(&mut self, t: &mut Trace, now: SimTime, b: usize, moved: u64, clients: u32) {
        t.step(now, Some(LB), format!("With backend {} changing, {moved} of the {clients} clients now hash to a different backend.", b + 1));
    }

    pub fn summary(&mut self, t: &mut Trace, now: SimTime, text: String) {
        t.step(now, None, text);
    }
}
