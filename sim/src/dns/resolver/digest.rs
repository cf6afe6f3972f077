//! Step 4 of RFC 1034 §5.3.3: what a response means, and what of it may be cached (RFC 2181
//! §5.4.1 ranks, the bailiwick rule, RFC 2308 negative answers).

use super::{describe_chain, negative_note, zone_phrase, Network, Resolver, Step, Who};
use crate::dns::cache::{Negative, Rank};
use crate::dns::message::{Message, Question, Rcode};
use crate::dns::name::Name;
use crate::dns::record::{RData, RType, Record};
use crate::kernel::time::SimTime;

impl Resolver {
    /// Step 4: what the response means, caching what it teaches. `Err` is (why, short outcome,
    /// whether it is a referral loop) for a response the resolver cannot use.
    pub(super) fn digest(
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
            // RFC 1034 §6.2.7: an alias can come with a referral onward for its canonical
            // name; inside the bailiwick, cache it (step 4b) before following the alias (4c).
            let onward: Option<(Name, Vec<Name>)> = msg
                .authority
                .iter()
                .find(|r| r.rtype() == RType::Ns && cur.is_in(&r.owner) && r.owner.is_below(zone))
                .map(|first| {
                    let names = msg
                        .authority
                        .iter()
                        .filter(|r| r.owner == first.owner)
                        .filter_map(|r| match &r.rdata {
                            RData::Ns(n) => Some(n.clone()),
                            _ => None,
                        })
                        .collect();
                    (first.owner.clone(), names)
                });
            if let Some((child, names)) = &onward {
                self.cache_delegation(now, zone, msg, child, names);
            }
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
            let with_glue = self.cache_delegation(now, zone, msg, &child, &names);
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

    /// Caches a referral's NS records and the glue for them from the additional section, both
    /// at the lowest rank and only within the bailiwick of `zone` (RFC 1034 §5.3.3 step 4b,
    /// RFC 2181 §5.4.1). Returns how many of the servers came with an IPv4 address.
    fn cache_delegation(
        &mut self,
        now: SimTime,
        zone: &Name,
        msg: &Message,
        child: &Name,
        names: &[Name],
    ) -> usize {
        let ns_records: Vec<Record> = msg
            .authority
            .iter()
            .filter(|r| r.rtype() == RType::Ns && r.owner == *child)
            .cloned()
            .collect();
        self.cache.put(now, &ns_records, Rank::Glue);
        let mut with_glue = 0;
        for name in names {
            for rtype in [RType::A, RType::Aaaa] {
                let glue: Vec<Record> = msg
                    .additional
                    .iter()
                    .filter(|r| r.owner == *name && r.owner.is_in(zone) && r.rtype() == rtype)
                    .cloned()
                    .collect();
                if rtype == RType::A && !glue.is_empty() {
                    with_glue += 1;
                }
                self.cache.put(now, &glue, Rank::Glue);
            }
        }
        with_glue
    }
}
