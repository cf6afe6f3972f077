//! The caches below the recursive resolver: a browser's host cache and the operating system's
//! stub resolver cache.
//!
//! Both keep whole answers keyed by question and honour the answer's TTL (the smallest TTL in
//! it, RFC 2181 §5.2), so an entry never outlives the records it came from (RFC 1035 §7.4).
//! - The browser caps every entry's life (`cap`): Firefox keeps host entries for at most
//!   `network.dnsCacheExpiration` = 60 s by default. It keeps addresses only (browsers ask A and
//!   AAAA), and no negative answers in this model.
//! - The OS stub cache (as systemd-resolved or the Windows DNS Client keep one) honours TTLs,
//!   and negative answers for their SOA's negative TTL (RFC 2308 §5).

use super::cache::{remaining_secs, Change};
use super::label;
use super::message::{Question, Rcode};
use super::name::Name;
use super::record::{RType, Record};
use crate::kernel::time::{SimDuration, SimTime};
use std::collections::BTreeMap;

/// An answer as a stub hands it up: code, records (alias chain first), SOA of a negative one.
#[derive(Clone, Debug, PartialEq)]
pub struct StubAnswer {
    pub rcode: Rcode,
    pub records: Vec<Record>,
    pub soa: Option<Record>,
}

#[derive(Clone, Debug)]
struct Entry {
    answer: StubAnswer,
    expires: SimTime,
}

pub struct StubCache {
    entries: BTreeMap<(Name, RType), Entry>,
    /// The longest an entry may live, in seconds (`None`: the TTL alone decides).
    cap: Option<u32>,
    negative: bool,
    changes: Vec<Change>,
    pub report: bool,
}

impl StubCache {
    /// A browser's cache: addresses only, at most `cap_s` seconds, no negative answers.
    pub fn browser(cap_s: u32) -> Self {
        StubCache {
            entries: BTreeMap::new(),
            cap: Some(cap_s),
            negative: false,
            changes: Vec::new(),
            report: true,
        }
    }

    /// The operating system's cache: TTLs as given, negative answers too.
    pub fn os() -> Self {
        StubCache {
            entries: BTreeMap::new(),
            cap: None,
            negative: true,
            changes: Vec::new(),
            report: true,
        }
    }

    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.changes)
    }

    fn key(q: &Question) -> String {
        format!("{} {}", q.name, q.rtype)
    }

    /// The cached answer with TTLs decremented; an expired entry is dropped when found.
    pub fn get(&mut self, now: SimTime, q: &Question) -> Option<StubAnswer> {
        let k = (q.name.clone(), q.rtype);
        let e = self.entries.get(&k)?;
        if e.expires <= now {
            self.entries.remove(&k);
            if self.report {
                self.changes.push(Change::Removed {
                    key: Self::key(q),
                    reason: "TTL expired",
                });
            }
            return None;
        }
        let left = remaining_secs(now, e.expires);
        let mut a = e.answer.clone();
        for r in &mut a.records {
            r.ttl = r.ttl.min(left);
        }
        if let Some(s) = &mut a.soa {
            s.ttl = s.ttl.min(left);
        }
        Some(a)
    }

    /// Seconds this cache would keep `answer` (0: not at all).
    pub fn lifetime(&self, answer: &StubAnswer) -> u32 {
        let ttl = match answer.rcode {
            Rcode::NoError if !answer.records.is_empty() => {
                answer.records.iter().map(|r| r.ttl).min().unwrap_or(0)
            }
            Rcode::NoError | Rcode::NxDomain if self.negative => {
                answer.soa.as_ref().map(|s| s.ttl).unwrap_or(0)
            }
            _ => 0,
        };
        match self.cap {
            Some(c) => ttl.min(c),
            None => ttl,
        }
    }

    /// Stores `answer` for `q` if it may be cached. Returns the lifetime used.
    pub fn put(&mut self, now: SimTime, q: &Question, answer: &StubAnswer) -> u32 {
        let ttl = self.lifetime(answer);
        if ttl == 0 {
            return 0;
        }
        let expires = now + SimDuration::from_micros(u64::from(ttl) * 1_000_000);
        if self.report {
            self.changes.push(Change::Set {
                key: Self::key(q),
                value: label::answer(q, answer.rcode, &answer.records),
                expires,
            });
        }
        self.entries.insert(
            (q.name.clone(), q.rtype),
            Entry {
                answer: answer.clone(),
                expires,
            },
        );
        ttl
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::record::RData;

    fn q(name: &str) -> Question {
        Question::new(Name::parse_user(name).unwrap(), RType::A)
    }

    fn answer(ttl: u32) -> StubAnswer {
        StubAnswer {
            rcode: Rcode::NoError,
            records: vec![Record::new(
                Name::parse_user("www.example.com").unwrap(),
                ttl,
                RData::A("192.0.2.80".parse().unwrap()),
            )],
            soa: None,
        }
    }

    #[test]
    fn the_browser_caps_at_its_limit_and_the_os_honours_the_ttl() {
        let mut browser = StubCache::browser(60);
        let mut os = StubCache::os();
        assert_eq!(
            browser.put(SimTime(0), &q("www.example.com"), &answer(300)),
            60
        );
        assert_eq!(os.put(SimTime(0), &q("www.example.com"), &answer(300)), 300);
        assert!(browser
            .get(SimTime(61_000_000), &q("www.example.com"))
            .is_none());
        let got = os.get(SimTime(61_000_000), &q("www.example.com")).unwrap();
        assert_eq!(got.records[0].ttl, 239);
        assert_eq!(
            browser.put(SimTime(0), &q("a.test"), &answer(20)),
            20,
            "never longer than the TTL"
        );
    }

    #[test]
    fn only_the_os_keeps_negative_answers() {
        let soa = crate::dns::internet::Internet::default_internet().zones[10].negative_soa();
        let nx = StubAnswer {
            rcode: Rcode::NxDomain,
            records: vec![],
            soa: Some(soa),
        };
        assert_eq!(
            StubCache::browser(60).put(SimTime(0), &q("nope.example.com"), &nx),
            0
        );
        assert_eq!(
            StubCache::os().put(SimTime(0), &q("nope.example.com"), &nx),
            300
        );
        let fail = StubAnswer {
            rcode: Rcode::ServFail,
            records: vec![],
            soa: None,
        };
        assert_eq!(StubCache::os().put(SimTime(0), &q("x.test"), &fail), 0);
    }
}
