//! The recursive resolver's cache.
//!
//! - RRsets are cached for their TTL and answered with the TTL decremented by their age
//!   (RFC 1035 §7.4, RFC 1034 §6.2.1's example); a TTL of 0 is not cached (RFC 1034 §5.3.3:
//!   "entered in the cache for future use if its TTL is greater than zero").
//! - An RRset's TTL is the smallest of its records' (RFC 2181 §5.2).
//! - Data is ranked by where it came from (RFC 2181 §5.4.1). Glue and referral NS records help
//!   find servers but are never returned as answers; cached data is not replaced by data of a
//!   lower rank while it lives.
//! - Negative answers are cached for min(SOA TTL, SOA MINIMUM) (RFC 2308 §5): a name error
//!   against <QNAME, QCLASS>, a no-data answer against <QNAME, QTYPE, QCLASS>. Answers without
//!   an SOA are not cached (RFC 2308 §5).
//! - Like real resolvers, TTLs are capped: positive ones at `max_ttl` (unbound's
//!   `cache-max-ttl` defaults to one day), negative ones at `max_negative_ttl` (RFC 2308 §5:
//!   "Values of one to three hours have been found to work well").
//!
//! Every change is also reported as a [`Change`], which the scenario turns into table events so
//! the page shows each entry with its remaining TTL.

use super::name::Name;
use super::record::{RType, Record};
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// Trustworthiness of cached data, lowest first (RFC 2181 §5.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The additional section, and the authority section of a non-authoritative answer (glue,
    /// referral NS records): only for finding servers.
    Glue,
    /// The answer section of a non-authoritative answer, and the records after an alias in an
    /// authoritative one ("only the record describing that alias is necessarily authoritative").
    Answer,
    /// The authoritative data in the answer section of an authoritative reply.
    Authoritative,
}

/// A negative answer (RFC 2308 §2.1, §2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Negative {
    NxDomain,
    NoData,
}

/// A change to show in the cache's table.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    Set {
        key: String,
        value: String,
        expires: SimTime,
    },
    Removed {
        key: String,
        reason: &'static str,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheConfig {
    pub max_ttl: u32,
    pub max_negative_ttl: u32,
}

impl Default for CacheConfig {
    fn default() -> Self {
        CacheConfig {
            max_ttl: 86_400,
            max_negative_ttl: 10_800,
        }
    }
}

#[derive(Clone, Debug)]
struct Entry {
    records: Vec<Record>,
    expires: SimTime,
    rank: Rank,
}

#[derive(Clone, Debug)]
struct NegEntry {
    kind: Negative,
    soa: Record,
    expires: SimTime,
}

/// Seconds left until `expires`, rounded down (what `dig` shows for cached data).
pub fn remaining_secs(now: SimTime, expires: SimTime) -> u32 {
    (expires.since(now).as_micros() / 1_000_000).min(u64::from(u32::MAX)) as u32
}

fn secs(s: u32) -> SimDuration {
    SimDuration::from_micros(u64::from(s) * 1_000_000)
}

pub struct Cache {
    cfg: CacheConfig,
    rrsets: BTreeMap<(Name, RType), Entry>,
    /// `None` type: a name error, for every type.
    negative: BTreeMap<(Name, Option<RType>), NegEntry>,
    changes: Vec<Change>,
    /// Whether to describe changes (skipped in big runs that keep no table events).
    pub report: bool,
}

/// The table key of an RRset: `www.example.com. A`.
pub fn key(name: &Name, rtype: RType) -> String {
    format!("{name} {rtype}")
}

/// The table key of a cached name error: `nope.example.com. NXDOMAIN`.
pub fn nx_key(name: &Name) -> String {
    format!("{name} NXDOMAIN")
}

/// A short value for tables: the RDATA of up to three records.
pub fn summarize(records: &[Record]) -> String {
    let mut parts: Vec<String> = records
        .iter()
        .take(3)
        .map(|r| r.rdata.to_string())
        .collect();
    if records.len() > 3 {
        parts.push(format!("+{} more", records.len() - 3));
    }
    parts.join(", ")
}

impl Cache {
    pub fn new(cfg: CacheConfig) -> Self {
        Cache {
            cfg,
            rrsets: BTreeMap::new(),
            negative: BTreeMap::new(),
            changes: Vec::new(),
            report: true,
        }
    }

    pub fn config(&self) -> CacheConfig {
        self.cfg
    }

    /// Changes since the last call, in order.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    /// Number of live-or-stale entries held (positive and negative).
    pub fn len(&self) -> usize {
        self.rrsets.len() + self.negative.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The RRset at (`name`, `rtype`) of at least `min_rank`, with TTLs decremented. An expired
    /// entry is dropped when found (lazily, as real caches do).
    pub fn get(
        &mut self,
        now: SimTime,
        name: &Name,
        rtype: RType,
        min_rank: Rank,
    ) -> Option<Vec<Record>> {
        let k = (name.clone(), rtype);
        let e = self.rrsets.get(&k)?;
        if e.expires <= now {
            self.rrsets.remove(&k);
            if self.report {
                self.changes.push(Change::Removed {
                    key: key(name, rtype),
                    reason: "TTL expired",
                });
            }
            return None;
        }
        if e.rank < min_rank {
            return None;
        }
        let left = remaining_secs(now, e.expires);
        Some(e.records.iter().map(|r| r.with_ttl(left)).collect())
    }

    /// When the RRset at (`name`, `rtype`) expires, if cached and live.
    pub fn expires(&self, now: SimTime, name: &Name, rtype: RType) -> Option<SimTime> {
        self.rrsets
            .get(&(name.clone(), rtype))
            .filter(|e| e.expires > now)
            .map(|e| e.expires)
    }

    /// A cached negative answer for (`name`, `rtype`): a name error first, then no-data. The
    /// SOA comes back with its TTL decremented (RFC 2308 §6).
    pub fn get_negative(
        &mut self,
        now: SimTime,
        name: &Name,
        rtype: RType,
    ) -> Option<(Negative, Record)> {
        for k in [(name.clone(), None), (name.clone(), Some(rtype))] {
            let Some(e) = self.negative.get(&k) else {
                continue;
            };
            if e.expires <= now {
                self.negative.remove(&k);
                if self.report {
                    self.changes.push(Change::Removed {
                        key: match k.1 {
                            None => nx_key(name),
                            Some(t) => key(name, t),
                        },
                        reason: "negative TTL expired",
                    });
                }
                continue;
            }
            return Some((e.kind, e.soa.with_ttl(remaining_secs(now, e.expires))));
        }
        None
    }

    /// Caches one RRset (all `records` share owner and type). Returns whether it was stored.
    pub fn put(&mut self, now: SimTime, records: &[Record], rank: Rank) -> bool {
        let Some(first) = records.first() else {
            return false;
        };
        let ttl = records
            .iter()
            .map(|r| r.ttl)
            .min()
            .unwrap_or(0)
            .min(self.cfg.max_ttl);
        if ttl == 0 {
            return false;
        }
        let k = (first.owner.clone(), first.rtype());
        if let Some(old) = self.rrsets.get(&k) {
            if old.expires > now && old.rank > rank {
                return false;
            }
        }
        let expires = now + secs(ttl);
        if self.report {
            let mut value = summarize(records);
            if rank == Rank::Glue {
                value.push_str(if first.rtype() == RType::Ns {
                    " (from a referral)"
                } else {
                    " (glue)"
                });
            }
            self.changes.push(Change::Set {
                key: key(&first.owner, first.rtype()),
                value,
                expires,
            });
        }
        // A positive answer supersedes a negative one for the same question.
        self.negative
            .remove(&(first.owner.clone(), Some(first.rtype())));
        self.rrsets.insert(
            k,
            Entry {
                records: records.iter().map(|r| r.with_ttl(ttl)).collect(),
                expires,
                rank,
            },
        );
        true
    }

    /// Caches a negative answer for `name` (every type when `kind` is a name error) for
    /// min(SOA TTL, MINIMUM) (RFC 2308 §5), capped. Returns the TTL used, if stored.
    pub fn put_negative(
        &mut self,
        now: SimTime,
        name: &Name,
        rtype: RType,
        kind: Negative,
        soa: &Record,
    ) -> Option<u32> {
        let ttl = soa.negative_ttl()?.min(self.cfg.max_negative_ttl);
        if ttl == 0 {
            return None;
        }
        let expires = now + secs(ttl);
        let (k, table_key, value) = match kind {
            Negative::NxDomain => (
                (name.clone(), None),
                nx_key(name),
                format!("name does not exist (SOA {})", soa.owner),
            ),
            Negative::NoData => (
                (name.clone(), Some(rtype)),
                key(name, rtype),
                format!("no {rtype} records (SOA {})", soa.owner),
            ),
        };
        if self.report {
            self.changes.push(Change::Set {
                key: table_key,
                value,
                expires,
            });
        }
        self.negative.insert(
            k,
            NegEntry {
                kind,
                soa: soa.with_ttl(ttl),
                expires,
            },
        );
        Some(ttl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::record::{RData, Soa};

    fn n(s: &str) -> Name {
        Name::parse_user(s).unwrap()
    }

    fn a(name: &str, ttl: u32, ip: &str) -> Record {
        Record::new(n(name), ttl, RData::A(ip.parse().unwrap()))
    }

    fn soa(ttl: u32, minimum: u32) -> Record {
        Record::new(
            n("example.com"),
            ttl,
            RData::Soa(Box::new(Soa {
                mname: n("ns1.example.com"),
                rname: n("hostmaster.example.com"),
                serial: 1,
                refresh: 7200,
                retry: 3600,
                expire: 1209600,
                minimum,
            })),
        )
    }

    const S: u64 = 1_000_000;

    #[test]
    fn ttls_count_down_and_expire() {
        let mut c = Cache::new(CacheConfig::default());
        assert!(c.put(
            SimTime(0),
            &[a("www.example.com", 300, "192.0.2.80")],
            Rank::Authoritative
        ));
        let got = c
            .get(
                SimTime(60 * S + 500_000),
                &n("www.example.com"),
                RType::A,
                Rank::Answer,
            )
            .unwrap();
        assert_eq!(got[0].to_string(), "www.example.com. 239 IN A 192.0.2.80");
        assert!(c
            .get(
                SimTime(300 * S),
                &n("www.example.com"),
                RType::A,
                Rank::Answer
            )
            .is_none());
        assert_eq!(
            c.take_changes(),
            vec![
                Change::Set {
                    key: "www.example.com. A".into(),
                    value: "192.0.2.80".into(),
                    expires: SimTime(300 * S)
                },
                Change::Removed {
                    key: "www.example.com. A".into(),
                    reason: "TTL expired"
                },
            ]
        );
    }

    #[test]
    fn rrset_ttl_is_the_minimum_and_capped_and_zero_is_not_cached() {
        let mut c = Cache::new(CacheConfig::default());
        c.put(
            SimTime(0),
            &[a("x.test", 300, "192.0.2.1"), a("x.test", 100, "192.0.2.2")],
            Rank::Answer,
        );
        assert_eq!(
            c.expires(SimTime(0), &n("x.test"), RType::A),
            Some(SimTime(100 * S)),
            "RFC 2181 §5.2"
        );
        c.put(
            SimTime(0),
            &[a("y.test", 604_800, "192.0.2.3")],
            Rank::Answer,
        );
        assert_eq!(
            c.expires(SimTime(0), &n("y.test"), RType::A),
            Some(SimTime(86_400 * S))
        );
        assert!(!c.put(SimTime(0), &[a("z.test", 0, "192.0.2.4")], Rank::Answer));
    }

    #[test]
    fn glue_is_never_an_answer_and_never_replaces_better_data() {
        let mut c = Cache::new(CacheConfig::default());
        c.put(
            SimTime(0),
            &[a("ns1.example.com", 172_800, "192.0.2.53")],
            Rank::Glue,
        );
        assert!(c
            .get(SimTime(1), &n("ns1.example.com"), RType::A, Rank::Answer)
            .is_none());
        assert!(c
            .get(SimTime(1), &n("ns1.example.com"), RType::A, Rank::Glue)
            .is_some());
        c.put(
            SimTime(2),
            &[a("ns1.example.com", 3600, "192.0.2.53")],
            Rank::Authoritative,
        );
        assert!(!c.put(
            SimTime(3),
            &[a("ns1.example.com", 172_800, "192.0.2.99")],
            Rank::Glue
        ));
        let got = c
            .get(SimTime(4), &n("ns1.example.com"), RType::A, Rank::Answer)
            .unwrap();
        assert_eq!(got[0].rdata.to_string(), "192.0.2.53");
    }

    #[test]
    fn negative_answers_per_rfc_2308_section_5() {
        let mut c = Cache::new(CacheConfig::default());
        // SOA TTL 3600, MINIMUM 300: cached for 300 s.
        assert_eq!(
            c.put_negative(
                SimTime(0),
                &n("nope.example.com"),
                RType::A,
                Negative::NxDomain,
                &soa(3600, 300)
            ),
            Some(300)
        );
        // A name error covers every type of that name.
        let (kind, s) = c
            .get_negative(SimTime(100 * S), &n("nope.example.com"), RType::Mx)
            .unwrap();
        assert_eq!(kind, Negative::NxDomain);
        assert_eq!(s.ttl, 200, "RFC 2308 §6: the SOA's TTL counts down");
        assert!(c
            .get_negative(SimTime(300 * S), &n("nope.example.com"), RType::A)
            .is_none());
        // No-data is per type; SOA TTL 60 < MINIMUM 300: 60 s.
        assert_eq!(
            c.put_negative(
                SimTime(0),
                &n("www.example.com"),
                RType::Mx,
                Negative::NoData,
                &soa(60, 300)
            ),
            Some(60)
        );
        assert!(c
            .get_negative(SimTime(1), &n("www.example.com"), RType::A)
            .is_none());
        assert!(c
            .get_negative(SimTime(1), &n("www.example.com"), RType::Mx)
            .is_some());
        // Capped at three hours.
        assert_eq!(
            c.put_negative(
                SimTime(0),
                &n("x.example.com"),
                RType::A,
                Negative::NxDomain,
                &soa(86_400, 86_400)
            ),
            Some(10_800)
        );
    }
}
