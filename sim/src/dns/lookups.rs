//! The lookups scenario: names resolved one after another, each hop recorded.
//!
//! A lookup for an address (A, AAAA) starts in a browser: its host cache, then the operating
//! system's stub cache, then the recursive resolver, which iterates from the root (RFC 1034
//! §5.3.3) unless its cache already knows the answer or a closer set of servers. Other types
//! start at the OS stub, as a mail server's or `dig`'s resolver library would. The answer
//! travels back down through every layer, and each layer caches it for as long as it may.
//! Lookup `i` comes from host `i mod clients`, so with several clients a repeat can miss the
//! browser and OS caches and show the resolver's.
//!
//! Every message of lookup `i` carries message id `i` (1-based), so a view can pick out one
//! lookup's hops.

use super::cache::{self, Change};
use super::internet::{Internet, Tier};
use super::label;
use super::message::{Message, Question, Rcode};
use super::name::Name;
use super::params::Config;
use super::record::RType;
use super::resolver::{Network, Resolution, Resolver, ResolverConfig, SentQuery, Who};
use super::stub::{StubAnswer, StubCache};
use super::topology::{Topology, COL_BROWSER, COL_OS, COL_RESOLVER};
use crate::kernel::run::{NodeId, Point, Run, Series};
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::{Trace, DEFAULT_EVENT_CAP};
use serde_json::json;
use std::net::Ipv4Addr;

/// Lookups narrated in full; later ones only record hops and a closing sentence.
pub const NARRATED_LOOKUPS: usize = 40;

/// Where an answer came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServedFrom {
    Browser,
    Os,
    Resolver,
    Authoritative,
}

impl ServedFrom {
    pub fn as_str(self) -> &'static str {
        match self {
            ServedFrom::Browser => "browser",
            ServedFrom::Os => "os",
            ServedFrom::Resolver => "resolver",
            ServedFrom::Authoritative => "authoritative",
        }
    }
}

/// Half of a round trip, and the other half (so the two add up exactly).
fn halves(rtt: SimDuration) -> (SimDuration, SimDuration) {
    let a = SimDuration(rtt.0 / 2);
    (a, SimDuration(rtt.0 - a.0))
}

/// The resolver's network: records each exchange with a server as two hops (or a hop and a
/// drop when the server is down).
struct Wire<'a> {
    trace: &'a mut Trace,
    topo: &'a mut Topology,
    internet: &'a Internet,
    cfg: &'a Config,
    resolver: NodeId,
    msg: u64,
    narrate: bool,
}

impl Wire<'_> {
    fn rtt(&self, server: &Name) -> SimDuration {
        match self.internet.tier(server) {
            Tier::Root => self.cfg.rtt_root,
            Tier::Tld => self.cfg.rtt_tld,
            Tier::Authoritative => self.cfg.rtt_auth,
        }
    }
}

impl Network for Wire<'_> {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        let down = self.cfg.down.contains(server);
        let node = self.topo.server(self.internet, server, down);
        let (there, back) = halves(self.rtt(server));
        self.trace.hop(
            now,
            now + there,
            self.resolver,
            node,
            self.msg,
            label::query(q),
        );
        let reply = if down {
            None
        } else {
            self.internet.answer(server, q)
        };
        match reply {
            None => {
                let why = if down {
                    "server down: no reply"
                } else {
                    "no server at this name"
                };
                self.trace.drop_msg(now + there, node, self.msg, why);
                None
            }
            Some(msg) => {
                let at = now + there;
                self.trace.hop(
                    at,
                    at + back,
                    node,
                    self.resolver,
                    self.msg,
                    label::response(q, &msg),
                );
                Some((at + back, msg))
            }
        }
    }

    fn narrating(&self) -> bool {
        self.narrate
    }

    fn narrate(&mut self, at: SimTime, who: Who, text: String) {
        let text = tidy(text);
        let node = match who {
            Who::Resolver => self.resolver,
            Who::Server(name) => {
                let down = self.cfg.down.contains(&name);
                self.topo.server(self.internet, &name, down)
            }
        };
        self.trace.step(at, Some(node), text);
    }

    fn cache_changed(&mut self, at: SimTime, change: Change) {
        record_change(self.trace, at, self.resolver, change);
    }
}

/// Sentences that end in a record (`… mail.example.com.`) get one full stop, not two.
fn tidy(text: String) -> String {
    let mut t = text.replace(".. ", ". ").replace("..)", ".)");
    if t.ends_with("..") {
        t.pop();
    }
    t
}

/// Records a narrated step, tidied.
fn say(trace: &mut Trace, at: SimTime, node: Option<NodeId>, text: String) {
    trace.step(at, node, tidy(text));
}

fn record_change(trace: &mut Trace, at: SimTime, node: NodeId, change: Change) {
    match change {
        Change::Set {
            key,
            value,
            expires,
        } => trace.entry(at, node, key, value, Some(expires)),
        Change::Removed { key, reason } => trace.remove(at, node, key, reason),
    }
}

fn flush(trace: &mut Trace, at: SimTime, node: NodeId, cache: &mut StubCache) {
    for c in cache.take_changes() {
        record_change(trace, at, node, c);
    }
}

/// What one lookup produced.
struct Outcome {
    question: Question,
    client: u32,
    start: SimTime,
    end: SimTime,
    served_from: ServedFrom,
    answer: StubAnswer,
    queries: Vec<SentQuery>,
    started_at: Option<Name>,
    failure: Option<String>,
    /// Which cache layers were consulted and whether each hit: (browser, os, resolver).
    layers: [Option<bool>; 3],
}

struct Host {
    browser: StubCache,
    os: StubCache,
    browser_node: NodeId,
    os_node: NodeId,
}

fn client_label(c: u32, clients: u32) -> String {
    if clients == 1 {
        "the host".to_string()
    } else {
        format!("host {}", c + 1)
    }
}

fn ttl_left(a: &StubAnswer) -> u32 {
    a.records
        .iter()
        .map(|r| r.ttl)
        .min()
        .or(a.soa.as_ref().map(|s| s.ttl))
        .unwrap_or(0)
}

pub fn simulate(cfg: &Config) -> Run {
    let internet: &Internet = &cfg.internet;
    let mut trace = Trace::new(DEFAULT_EVENT_CAP);
    let mut topo = Topology::default();
    let mut hosts: Vec<Host> = (0..cfg.clients)
        .map(|c| {
            let suffix = if cfg.clients == 1 {
                String::new()
            } else {
                format!(" {}", c + 1)
            };
            let browser_node = topo.add(
                format!("browser-{}", c + 1),
                format!("browser{suffix}"),
                "browser",
                COL_BROWSER,
                if cfg.browser_cap_s == 0 {
                    "host cache off".to_string()
                } else {
                    format!("host cache, entries live at most {} s", cfg.browser_cap_s)
                },
            );
            let os_node = topo.add(
                format!("os-{}", c + 1),
                format!("OS stub{suffix}"),
                "stub",
                COL_OS,
                "stub resolver cache, honours TTLs and negative answers".to_string(),
            );
            Host {
                browser: StubCache::browser(cfg.browser_cap_s),
                os: StubCache::os(),
                browser_node,
                os_node,
            }
        })
        .collect();
    let resolver_node = topo.add(
        "resolver".into(),
        "recursive resolver".into(),
        "resolver",
        COL_RESOLVER,
        format!("iterative (RFC 1034 §5.3.3), timeout {}", cfg.timeout),
    );
    let mut resolver = Resolver::new(
        internet.hints.clone(),
        cache::Cache::new(cache::CacheConfig::default()),
        ResolverConfig {
            timeout: cfg.timeout,
            ..ResolverConfig::default()
        },
    );
    if !cfg.down.is_empty() {
        let names: Vec<String> = cfg.down.iter().map(|n| n.bare()).collect();
        say(
            &mut trace,
            SimTime::ZERO,
            None,
            format!(
                "Failure injected: {} {} down and will not answer.",
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" }
            ),
        );
    }
    let (stub_there, stub_back) = halves(cfg.rtt_stub);
    let (res_there, res_back) = halves(cfg.rtt_resolver);
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(cfg.lookups.len());
    let mut next = SimTime::ZERO;
    for (i, q) in cfg.lookups.iter().enumerate() {
        let c = (i as u32) % cfg.clients;
        let narrate = i < NARRATED_LOOKUPS && trace.recording();
        let msg = i as u64 + 1;
        let start = next;
        let host = &mut hosts[c as usize];
        host.browser.report = trace.recording();
        host.os.report = trace.recording();
        resolver.cache.report = trace.recording();
        let who = client_label(c, cfg.clients);
        let in_browser = matches!(q.rtype, RType::A | RType::Aaaa);
        let mut layers = [None, None, None];
        let mut t = start;
        // Browser.
        if in_browser {
            if narrate {
                say(
                    &mut trace,
                    t,
                    Some(host.browser_node),
                    format!(
                        "Lookup {}: a browser on {who} needs the address of {} ({}).",
                        i + 1,
                        q.name.bare(),
                        q.rtype
                    ),
                );
            }
            let hit = if cfg.browser_cap_s > 0 {
                host.browser.get(t, q)
            } else {
                None
            };
            flush(&mut trace, t, host.browser_node, &mut host.browser);
            layers[0] = Some(hit.is_some());
            if let Some(a) = hit {
                if narrate {
                    say(&mut trace, t, Some(host.browser_node), format!("The browser still has {} in its own cache ({} s left), so no packet leaves the browser: {}.", q.name.bare(), ttl_left(&a), label::answer(q, a.rcode, &a.records)));
                }
                outcomes.push(Outcome {
                    question: q.clone(),
                    client: c,
                    start,
                    end: t,
                    served_from: ServedFrom::Browser,
                    answer: a,
                    queries: vec![],
                    started_at: None,
                    failure: None,
                    layers,
                });
                if narrate {
                    if let Some(o) = outcomes.last() {
                        narrate_done(&mut trace, i, o);
                    }
                }
                next = t + cfg.gap;
                continue;
            }
            if narrate {
                say(&mut trace, t, Some(host.browser_node), format!("The browser has no cached address for {}, so it asks the operating system's stub resolver.", q.name.bare()));
            }
            trace.hop(
                t,
                t + stub_there,
                host.browser_node,
                host.os_node,
                msg,
                label::query(q),
            );
            t += stub_there;
        } else if narrate {
            say(&mut trace, t, Some(host.os_node), format!("Lookup {}: a program on {who} asks the OS stub resolver for the {} records of {}.", i + 1, q.rtype, q.name.bare()));
        }
        // OS stub.
        let hit = host.os.get(t, q);
        flush(&mut trace, t, host.os_node, &mut host.os);
        layers[1] = Some(hit.is_some());
        let answered: StubAnswer;
        let served_from;
        let mut queries = Vec::new();
        let mut started_at = None;
        let mut failure = None;
        if let Some(a) = hit {
            if narrate {
                say(
                    &mut trace,
                    t,
                    Some(host.os_node),
                    format!(
                        "The OS stub resolver has the answer cached ({} s left): {}.",
                        ttl_left(&a),
                        label::answer(q, a.rcode, &a.records)
                    ),
                );
            }
            answered = a;
            served_from = ServedFrom::Os;
        } else {
            if narrate {
                say(&mut trace, t, Some(host.os_node), format!("The OS has nothing cached for {}, so it sends the query to the recursive resolver ({} away).", q.name.bare(), cfg.rtt_resolver));
            }
            trace.hop(
                t,
                t + res_there,
                host.os_node,
                resolver_node,
                msg,
                label::query(q),
            );
            t += res_there;
            let resolution: Resolution = {
                let mut wire = Wire {
                    trace: &mut trace,
                    topo: &mut topo,
                    internet,
                    cfg,
                    resolver: resolver_node,
                    msg,
                    narrate,
                };
                resolver.resolve(&mut wire, t, q)
            };
            layers[2] = Some(resolution.from_cache);
            t = resolution.end;
            served_from = if resolution.from_cache {
                ServedFrom::Resolver
            } else {
                ServedFrom::Authoritative
            };
            answered = StubAnswer {
                rcode: resolution.rcode,
                records: resolution.answer.clone(),
                soa: resolution.soa.clone(),
            };
            queries = resolution.queries;
            started_at = resolution.started_at;
            failure = resolution.failure;
            let host = &mut hosts[c as usize];
            trace.hop(
                t,
                t + res_back,
                resolver_node,
                host.os_node,
                msg,
                label::answer(q, answered.rcode, &answered.records),
            );
            t += res_back;
            let kept = host.os.put(t, q, &answered);
            flush(&mut trace, t, host.os_node, &mut host.os);
            if narrate {
                let keep = if kept > 0 {
                    format!("caches it for {kept} s and ")
                } else {
                    String::new()
                };
                say(
                    &mut trace,
                    t,
                    Some(host.os_node),
                    format!(
                        "The answer reaches the OS, which {keep}passes it on: {}.",
                        label::answer(q, answered.rcode, &answered.records)
                    ),
                );
            }
        }
        let host = &mut hosts[c as usize];
        if in_browser {
            trace.hop(
                t,
                t + stub_back,
                host.os_node,
                host.browser_node,
                msg,
                label::answer(q, answered.rcode, &answered.records),
            );
            t += stub_back;
            let kept = if cfg.browser_cap_s > 0 {
                host.browser.put(t, q, &answered)
            } else {
                0
            };
            flush(&mut trace, t, host.browser_node, &mut host.browser);
            if narrate && kept > 0 {
                let ttl = answered.records.iter().map(|r| r.ttl).min().unwrap_or(0);
                let why = if kept < ttl {
                    format!(" (its limit, though the TTL is {ttl} s)")
                } else {
                    String::new()
                };
                say(
                    &mut trace,
                    t,
                    Some(host.browser_node),
                    format!("The browser gets the answer and keeps it for {kept} s{why}."),
                );
            }
        }
        outcomes.push(Outcome {
            question: q.clone(),
            client: c,
            start,
            end: t,
            served_from,
            answer: answered,
            queries,
            started_at,
            failure,
            layers,
        });
        if narrate {
            if let Some(o) = outcomes.last() {
                narrate_done(&mut trace, i, o);
            }
        }
        next = t + cfg.gap;
    }
    finish(cfg, trace, topo, outcomes)
}

/// The closing sentence of a lookup.
fn narrate_done(trace: &mut Trace, i: usize, o: &Outcome) {
    let what = match o.answer.rcode {
        Rcode::NoError if o.answer.records.is_empty() => {
            format!("no {} records (NODATA)", o.question.rtype)
        }
        Rcode::NoError => label::answer(&o.question, o.answer.rcode, &o.answer.records),
        Rcode::ServFail => format!("SERVFAIL ({})", o.failure.clone().unwrap_or_default()),
        other => other.to_string(),
    };
    let from = match o.served_from {
        ServedFrom::Browser => "from the browser's cache".to_string(),
        ServedFrom::Os => "from the OS cache".to_string(),
        ServedFrom::Resolver => "from the resolver's cache".to_string(),
        ServedFrom::Authoritative => format!(
            "after {} quer{} to name servers",
            o.queries.len(),
            if o.queries.len() == 1 { "y" } else { "ies" }
        ),
    };
    trace.step(
        o.end,
        None,
        tidy(format!(
            "Lookup {} done in {}: {} → {what}, {from}.",
            i + 1,
            o.end.since(o.start),
            o.question
        )),
    );
}

fn lookup_json(o: &Outcome) -> serde_json::Value {
    let queries: Vec<_> = o
        .queries
        .iter()
        .map(|s| {
            json!({
                "server": s.server.to_string(),
                "address": s.address.to_string(),
                "qname": s.question.name.to_string(),
                "qtype": s.question.rtype.to_string(),
                "outcome": s.outcome,
                "sent_us": s.sent,
                "rtt_us": s.replied.map(|r| r.since(s.sent).as_micros()),
            })
        })
        .collect();
    json!({
        "name": o.question.name.to_string(),
        "type": o.question.rtype.to_string(),
        "client": o.client + 1,
        "start_us": o.start,
        "rcode": o.answer.rcode.as_str(),
        "answer": o.answer.records.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "authority": o.answer.soa.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
        "served_from": o.served_from.as_str(),
        "latency_us": o.end.since(o.start).as_micros(),
        "queries": queries,
        "started_at": o.started_at.as_ref().map(|z| z.to_string()),
        "failure": o.failure,
    })
}

fn finish(cfg: &Config, trace: Trace, topo: Topology, outcomes: Vec<Outcome>) -> Run {
    let mut cold = Vec::new();
    let mut warm = Vec::new();
    let layer_names = ["browser cache", "OS cache", "resolver cache"];
    let mut hits = [0u32; 3];
    let mut asked = [0u32; 3];
    let mut ratio: [Vec<Point>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    let mut served = [0u32; 4];
    for o in &outcomes {
        let latency_ms = o.end.since(o.start).as_millis_f64();
        let point = Point(o.start, latency_ms);
        if o.served_from == ServedFrom::Authoritative {
            cold.push(point);
        } else {
            warm.push(point);
        }
        served[o.served_from as usize] += 1;
        for (l, seen) in o.layers.iter().enumerate() {
            if let Some(hit) = seen {
                asked[l] += 1;
                hits[l] += u32::from(*hit);
                ratio[l].push(Point(
                    o.end,
                    100.0 * f64::from(hits[l]) / f64::from(asked[l]),
                ));
            }
        }
    }
    let mut series = vec![
        Series {
            chart: "Resolution latency per lookup".into(),
            name: "cold: asked name servers".into(),
            unit: "ms".into(),
            points: cold,
        },
        Series {
            chart: "Resolution latency per lookup".into(),
            name: "warm: from a cache".into(),
            unit: "ms".into(),
            points: warm,
        },
    ];
    for (l, points) in ratio.into_iter().enumerate() {
        series.push(Series {
            chart: "Cache hit ratio per layer".into(),
            name: layer_names[l].into(),
            unit: "%".into(),
            points,
        });
    }
    let last = outcomes.last();
    let total: u64 = outcomes
        .iter()
        .map(|o| o.end.since(o.start).as_micros())
        .sum();
    let queries: usize = outcomes.iter().map(|o| o.queries.len()).sum();
    let timeouts: usize = outcomes
        .iter()
        .flat_map(|o| &o.queries)
        .filter(|q| q.replied.is_none())
        .count();
    let result = json!({
        "mode": "lookups",
        "zones": if cfg.custom_zones { "custom" } else { "default" },
        "rcode": last.map(|o| o.answer.rcode.as_str()),
        "answer": last.map(|o| o.answer.records.iter().map(|r| r.to_string()).collect::<Vec<_>>()).unwrap_or_default(),
        "latency_us": last.map(|o| o.end.since(o.start).as_micros()),
        "total_latency_us": total,
        "served_from": {
            "browser": served[ServedFrom::Browser as usize],
            "os": served[ServedFrom::Os as usize],
            "resolver": served[ServedFrom::Resolver as usize],
            "authoritative": served[ServedFrom::Authoritative as usize],
        },
        "queries_sent": queries,
        "timeouts": timeouts,
        "lookups": outcomes.iter().map(lookup_json).collect::<Vec<_>>(),
    });
    let (events, events_until, steps) = trace.finish();
    let duration = events
        .iter()
        .map(|e| match e {
            crate::kernel::run::Event::Hop { arrive, .. } => *arrive,
            other => other.at(),
        })
        .chain(steps.last().map(|s| s.at))
        .chain(outcomes.last().map(|o| o.end))
        .max()
        .unwrap_or(SimTime::ZERO);
    Run {
        scenario: String::new(),
        seed: 0,
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
