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

use super::cache::{Cache, Change, Negative, Rank};
use super::message::{Message, Question, Rcode};
use super::name::Name;
use super::record::{RData, RType, Record};
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

    /// Step 2: the closest cached delegation above or at `sname`, else the root hints.
    fn best_servers(&mut self, now: SimTime, sname: &Name) -> (Name, Vec<Name>) {
        let mut at = sname.clone();
        loop {
            if let Some(ns) = self.cache.get(now, &at, RType::Ns, Rank::Glue) {
                let names: Vec<Name> = ns
                    .iter()
                    .filter_map(|r| match &r.rdata {
                        RData::Ns(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                if !names.is_empty() {
                    return (at, names);
                }
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        (
            Name::root(),
            self.hints.iter().map(|(n, _)| n.clone()).collect(),
        )
    }

    /// A known IPv4 address of server `ns`: cached (any rank) or from the hints.
    fn known_address(&mut self, now: SimTime, ns: &Name) -> Option<Ipv4Addr> {
        if let Some(rrs) = self.cache.get(now, ns, RType::A, Rank::Glue) {
            if let Some(RData::A(a)) = rrs.first().map(|r| &r.rdata) {
                return Some(*a);
            }
        }
        self.hints
            .iter()
            .find(|(n, _)| n == ns)
            .and_then(|(_, a)| a.first().copied())
    }

    /// Step 3's SLIST order: servers with known addresses first, unresponsive ones last,
    /// otherwise in the order of the NS records.
    fn order(&mut self, now: SimTime, servers: &[Name]) -> Vec<(Name, Option<Ipv4Addr>)> {
        let mut list: Vec<(u8, usize, Name, Option<Ipv4Addr>)> = servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let addr = self.known_address(now, s);
                let dead = self.unresponsive.get(s).is_some_and(|until| *until > now);
                let class = match (dead, addr.is_some()) {
                    (false, true) => 0,
                    (false, false) => 1,
                    (true, _) => 2,
                };
                (class, i, s.clone(), addr)
            })
            .collect();
        list.sort_by_key(|(class, i, _, _)| (*class, *i));
        list.into_iter().map(|(_, _, s, a)| (s, a)).collect()
    }

    /// Looks up the address of a server named without glue.
    fn address_by_lookup(
        &mut self,
        net: &mut dyn Network,
        ctx: &mut Ctx,
        ns: &Name,
        zone: &Name,
        depth: usize,
    ) -> Result<Ipv4Addr, String> {
        let (nsb, zb) = (ns.bare(), zone_phrase(zone));
        if ns.is_in(zone) {
            return Err(format!(
                "{nsb} lies inside {zb} and no glue gave its address"
            ));
        }
        if ctx.ns_stack.contains(ns) {
            return Err(format!("finding {nsb}'s address needs {nsb} itself"));
        }
        if depth >= self.cfg.max_ns_depth {
            return Err(format!(
                "finding {nsb}'s address needs more than {} nested lookups",
                self.cfg.max_ns_depth
            ));
        }
        if net.narrating() {
            net.narrate(ctx.now, Who::Resolver, format!(
                "The servers for {zb} are named but no address came with them: {nsb} lies outside the zone that referred (out of bailiwick, so no glue). The resolver first looks up {nsb} itself."
            ));
        }
        ctx.ns_stack.push(ns.clone());
        let found = self.lookup(net, ctx, &Question::new(ns.clone(), RType::A), depth + 1);
        ctx.ns_stack.pop();
        match found {
            Ok(f) => {
                let addr = f.records.iter().find_map(|r| match r.rdata {
                    RData::A(a) => Some(a),
                    _ => None,
                });
                match addr {
                    Some(a) => {
                        if net.narrating() {
                            net.narrate(
                                ctx.now,
                                Who::Resolver,
                                format!(
                                    "Now the resolver knows {nsb} is at {a}, and returns to {zb}."
                                ),
                            );
                        }
                        Ok(a)
                    }
                    None => Err(format!("{nsb} has no address ({})", f.rcode)),
                }
            }
            Err(Fail(why)) => Err(format!("could not find {nsb}'s address: {why}")),
        }
    }

    /// Step 3: asks the servers for `zone` in turn until one gives a usable response.
    #[allow(clippy::too_many_arguments)]
    fn query_zone(
        &mut self,
        net: &mut dyn Network,
        ctx: &mut Ctx,
        zone: &Name,
        servers: &[Name],
        sname: &Name,
        qtype: RType,
        depth: usize,
    ) -> Result<Step, Fail> {
        let question = Question::new(sname.clone(), qtype);
        let mut problems: Vec<String> = Vec::new();
        let mut looped: Option<String> = None;
        for (ns, addr) in self.order(ctx.now, servers) {
            let addr = match addr {
                Some(a) => a,
                None => match self.address_by_lookup(net, ctx, &ns, zone, depth) {
                    Ok(a) => a,
                    Err(why) => {
                        problems.push(why);
                        continue;
                    }
                },
            };
            if ctx.queries.len() as u32 >= self.cfg.max_queries {
                return Err(Fail(format!(
                    "it sent {} queries for one lookup, its limit",
                    self.cfg.max_queries
                )));
            }
            self.next_id += 1;
            let sent = ctx.now;
            if net.narrating() {
                net.narrate(
                    sent,
                    Who::Server(ns.clone()),
                    format!(
                        "The resolver asks {} ({addr}), a server for {}: {question}.",
                        ns.bare(),
                        zone_phrase(zone)
                    ),
                );
            }
            let reply = net.exchange(sent, &ns, addr, &question, self.next_id);
            let Some((arrived, msg)) = reply else {
                ctx.now = sent + self.cfg.timeout;
                self.unresponsive
                    .insert(ns.clone(), ctx.now + DEAD_SERVER_MEMORY);
                ctx.queries.push(SentQuery {
                    server: ns.clone(),
                    address: addr,
                    question: question.clone(),
                    sent,
                    replied: None,
                    outcome: "timeout".into(),
                });
                if net.narrating() {
                    net.narrate(ctx.now, Who::Server(ns.clone()), format!(
                        "No reply from {} within the {} timeout: the server is down. The resolver remembers that for up to 5 minutes (RFC 2308 §7.2) and tries the next server for {}.",
                        ns.bare(),
                        self.cfg.timeout,
                        zone_phrase(zone)
                    ));
                }
                problems.push(format!("{} did not answer", ns.bare()));
                continue;
            };
            ctx.now = arrived;
            self.unresponsive.remove(&ns);
            let digested = self.digest(net, ctx.now, zone, &ns, &question, &msg);
            let outcome = match &digested {
                Ok(Step::Answer { chain, .. }) if !chain.is_empty() => {
                    "CNAME and answer".to_string()
                }
                Ok(Step::Answer { .. }) => "answer".to_string(),
                Ok(Step::Negative {
                    kind: Negative::NxDomain,
                    ..
                }) => "NXDOMAIN".to_string(),
                Ok(Step::Negative {
                    kind: Negative::NoData,
                    ..
                }) => "NODATA".to_string(),
                Ok(Step::Referral { zone, .. }) => format!("referral {zone}"),
                Ok(Step::Alias { .. }) => "CNAME".to_string(),
                Err((_, short, _)) => short.clone(),
            };
            ctx.queries.push(SentQuery {
                server: ns.clone(),
                address: addr,
                question: question.clone(),
                sent,
                replied: Some(arrived),
                outcome,
            });
            self.flush(net, ctx.now);
            match digested {
                Ok(step) => return Ok(step),
                Err((why, _, is_loop)) => {
                    if is_loop {
                        looped = Some(why.clone());
                    }
                    problems.push(why);
                }
            }
        }
        Err(Fail(match looped {
            Some(why) => format!("referral loop: {why}"),
            None if problems.is_empty() => {
                format!("no server for {} could be asked", zone_phrase(zone))
            }
            None => format!(
                "no server for {} gave a usable answer ({})",
                zone_phrase(zone),
                problems.join("; ")
            ),
        }))
    }

    /// Step 4: what the response means, caching what it teaches. `Err` is (why, short outcome,
    /// whether it is a referral loop) for a response the resolver cannot use.
    fn digest(
        &mut self,
        net: &mut dyn Network,
        now: SimTime,
        zone: &Name,
        server: &Name,
        q: &Question,
        msg: &Message,
    ) -> Result<Step, (String, String, bool)> {
        let narrating = net.narrating();
        let who = Who::Server(server.clone());
        let srv = server.bare();
        match msg.rcode {
            Rcode::Refused => {
                let why = format!(
                    "{srv} refused: it does not serve {} (a lame delegation)",
                    zone_phrase(zone)
                );
                if narrating {
                    net.narrate(
                        now,
                        who,
                        format!("{why}, so the resolver tries another server."),
                    );
                }
                return Err((why, "REFUSED".into(), false));
            }
            Rcode::ServFail => {
                let why = format!("{srv} answered SERVFAIL");
                return Err((why, "SERVFAIL".into(), false));
            }
            _ => {}
        }
        // Bailiwick: only records at or below the zone this server was asked for.
        let in_zone = |r: &&Record| r.owner.is_in(zone);
        // Follow the alias chain through the answer section.
        let mut cur = q.name.clone();
        let mut chain: Vec<Record> = Vec::new();
        let mut data: Vec<Record> = Vec::new();
        for _ in 0..=msg.answer.len() {
            let here: Vec<&Record> = msg
                .answer
                .iter()
                .filter(in_zone)
                .filter(|r| r.owner == cur)
                .collect();
            let matching: Vec<Record> = here
                .iter()
                .filter(|r| r.rtype() == q.rtype)
                .map(|r| (*r).clone())
                .collect();
            if !matching.is_empty() {
                data = matching;
                break;
            }
            match here.iter().find(|r| r.rtype() == RType::Cname) {
                Some(c) if q.rtype != RType::Cname => {
                    let target = c.cname_target().cloned().unwrap_or_else(Name::root);
                    chain.push((*c).clone());
                    if target == q.name || chain.iter().any(|r| r.owner == target) {
                        break;
                    }
                    cur = target;
                }
                _ => break,
            }
        }
        // Cache what was learned (RFC 2181 §5.4.1 ranks): the first owner's data is
        // authoritative in an AA answer, what follows an alias is not.
        for (i, c) in chain.iter().enumerate() {
            let rank = if msg.aa && i == 0 {
                Rank::Authoritative
            } else {
                Rank::Answer
            };
            self.cache.put(now, std::slice::from_ref(c), rank);
        }
        if !data.is_empty() {
            let rank = if msg.aa && chain.is_empty() {
                Rank::Authoritative
            } else {
                Rank::Answer
            };
            self.cache.put(now, &data, rank);
            if narrating {
                let via = if chain.is_empty() {
                    String::new()
                } else {
                    format!(" after the alias {}", describe_chain(&chain))
                };
                net.narrate(
                    now,
                    who,
                    format!(
                        "{srv} is authoritative for {} and answers{via}: {}.",
                        zone_phrase(zone),
                        data.iter()
                            .map(|r| format!("{} {} {}", r.owner.bare(), r.rtype(), r.rdata))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
            return Ok(Step::Answer { chain, data });
        }
        let soa = msg
            .authority
            .iter()
            .filter(in_zone)
            .find(|r| r.rtype() == RType::Soa && cur.is_in(&r.owner))
            .cloned();
        if msg.rcode == Rcode::NxDomain {
            let ttl = soa.as_ref().and_then(|s| {
                self.cache
                    .put_negative(now, &cur, q.rtype, Negative::NxDomain, s)
            });
            if narrating {
                net.narrate(
                    now,
                    who,
                    format!(
                        "{srv} answers NXDOMAIN: {} does not exist.{}",
                        cur.bare(),
                        negative_note(&soa, ttl)
                    ),
                );
            }
            return Ok(Step::Negative {
                kind: Negative::NxDomain,
                chain,
                soa,
            });
        }
        if let Some(soa) = soa {
            let ttl = self
                .cache
                .put_negative(now, &cur, q.rtype, Negative::NoData, &soa);
            if narrating {
                net.narrate(now, who, format!(
                    "{srv} answers NOERROR with no records: {} exists but has no {} records (NODATA).{}",
                    cur.bare(),
                    q.rtype,
                    negative_note(&Some(soa.clone()), ttl)
                ));
            }
            return Ok(Step::Negative {
                kind: Negative::NoData,
                chain,
                soa: Some(soa),
            });
        }
        if !chain.is_empty() {
            if narrating {
                let last = chain
                    .last()
                    .and_then(|c| c.cname_target())
                    .map(|t| t.bare())
                    .unwrap_or_default();
                net.narrate(now, who, format!(
                    "{srv} answers that {} is an alias (CNAME {}). {last} lies in another zone, so the resolver starts over with that name.",
                    q.name.bare(),
                    describe_chain(&chain)
                ));
            }
            return Ok(Step::Alias { chain });
        }
        let ns: Vec<&Record> = msg
            .authority
            .iter()
            .filter(|r| r.rtype() == RType::Ns && cur.is_in(&r.owner))
            .collect();
        if let Some(first) = ns.first() {
            let child = first.owner.clone();
            let names: Vec<Name> = ns
                .iter()
                .filter(|r| r.owner == child)
                .filter_map(|r| match &r.rdata {
                    RData::Ns(n) => Some(n.clone()),
                    _ => None,
                })
                .collect();
            if !child.is_below(zone) {
                let why = format!(
                    "{srv}, asked as a server for {}, refers {} to {} instead of answering",
                    zone_phrase(zone),
                    cur.bare(),
                    zone_phrase(&child)
                );
                if narrating {
                    net.narrate(now, who, format!(
                        "{srv} answers with a referral to {} again, which gets no closer: it is named as a server for that zone but does not serve it (a lame delegation). Following it would loop forever, so the resolver drops this server.",
                        zone_phrase(&child)
                    ));
                }
                return Err((why, "referral loop".into(), true));
            }
            let ns_records: Vec<Record> = ns
                .iter()
                .filter(|r| r.owner == child)
                .map(|r| (*r).clone())
                .collect();
            self.cache.put(now, &ns_records, Rank::Glue);
            let mut with_glue = 0;
            for name in &names {
                let glue: Vec<Record> = msg
                    .additional
                    .iter()
                    .filter(|r| r.owner == *name && r.owner.is_in(zone))
                    .filter(|r| r.rtype() == RType::A)
                    .cloned()
                    .collect();
                if !glue.is_empty() {
                    with_glue += 1;
                    self.cache.put(now, &glue, Rank::Glue);
                }
                let glue6: Vec<Record> = msg
                    .additional
                    .iter()
                    .filter(|r| r.owner == *name && r.owner.is_in(zone) && r.rtype() == RType::Aaaa)
                    .cloned()
                    .collect();
                self.cache.put(now, &glue6, Rank::Glue);
            }
            if narrating {
                let who_is = if zone.is_root() {
                    "The root server".to_string()
                } else {
                    srv.clone()
                };
                let more = if names.len() > 1 {
                    format!(" and {} more", names.len() - 1)
                } else {
                    String::new()
                };
                let glue_note = if with_glue == names.len() {
                    "with their addresses (glue)".to_string()
                } else if with_glue > 0 {
                    "with addresses for some of them".to_string()
                } else {
                    "without addresses: those names lie outside its zone".to_string()
                };
                net.narrate(now, who, format!(
                    "{who_is} doesn't know {} but refers the resolver to the servers for {} ({}{more}), {glue_note}.",
                    q.name.bare(),
                    zone_phrase(&child),
                    names.first().map(|n| n.bare()).unwrap_or_default(),
                ));
            }
            return Ok(Step::Referral {
                zone: child,
                servers: names,
            });
        }
        if msg.aa {
            // NODATA without an SOA (RFC 1034 §6.2.4's form): usable, not cacheable.
            return Ok(Step::Negative {
                kind: Negative::NoData,
                chain,
                soa: None,
            });
        }
        let why = format!(
            "{srv} gave neither an answer nor a referral for {}",
            cur.bare()
        );
        Err((why, "lame".into(), false))
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
