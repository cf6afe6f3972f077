//! The recursive resolver: the iterative algorithm of RFC 1034 §5.3.3, with its cache.
//!
//! 1. "See if the answer is in local information, and if so return it to the client." A cached
//!    alias moves the search to the canonical name; a cached negative answer ends it
//!    (RFC 2308 §5).
//! 2. "Find the best servers to ask": NS records cached for SNAME, its parent, … up to the
//!    root; the root hints (SBELT) when none are cached.
//! 3. "Send them queries until one returns a response", one server after another. A server that
//!    does not answer within the timeout is skipped and remembered as unresponsive for five
//!    minutes at most (RFC 2308 §7.2), which moves it to the end of later lists.
//! 4. Analyze the response:
//!    a. it answers the question or says the name does not exist: cache it and return it;
//!    b. it is a better delegation: cache the NS records and glue, go to step 2 with them;
//!    c. it is an alias: cache the CNAME, change SNAME to the canonical name, go to step 1;
//!    d. a failure or "bizarre contents" (REFUSED from a lame server, a referral that is not
//!    closer, which is a referral loop): drop that server and go back to step 3.
//!
//! When a referral names servers without addresses (their names lie outside the zone that
//! referred, so there was no glue), the resolver looks those names up first, with the same
//! algorithm and cache (RFC 1034 §5.3.3, step 2's "the addresses are not available").
//!
//! Work is bounded "EVEN IF SOMEONE HAS INCORRECTLY CONFIGURED SOME DATA" (RFC 1034 §5.3.3):
//! a cap on queries per resolution, on aliases per chain and on nested server lookups. An alias
//! that comes back to a name already in the chain is a loop. Each bound ends in SERVFAIL with
//! the reason.
//!
//! Trust (RFC 2181 §5.4.1, and the "bailiwick" rule every modern resolver applies): from a
//! server asked as a server for zone Z, only records at or below Z are accepted; glue and
//! referral NS records are cached at the lowest rank and never returned as answers; in an
//! authoritative answer, only the records for the name asked are authoritative, those after an
//! alias rank below them.

mod digest;
mod query;
mod servers;

use crate::dns::cache::{Cache, Change, Negative, Rank};
use crate::dns::message::{Message, Question, Rcode};
use crate::dns::name::Name;
use crate::dns::record::{RType, Record};
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// RFC 2308 §7.2: a dead server "MUST NOT be deemed dead for longer than five (5) minutes".
pub const DEAD_SERVER_MEMORY: SimDuration = SimDuration::from_micros(300_000_000);

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResolverConfig {
    /// How long to wait for a reply before trying the next server.
    pub timeout: SimDuration,
    /// Queries one resolution may send (unbound's `MAX_SENT_COUNT` is 32).
    pub max_queries: u32,
    /// Aliases one chain may have (unbound's `MAX_RESTART_COUNT` is 8).
    pub max_aliases: usize,
    /// Nesting of "look up the name server's address first".
    pub max_ns_depth: usize,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            timeout: SimDuration::from_millis(800),
            max_queries: 32,
            max_aliases: 8,
            max_ns_depth: 3,
        }
    }
}

/// Who a narrated sentence is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    Resolver,
    Server(Name),
}

/// The resolver's view of the network, provided by the scenario (which records the hops).
pub trait Network {
    /// Sends `q` (message id `id`) from the resolver to `server` at `addr` at `now`: the reply
    /// and when it arrives, or `None` if no reply will ever come.
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        addr: Ipv4Addr,
        q: &Question,
        id: u64,
    ) -> Option<(SimTime, Message)>;
    /// Whether to build narration (sentences cost time in big runs).
    fn narrating(&self) -> bool {
        false
    }
    fn narrate(&mut self, _at: SimTime, _who: Who, _text: String) {}
    fn cache_changed(&mut self, _at: SimTime, _change: Change) {}
}

/// One query the resolver sent.
#[derive(Clone, Debug, PartialEq)]
pub struct SentQuery {
    pub server: Name,
    pub address: Ipv4Addr,
    pub question: Question,
    pub sent: SimTime,
    /// When the reply arrived (`None`: timed out).
    pub replied: Option<SimTime>,
    /// What the reply meant: `answer`, `referral com.`, `CNAME`, `NXDOMAIN`, `NODATA`,
    /// `timeout`, `REFUSED`, `referral loop`, …
    pub outcome: String,
}

/// The result of one resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolution {
    pub rcode: Rcode,
    /// The alias chain first, then the records of the type asked, in order.
    pub answer: Vec<Record>,
    /// The SOA of a negative answer (authority section).
    pub soa: Option<Record>,
    /// Answered from the cache alone, without a query.
    pub from_cache: bool,
    pub queries: Vec<SentQuery>,
    /// The zone whose servers the first query went to (`.` on a cold cache; `com.` when the
    /// .com servers were cached).
    pub started_at: Option<Name>,
    /// Why the answer is SERVFAIL.
    pub failure: Option<String>,
    /// When the answer was ready.
    pub end: SimTime,
}

/// A resolution that failed, and why.
#[derive(Clone, Debug, PartialEq)]
struct Fail(String);

/// What came back for SNAME: data, a negative answer, or an alias to follow.
struct Found {
    rcode: Rcode,
    records: Vec<Record>,
    soa: Option<Record>,
}

/// What one useful response means (RFC 1034 §5.3.3 step 4).
enum Step {
    /// 4a: the alias chain within the zone (possibly empty) and the data.
    Answer {
        chain: Vec<Record>,
        data: Vec<Record>,
    },
    /// 4a: a negative answer for the last name of the chain.
    Negative {
        kind: Negative,
        chain: Vec<Record>,
        soa: Option<Record>,
    },
    /// 4b: servers for a zone closer to the answer.
    Referral { zone: Name, servers: Vec<Name> },
    /// 4c: an alias chain to follow from the cache or from the top.
    Alias { chain: Vec<Record> },
}

struct Ctx {
    now: SimTime,
    queries: Vec<SentQuery>,
    /// Names of servers whose addresses are being looked up (to break cycles).
    ns_stack: Vec<Name>,
    started_at: Option<Name>,
}

pub struct Resolver {
    pub cache: Cache,
    hints: Vec<(Name, Vec<Ipv4Addr>)>,
    cfg: ResolverConfig,
    /// Servers that did not answer, until when they are tried last.
    unresponsive: BTreeMap<Name, SimTime>,
    next_id: u64,
}

fn describe_chain(chain: &[Record]) -> String {
    let mut parts: Vec<String> = chain.iter().take(1).map(|r| r.owner.to_string()).collect();
    parts.extend(
        chain
            .iter()
            .filter_map(|r| r.cname_target().map(|t| t.to_string())),
    );
    parts.join(" → ")
}

impl Resolver {
    pub fn new(hints: Vec<(Name, Vec<Ipv4Addr>)>, cache: Cache, cfg: ResolverConfig) -> Self {
        Resolver {
            cache,
            hints,
            cfg,
            unresponsive: BTreeMap::new(),
            next_id: 0,
        }
    }

    pub fn config(&self) -> ResolverConfig {
        self.cfg
    }

    /// Resolves `q` starting at `now`.
    pub fn resolve(&mut self, net: &mut dyn Network, now: SimTime, q: &Question) -> Resolution {
        let mut ctx = Ctx {
            now,
            queries: Vec::new(),
            ns_stack: Vec::new(),
            started_at: None,
        };
        let result = self.lookup(net, &mut ctx, q, 0);
        self.flush(net, ctx.now);
        let from_cache = ctx.queries.is_empty();
        match result {
            Ok(f) => Resolution {
                rcode: f.rcode,
                answer: f.records,
                soa: f.soa,
                from_cache,
                queries: ctx.queries,
                started_at: ctx.started_at,
                failure: None,
                end: ctx.now,
            },
            Err(Fail(why)) => {
                if net.narrating() {
                    net.narrate(
                        ctx.now,
                        Who::Resolver,
                        format!(
                            "The resolver gives up on {} and answers SERVFAIL: {why}.",
                            q.name.bare()
                        ),
                    );
                }
                Resolution {
                    rcode: Rcode::ServFail,
                    answer: Vec::new(),
                    soa: None,
                    from_cache,
                    queries: ctx.queries,
                    started_at: ctx.started_at,
                    failure: Some(why),
                    end: ctx.now,
                }
            }
        }
    }

    fn flush(&mut self, net: &mut dyn Network, at: SimTime) {
        for c in self.cache.take_changes() {
            net.cache_changed(at, c);
        }
    }

    /// Adds `alias` to `chain`, refusing loops and over-long chains.
    fn follow(&self, q: &Question, chain: &mut Vec<Record>, alias: Record) -> Result<Name, Fail> {
        let target = alias.cname_target().cloned().unwrap_or_else(Name::root);
        chain.push(alias);
        if target == q.name || chain.iter().any(|r| r.owner == target) {
            return Err(Fail(format!("CNAME loop: {}", describe_chain(chain))));
        }
        if chain.len() > self.cfg.max_aliases {
            return Err(Fail(format!(
                "the alias chain is longer than {} CNAMEs: {}",
                self.cfg.max_aliases,
                describe_chain(chain)
            )));
        }
        Ok(target)
    }

    fn lookup(
        &mut self,
        net: &mut dyn Network,
        ctx: &mut Ctx,
        q: &Question,
        depth: usize,
    ) -> Result<Found, Fail> {
        let mut sname = q.name.clone();
        let mut chain: Vec<Record> = Vec::new();
        'step1: loop {
            // Step 1: local information.
            if let Some(rrs) = self.cache.get(ctx.now, &sname, q.rtype, Rank::Answer) {
                if net.narrating() {
                    let left = rrs.first().map(|r| r.ttl).unwrap_or(0);
                    net.narrate(ctx.now, Who::Resolver, format!(
                        "The resolver finds {} {} in its cache ({left} s of TTL left), so it answers without asking anyone.",
                        sname.bare(),
                        q.rtype
                    ));
                }
                chain.extend(rrs);
                self.flush(net, ctx.now);
                return Ok(Found {
                    rcode: Rcode::NoError,
                    records: chain,
                    soa: None,
                });
            }
            if q.rtype != RType::Cname {
                if let Some(mut c) = self.cache.get(ctx.now, &sname, RType::Cname, Rank::Answer) {
                    let alias = c.remove(0);
                    if net.narrating() {
                        net.narrate(ctx.now, Who::Resolver, format!(
                            "The resolver's cache says {} is an alias of {} ({} s left), so it continues with that name.",
                            sname.bare(),
                            alias.cname_target().map(|t| t.bare()).unwrap_or_default(),
                            alias.ttl
                        ));
                    }
                    sname = self.follow(q, &mut chain, alias)?;
                    continue 'step1;
                }
            }
            if let Some((kind, soa)) = self.cache.get_negative(ctx.now, &sname, q.rtype) {
                if net.narrating() {
                    net.narrate(ctx.now, Who::Resolver, format!(
                        "The resolver has a cached negative answer: {} ({} s left of the negative TTL from the SOA of {}), so it answers at once (RFC 2308 §5).",
                        match kind {
                            Negative::NxDomain => format!("{} does not exist", sname.bare()),
                            Negative::NoData => format!("{} has no {} records", sname.bare(), q.rtype),
                        },
                        soa.ttl,
                        zone_phrase(&soa.owner)
                    ));
                }
                self.flush(net, ctx.now);
                let rcode = if kind == Negative::NxDomain {
                    Rcode::NxDomain
                } else {
                    Rcode::NoError
                };
                return Ok(Found {
                    rcode,
                    records: chain,
                    soa: Some(soa),
                });
            }
            self.flush(net, ctx.now);
            // Step 2: the best servers.
            let (mut zone, mut servers) = self.best_servers(ctx.now, &sname);
            if depth == 0 && ctx.started_at.is_none() {
                ctx.started_at = Some(zone.clone());
            }
            if net.narrating() {
                let why = if zone.is_root() {
                    "so it starts at the top: a root server (from its root hints)".to_string()
                } else {
                    format!("but it has the name servers of {} cached, so it skips the levels above and asks one of them", zone.bare())
                };
                net.narrate(
                    ctx.now,
                    Who::Resolver,
                    format!(
                        "The resolver has no cached answer for {} {}, {why}.",
                        sname.bare(),
                        q.rtype
                    ),
                );
            }
            // Steps 3 and 4.
            loop {
                let step = self.query_zone(net, ctx, &zone, &servers, &sname, q.rtype, depth)?;
                match step {
                    Step::Answer { chain: part, data } => {
                        for alias in part {
                            self.follow(q, &mut chain, alias)?;
                        }
                        chain.extend(data);
                        return Ok(Found {
                            rcode: Rcode::NoError,
                            records: chain,
                            soa: None,
                        });
                    }
                    Step::Negative {
                        kind,
                        chain: part,
                        soa,
                    } => {
                        for alias in part {
                            self.follow(q, &mut chain, alias)?;
                        }
                        let rcode = if kind == Negative::NxDomain {
                            Rcode::NxDomain
                        } else {
                            Rcode::NoError
                        };
                        return Ok(Found {
                            rcode,
                            records: chain,
                            soa,
                        });
                    }
                    Step::Referral {
                        zone: child,
                        servers: list,
                    } => {
                        zone = child;
                        servers = list;
                    }
                    Step::Alias { chain: part } => {
                        for alias in part {
                            sname = self.follow(q, &mut chain, alias)?;
                        }
                        continue 'step1;
                    }
                }
            }
        }
    }
}

/// `the root` / `com.`.
fn zone_phrase(zone: &Name) -> String {
    if zone.is_root() {
        "the root".to_string()
    } else {
        zone.bare()
    }
}

fn negative_note(soa: &Option<Record>, ttl: Option<u32>) -> String {
    match (soa, ttl) {
        (Some(s), Some(t)) => {
            let min = s.soa().map(|x| x.minimum).unwrap_or(0);
            format!(
                " The SOA of {} in the authority section (TTL {}, MINIMUM {min}) lets the resolver cache that for {t} s, the smaller of the two (RFC 2308 §5).",
                zone_phrase(&s.owner),
                s.ttl
            )
        }
        (Some(_), None) => " Its SOA allows no negative caching.".to_string(),
        (None, _) => " With no SOA in the answer it cannot be cached (RFC 2308 §5).".to_string(),
    }
}

#[cfg(test)]
mod tests;
