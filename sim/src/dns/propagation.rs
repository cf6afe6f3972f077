//! The propagation scenario: a record changes at its authoritative server, and two populations
//! of recursive resolvers, identical but for the record's TTL, keep answering the old value until
//! their cached copies expire.
//!
//! DNS has no invalidation: a cached RRset is good until its TTL runs out (RFC 1034 §3.6, RFC
//! 1035 §7.4), so after a change the old answer lives on for up to one TTL. Each resolver fetched
//! the record at its own moment, so at the change the copies' ages are spread over [0, TTL)
//! (drawn uniformly: steady clients asking more often than once per TTL make the age of a copy
//! uniform). Clients ask each resolver at random (Poisson) times; a resolver whose copy expired
//! asks the authoritative server again at the next client query.
//!
//! The chart shows, for each population, the share of clients that would get the new value if
//! they asked at that moment (each resolver serving the same number of clients): a resolver
//! counts once its copy is the new one or has expired. Both populations use the same random
//! draws (ages as fractions of the TTL, query times), so the two curves differ by the TTL alone.

use super::config::{Config, PropagationConfig};
use super::label;
use super::record::Record;
use super::topology::Topology;
use crate::kernel::queue::Scheduler;
use crate::kernel::rng::SimRng;
use crate::kernel::run::{NodeId, Point, Run, Series};
use crate::kernel::stats::bucket_width;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::{Trace, DEFAULT_EVENT_CAP};
use serde_json::json;

/// Random streams (see `kernel::rng`).
const STREAM_AGES: u64 = 11;
const STREAM_QUERIES: u64 = 12;

/// Resolvers per population drawn as their own node (the rest are one aggregate node).
const SHOWN: u32 = 4;

#[derive(Clone, Copy, Debug)]
enum Ev {
    /// A client of resolver `r` in population `p` asks.
    Query(usize, u32),
    /// The query reaches the resolver.
    AtResolver(usize, u32),
    /// The resolver's query reaches the authoritative server.
    AtAuth(usize, u32),
    /// The authoritative answer (new value when `true`) reaches the resolver.
    Reply(usize, u32, bool),
    /// The record changes at the authoritative server.
    Change,
    /// Every fetch started before the change has landed: the switch times are known.
    Tally,
    /// Population `p` reaches half (`false`) or all (`true`) of its resolvers switched.
    Milestone(usize, bool),
    /// Sample the share for the chart.
    Sample,
}

#[derive(Clone, Debug)]
struct Res {
    /// The cached copy: new value or not, and when it expires.
    new: bool,
    expires: SimTime,
    /// A fetch is in flight; `waiting` client queries wait for it.
    fetching: bool,
    waiting: u32,
    node: Option<NodeId>,
}

struct Population {
    ttl: u32,
    res: Vec<Res>,
    clients_node: NodeId,
    others_node: Option<NodeId>,
    queries: SimRng,
    answers_after_change: u64,
    stale_answers: u64,
    fetches: u64,
    half_at: Option<SimTime>,
    all_at: Option<SimTime>,
    first_new_narrated: bool,
    points: Vec<Point>,
}

fn secs(s: f64) -> SimDuration {
    SimDuration::from_micros_f64(s * 1e6)
}

fn halves(rtt: SimDuration) -> (SimDuration, SimDuration) {
    let a = SimDuration(rtt.0 / 2);
    (a, SimDuration(rtt.0 - a.0))
}

fn ttl_phrase(ttl: u32) -> String {
    match ttl {
        t if t % 3600 == 0 => format!("{} h", t / 3600),
        t if t % 60 == 0 && t >= 60 => format!("{} min", t / 60),
        t => format!("{t} s"),
    }
}

pub fn simulate(cfg: &Config, seed: u64) -> Run {
    let Some(pc) = cfg.propagation.as_ref() else {
        return super::error_run("propagation mode without its parameters".into());
    };
    run(cfg, pc, seed)
}

fn run(cfg: &Config, pc: &PropagationConfig, seed: u64) -> Run {
    let mut trace = Trace::new(DEFAULT_EVENT_CAP);
    let mut sched: Scheduler<Ev> = Scheduler::new();
    let mut topo = Topology::default();
    let owner = pc.old[0].owner.clone();
    let rtype = pc.old[0].rtype();
    let old_text = pc
        .old
        .iter()
        .map(|r| r.rdata.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let new_text = pc.new.to_string();
    let key = format!("{owner} {rtype}");
    let max_ttl = pc.ttls[0].max(pc.ttls[1]);
    let change_at = SimTime::ZERO + pc.change_at;
    let end = change_at + secs(f64::from(max_ttl) * 1.2 + 10.0);
    let mean_gap_us = 60e6 / pc.queries_per_min;
    let (res_there, res_back) = halves(cfg.rtt_resolver);
    let (auth_there, auth_back) = halves(cfg.rtt_auth);

    let mut pops: Vec<Population> = Vec::with_capacity(2);
    for (p, &ttl) in pc.ttls.iter().enumerate() {
        let clients_node = topo.add(
            format!("clients-{}", p + 1),
            format!("clients (TTL {})", ttl_phrase(ttl)),
            "client",
            0,
            format!(
                "ask each resolver about {:.3} times a minute",
                pc.queries_per_min
            ),
        );
        pops.push(Population {
            ttl,
            res: Vec::new(),
            clients_node,
            others_node: None,
            queries: SimRng::new(seed, STREAM_QUERIES),
            answers_after_change: 0,
            stale_answers: 0,
            fetches: 0,
            half_at: None,
            all_at: None,
            first_new_narrated: false,
            points: Vec::new(),
        });
    }
    for (p, pop) in pops.iter_mut().enumerate() {
        let mut ages = SimRng::new(seed, STREAM_AGES);
        for r in 0..pc.resolvers {
            let node = (r < SHOWN).then(|| {
                topo.add(
                    format!("resolver-{}-{}", p + 1, r + 1),
                    format!("resolver {} (TTL {})", r + 1, ttl_phrase(pop.ttl)),
                    "resolver",
                    1,
                    format!("record TTL {} s", pop.ttl),
                )
            });
            let age = ages.unit() * f64::from(pop.ttl);
            let expires = SimTime::ZERO + secs((f64::from(pop.ttl) - age).max(1e-6));
            pop.res.push(Res {
                new: false,
                expires,
                fetching: false,
                waiting: 0,
                node,
            });
        }
        if pc.resolvers > SHOWN {
            pop.others_node = Some(topo.add(
                format!("resolvers-{}", p + 1),
                format!(
                    "{} more resolvers (TTL {})",
                    pc.resolvers - SHOWN,
                    ttl_phrase(pop.ttl)
                ),
                "resolver",
                1,
                "each with its own cached copy".into(),
            ));
        }
    }
    let auth = topo.add(
        pc.server.to_string(),
        pc.server.bare(),
        "authoritative",
        2,
        format!("serves {owner}"),
    );

    // Initial state.
    trace.entry(SimTime::ZERO, auth, key.clone(), old_text.clone(), None);
    for pop in &pops {
        for res in &pop.res {
            if let Some(node) = res.node {
                trace.entry(
                    SimTime::ZERO,
                    node,
                    key.clone(),
                    format!("{old_text} (old)"),
                    Some(res.expires),
                );
            }
        }
    }
    trace.step(SimTime::ZERO, Some(auth), format!(
        "Two populations of {} resolvers hold {} {rtype} {old_text} in their caches: one population got it with a TTL of {}, the other with {}. Each fetched it at its own moment, so the copies expire at different times.",
        pc.resolvers, owner.bare(), ttl_phrase(pc.ttls[0]), ttl_phrase(pc.ttls[1])
    ));
    for (p, pop) in pops.iter_mut().enumerate() {
        for r in 0..pc.resolvers {
            let gap = SimDuration::from_micros_f64(pop.queries.exponential(mean_gap_us));
            sched.at(SimTime::ZERO + gap, Ev::Query(p, r));
        }
    }
    sched.at(change_at, Ev::Change);
    sched.at(change_at + cfg.rtt_auth + SimDuration(1), Ev::Tally);
    let width = bucket_width(end.since(SimTime::ZERO), 600);
    sched.at(SimTime::ZERO, Ev::Sample);

    let mut changed = false;
    let msg = |p: usize, r: u32| (p as u64) * 1_000_000 + u64::from(r) + 1;
    let query_label = format!("{rtype}? {}", owner.bare());
    while let Some((now, ev)) = sched.pop() {
        match ev {
            Ev::Query(p, r) => {
                let pop = &mut pops[p];
                if let Some(node) = pop.res[r as usize].node {
                    trace.hop(
                        now,
                        now + res_there,
                        pop.clients_node,
                        node,
                        msg(p, r),
                        query_label.clone(),
                    );
                }
                sched.at(now + res_there, Ev::AtResolver(p, r));
                let gap = SimDuration::from_micros_f64(pop.queries.exponential(mean_gap_us));
                if now + gap < end {
                    sched.at(now + gap, Ev::Query(p, r));
                }
            }
            Ev::AtResolver(p, r) => {
                let pop = &mut pops[p];
                let res = &mut pop.res[r as usize];
                if res.fetching {
                    res.waiting += 1;
                } else if res.expires > now {
                    let new = res.new;
                    answer(
                        &mut trace, pop, p, r, now, new, 1, change_at, res_back, &old_text,
                        &new_text,
                    );
                } else {
                    res.fetching = true;
                    res.waiting = 1;
                    pop.fetches += 1;
                    if let Some(node) = res.node {
                        trace.remove(now, node, key.clone(), "TTL expired");
                        trace.hop(
                            now,
                            now + auth_there,
                            node,
                            auth,
                            msg(p, r),
                            query_label.clone(),
                        );
                    }
                    sched.at(now + auth_there, Ev::AtAuth(p, r));
                }
            }
            Ev::AtAuth(p, r) => {
                let pop = &pops[p];
                let new = changed;
                if let Some(node) = pop.res[r as usize].node {
                    let value = if new { &new_text } else { &old_text };
                    trace.hop(
                        now,
                        now + auth_back,
                        auth,
                        node,
                        msg(p, r),
                        format!("{owner} {rtype} {value}"),
                    );
                }
                sched.at(now + auth_back, Ev::Reply(p, r, new));
            }
            Ev::Reply(p, r, new) => {
                let pop = &mut pops[p];
                let ttl = pop.ttl;
                let res = &mut pop.res[r as usize];
                res.fetching = false;
                res.new = new;
                res.expires = now + secs(f64::from(ttl));
                let waiting = std::mem::take(&mut res.waiting);
                if let Some(node) = res.node {
                    let value = if new {
                        format!("{new_text} (new)")
                    } else {
                        format!("{old_text} (old)")
                    };
                    trace.entry(now, node, key.clone(), value, Some(res.expires));
                }
                if new && !pop.first_new_narrated {
                    pop.first_new_narrated = true;
                    let at = pop.res[r as usize].node.or(pop.others_node);
                    trace.step(now, at, format!(
                        "A resolver of the TTL {} population finds its copy expired, asks {} again and now gets the new value, {new_text}. It will keep it for {} s.",
                        ttl_phrase(ttl), pc.server.bare(), ttl
                    ));
                }
                answer(
                    &mut trace, pop, p, r, now, new, waiting, change_at, res_back, &old_text,
                    &new_text,
                );
            }
            Ev::Change => {
                changed = true;
                trace.entry(now, auth, key.clone(), new_text.clone(), None);
                trace.step(now, Some(auth), format!(
                    "At {now} the record changes on {}: {} {rtype} is now {new_text}. Nobody is told: DNS has no invalidation, so each cache keeps serving {old_text} until its own copy expires.",
                    pc.server.bare(), owner.bare()
                ));
            }
            Ev::Tally => {
                for (p, pop) in pops.iter_mut().enumerate() {
                    let mut switch: Vec<SimTime> = pop
                        .res
                        .iter()
                        .map(|res| {
                            if res.new {
                                change_at
                            } else {
                                res.expires.max(change_at)
                            }
                        })
                        .collect();
                    switch.sort_unstable();
                    let half = switch[(switch.len() - 1) / 2];
                    let all = switch[switch.len() - 1];
                    pop.half_at = Some(half);
                    pop.all_at = Some(all);
                    sched.at(half.max(now), Ev::Milestone(p, false));
                    sched.at(all.max(now), Ev::Milestone(p, true));
                }
            }
            Ev::Milestone(p, all) => {
                let pop = &pops[p];
                let after = now.since(change_at);
                let node = pop.others_node.or(pop.res.first().and_then(|r| r.node));
                if all {
                    trace.step(now, node, format!(
                        "Every resolver of the TTL {} population now gives the new value, {after} after the change: the last copies fetched just before it lived one full TTL. The TTL is the worst case for propagation.",
                        ttl_phrase(pop.ttl)
                    ));
                } else {
                    trace.step(now, node, format!(
                        "Half the clients of the TTL {} population now get the new value, {after} after the change (about half a TTL: copies were of every age).",
                        ttl_phrase(pop.ttl)
                    ));
                }
            }
            Ev::Sample => {
                for pop in pops.iter_mut() {
                    let seeing = pop
                        .res
                        .iter()
                        .filter(|res| {
                            if res.fetching || res.expires <= now {
                                changed || now + auth_there >= change_at
                            } else {
                                res.new
                            }
                        })
                        .count();
                    let share = 100.0 * seeing as f64 / pop.res.len() as f64;
                    pop.points.push(Point(now, share));
                    if let Some(node) = pop.others_node {
                        trace.gauge(now, node, "seeing new (%)", share);
                    }
                }
                if now + width <= end {
                    sched.at(now + width, Ev::Sample);
                }
            }
        }
    }
    let finish = sched.now();
    let summary: Vec<String> = pops
        .iter()
        .map(|pop| {
            format!(
                "TTL {}: everyone switched {} after the change, {} stale answers served",
                ttl_phrase(pop.ttl),
                pop.all_at.map(|a| a.since(change_at)).unwrap_or_default(),
                pop.stale_answers
            )
        })
        .collect();
    trace.step(finish, None, format!("{}. Lowering a TTL well before a planned change is how operators make it take effect quickly.", summary.join("; ")));

    let series: Vec<Series> = pops
        .iter_mut()
        .map(|pop| Series {
            chart: "Clients seeing the new value".into(),
            name: format!("TTL {} s", pop.ttl),
            unit: "%".into(),
            points: std::mem::take(&mut pop.points),
        })
        .collect();
    let with_ttl = |rec: &Record, ttl: u32| rec.with_ttl(ttl).to_string();
    let populations: Vec<_> = pops
        .iter()
        .map(|pop| {
            json!({
                "ttl_s": pop.ttl,
                "resolvers": pop.res.len(),
                "half_at_us": pop.half_at,
                "all_at_us": pop.all_at,
                "half_after_change_us": pop.half_at.map(|t| t.since(change_at).as_micros()),
                "all_after_change_us": pop.all_at.map(|t| t.since(change_at).as_micros()),
                "answers_after_change": pop.answers_after_change,
                "stale_answers": pop.stale_answers,
                "fetches": pop.fetches,
            })
        })
        .collect();
    let new_record = Record::new(owner.clone(), pc.ttls[0], pc.new.clone());
    let result = json!({
        "mode": "propagation",
        "name": owner.to_string(),
        "type": rtype.to_string(),
        "server": pc.server.to_string(),
        "old": pc.old.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "new": with_ttl(&new_record, pc.ttls[0]),
        "change_at_us": change_at,
        "populations": populations,
        "answer": label::record(&new_record),
        "kernel_events": sched.processed(),
    });
    let (events, events_until, steps) = trace.finish();
    let duration = events
        .iter()
        .map(|e| match e {
            crate::kernel::run::Event::Hop { arrive, .. } => *arrive,
            other => other.at(),
        })
        .chain(std::iter::once(finish))
        .max()
        .unwrap_or(finish);
    Run {
        scenario: String::new(),
        seed,
        params: Default::default(),
        duration,
        nodes: topo.nodes,
        events,
        events_until,
        steps,
        series,
        result,
    }
}

/// The resolver answers `count` waiting clients with the new value or the old one.
#[allow(clippy::too_many_arguments)]
fn answer(
    trace: &mut Trace,
    pop: &mut Population,
    p: usize,
    r: u32,
    now: SimTime,
    new: bool,
    count: u32,
    change_at: SimTime,
    back: SimDuration,
    old_text: &str,
    new_text: &str,
) {
    if now >= change_at {
        pop.answers_after_change += u64::from(count);
        if !new {
            pop.stale_answers += u64::from(count);
        }
    }
    if let Some(node) = pop.res[r as usize].node {
        let value = if new {
            format!("{new_text} (new)")
        } else {
            format!("{old_text} (old)")
        };
        for _ in 0..count.min(3) {
            trace.hop(
                now,
                now + back,
                node,
                pop.clients_node,
                (p as u64) * 1_000_000 + u64::from(r) + 1,
                value.clone(),
            );
        }
    }
}
