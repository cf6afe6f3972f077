//! Properties of the DNS block under random input: the zone parser never panics on anything a
//! person could paste, errors always point inside the text, printing and re-reading a zone
//! changes nothing, and the resolver always terminates within its bounds.

use hopscope_sim::dns::cache::{Cache, CacheConfig};
use hopscope_sim::dns::internet::{Internet, DEFAULT_ZONES};
use hopscope_sim::dns::message::{Message, Question, Rcode};
use hopscope_sim::dns::name::Name;
use hopscope_sim::dns::record::RType;
use hopscope_sim::dns::resolver::{Network, Resolver, ResolverConfig};
use hopscope_sim::dns::zone::Zone;
use hopscope_sim::{registry, run_scenario, SimDuration, SimTime};
use proptest::prelude::*;
use std::net::Ipv4Addr;

/// Characters that matter to the master-file syntax, plus some that do not.
fn zone_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::sample::select(vec![
            ' ', '\t', '\n', '\r', '(', ')', ';', '"', '\\', '.', '@', '$', '*', '-', '_', ':', '/', '0', '1', '9',
            'a', 'z', 'A', 'I', 'N', 'S', 'O',
        ]),
        1 => any::<char>(),
    ]
}

fn zone_word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "$ORIGIN",
        "$TTL",
        "$INCLUDE",
        "@",
        "IN",
        "CH",
        "SOA",
        "NS",
        "A",
        "AAAA",
        "MX",
        "TXT",
        "SRV",
        "PTR",
        "CNAME",
        "HINFO",
        "3600",
        "1h30m",
        "4294967296",
        "example.com.",
        "www",
        "192.0.2.1",
        "2001:db8::1",
        "(",
        ")",
        "\"q\"",
        "\\065",
        "\\",
        ";c",
        "\n",
        "\n ",
        "\t",
        "*.",
        "..",
    ])
    .prop_map(str::to_string)
}

/// An edit to a valid zone: insert, delete or replace one character.
#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, char),
    Delete(usize),
    Replace(usize, char),
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for e in edits {
        match *e {
            Edit::Insert(i, c) => {
                let i = i % (chars.len() + 1);
                chars.insert(i, c);
            }
            Edit::Delete(i) if !chars.is_empty() => {
                let i = i % chars.len();
                chars.remove(i);
            }
            Edit::Replace(i, c) if !chars.is_empty() => {
                let i = i % chars.len();
                chars[i] = c;
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), zone_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), zone_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
    ]
}

/// Parses, and when it fails checks that the error points inside the text.
fn parse_checked(text: &str) {
    match Zone::parse(text, "zone 1") {
        Ok(z) => {
            let again = Zone::parse(&z.to_master_file(), "again")
                .expect("a parsed zone prints as a valid zone");
            assert_eq!(z.records(), again.records());
        }
        Err(e) => {
            let lines = text.split('\n').count() as u32;
            assert!(
                e.line >= 1 && e.line <= lines,
                "line {} of {lines}: {e}",
                e.line
            );
            assert!(e.col >= 1, "{e}");
            let line_len = text
                .split('\n')
                .nth(e.line as usize - 1)
                .map(|l| l.chars().count())
                .unwrap_or(0) as u32;
            assert!(
                e.col <= line_len + 1,
                "column {} past the end of line {} ({line_len}): {e}",
                e.col,
                e.line
            );
            assert!(!e.expected.is_empty() && !e.found.is_empty(), "{e}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_text_never_panics(text in prop::collection::vec(zone_char(), 0..300).prop_map(|v| v.into_iter().collect::<String>())) {
        parse_checked(&text);
    }

    #[test]
    fn random_token_soup_never_panics(words in prop::collection::vec(zone_word(), 0..60)) {
        parse_checked(&words.join(" "));
    }

    #[test]
    fn mutated_default_zones_never_panic(zone in 0..DEFAULT_ZONES.len(), edits in prop::collection::vec(edit(), 1..8)) {
        parse_checked(&apply(DEFAULT_ZONES[zone].1, &edits));
    }

    #[test]
    fn names_never_panic(text in ".{0,300}") {
        if let Ok(n) = Name::parse_user(&text) {
            prop_assert!(n.wire_len() <= 255);
            // Printing and reading again gives the same name.
            prop_assert_eq!(Name::parse_user(&n.to_string()).unwrap(), n);
        }
    }

    #[test]
    fn any_parameter_text_gives_a_run_or_an_error(name in ".{0,80}", t in "[A-Za-z,]{0,12}", down in "[a-z0-9.,]{0,30}") {
        let block = registry::find("dns").unwrap();
        let _ = run_scenario(block, &[("name", name.as_str()), ("type", t.as_str()), ("down", down.as_str())], 1);
    }

    #[test]
    fn mutated_zone_params_give_a_run_or_an_error(edits in prop::collection::vec(edit(), 1..6)) {
        let block = registry::find("dns").unwrap();
        let root = apply(DEFAULT_ZONES[0].1, &edits);
        let com = DEFAULT_ZONES[1].1;
        let _ = run_scenario(block, &[("zone", root.as_str()), ("zone", com), ("name", "www.example.com")], 1);
    }
}

/// The default internet's names and some that do not exist.
const NAMES: &[&str] = &[
    "www.example.com",
    "example.com",
    "blog.example.com",
    "mail.example.com",
    "nope.example.com",
    "ping.example.com",
    "www.loop.example.com",
    "www.example.org",
    "example.org",
    "pong.example.org",
    "www.voorbeeld.nl",
    "example.cdn.net",
    "edge-ams.cdn.net",
    "_sip._tcp.example.com",
    "80.2.0.192.in-addr.arpa",
    "99.2.0.192.in-addr.arpa",
    "com",
    ".",
    "no-such.tld",
    "a.root-servers.net",
    "ns1.example-dns.net",
    "x.y.z.example.com",
];

struct Instant {
    down: Vec<Name>,
    sent: usize,
}

impl Network for Instant {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        self.sent += 1;
        if self.down.contains(server) {
            return None;
        }
        Internet::default_internet()
            .answer(server, q)
            .map(|m| (now + SimDuration::from_millis(15), m))
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Random lookups, spaced randomly, with random servers down: every resolution ends, within
    /// the query bound, with a sensible code; answers carry the type asked (after any aliases).
    #[test]
    fn the_resolver_always_terminates(
        lookups in prop::collection::vec((0..NAMES.len(), 0..RType::ALL.len() - 1, 0u64..400_000_000), 1..40),
        down in prop::collection::vec(prop::sample::select(vec!["ns1.example.com", "ns2.example.com", "a.root-servers.net", "ns1.cdn.net", "b0.org.afilias-nst.org"]), 0..3),
    ) {
        let internet = Internet::default_internet();
        let mut res = Resolver::new(internet.hints.clone(), Cache::new(CacheConfig::default()), ResolverConfig::default());
        let mut net = Instant { down: down.iter().map(|d| Name::parse_user(d).unwrap()).collect(), sent: 0 };
        let mut now = SimTime::ZERO;
        for (n, t, gap) in lookups {
            let q = Question::new(Name::parse_user(NAMES[n]).unwrap(), RType::ALL[t]);
            net.sent = 0;
            let r = res.resolve(&mut net, now, &q);
            prop_assert!(net.sent <= 32, "{} queries for {q}", net.sent);
            prop_assert_eq!(net.sent, r.queries.len());
            prop_assert!(r.end >= now);
            match r.rcode {
                Rcode::NoError => {
                    if let Some(last) = r.answer.last() {
                        // Data of the type asked, or an alias chain ending in NODATA (with its SOA).
                        prop_assert!(last.rtype() == q.rtype || q.rtype == RType::Cname || r.soa.is_some(), "{q}: {last}");
                    }
                }
                Rcode::NxDomain => prop_assert!(r.answer.iter().all(|a| a.rtype() == RType::Cname)),
                Rcode::ServFail => prop_assert!(r.failure.is_some()),
                Rcode::Refused => prop_assert!(false, "the resolver never answers REFUSED"),
            }
            now = r.end + SimDuration(gap);
        }
    }
}

#[test]
fn every_default_zone_round_trips() {
    for (file, text) in DEFAULT_ZONES {
        let z = Zone::parse(text, file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let again = Zone::parse(&z.to_master_file(), file).unwrap();
        assert_eq!(z.records(), again.records(), "{file}");
    }
}
