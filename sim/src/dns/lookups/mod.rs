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

mod report;
mod wire;

use super::cache;
use super::config::Config;
use super::internet::Internet;
use super::label;
use super::message::Question;
use super::name::Name;
use super::record::RType;
use super::resolver::{Resolution, Resolver, ResolverConfig, SentQuery};
use super::stub::{StubAnswer, StubCache};
use super::topology::{Topology, COL_BROWSER, COL_OS, COL_RESOLVER};
use crate::kernel::run::{NodeId, Run};
use crate::kernel::time::SimTime;
use crate::kernel::trace::{Trace, DEFAULT_EVENT_CAP};
use report::{finish, narrate_done};
use wire::{flush, halves, say, Wire};

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
