//! DNS resolution always terminates, on random internets: a root and a few top-level zones whose
//! names are addresses, aliases (CNAME chains and loops, within and across zones) and delegations
//! (some lame: to a server that does not serve the zone, or has no address anywhere). Every
//! lookup gets an answer or an error within the resolver's query bound, directly through the
//! resolver and through the `dns` scenario with the same zones as its `zone` documents.

use hopscope_sim::dns::cache::{Cache, CacheConfig};
use hopscope_sim::dns::internet::Internet;
use hopscope_sim::dns::message::{Message, Question, Rcode};
use hopscope_sim::dns::name::Name;
use hopscope_sim::dns::record::RType;
use hopscope_sim::dns::resolver::{Network, Resolver, ResolverConfig};
use hopscope_sim::{registry, run_scenario, SimDuration, SimTime};
use proptest::prelude::*;
use std::net::Ipv4Addr;

const TLDS: usize = 3;
const LABELS: [&str; 4] = ["a", "b", "c", "d"];

/// What one name of a top-level zone holds.
#[derive(Clone, Debug)]
enum Node {
    Address(u8),
    /// An alias of name `label` in zone `tld` (possibly itself, possibly a loop).
    Alias {
        tld: usize,
        label: usize,
    },
    /// A delegation to `ns.t<server>.`, which serves only its own zone: always lame.
    Lame {
        server: usize,
    },
    /// A delegation to a server name that has no address anywhere.
    Ghost,
}

fn node() -> impl Strategy<Value = Node> {
    prop_oneof![
        3 => any::<u8>().prop_map(Node::Address),
        4 => (0..TLDS, 0..LABELS.len()).prop_map(|(tld, label)| Node::Alias { tld, label }),
        1 => (0..TLDS).prop_map(|server| Node::Lame { server }),
        1 => Just(Node::Ghost),
    ]
}

/// The zones: the root first, then `t0.` … ; `lame_tld` delegates a whole top-level zone to the
/// wrong server, `missing_glue` leaves one top-level server without its address.
fn zones(nodes: &[Vec<Node>], lame_tld: Option<usize>, missing_glue: Option<usize>) -> Vec<String> {
    let mut root = String::from(
        "$ORIGIN .\n@ 3600 IN SOA a.root. h.root. 1 7200 3600 1209600 60\n@ 3600 IN NS a.root.\na.root. 3600 IN A 10.0.0.1\n",
    );
    for t in 0..TLDS {
        let server = if lame_tld == Some(t) {
            (t + 1) % TLDS
        } else {
            t
        };
        root.push_str(&format!("t{t}. 3600 IN NS ns.t{server}.\n"));
        if missing_glue != Some(t) {
            root.push_str(&format!("ns.t{t}. 3600 IN A 10.0.1.{}\n", t + 1));
        }
    }
    let mut out = vec![root];
    for (t, names) in nodes.iter().enumerate() {
        let mut z = format!(
            "$ORIGIN t{t}.\n@ 3600 IN SOA ns.t{t}. h.t{t}. 1 7200 3600 1209600 60\n@ 3600 IN NS ns.t{t}.\nns 3600 IN A 10.0.1.{}\n",
            t + 1
        );
        for (label, n) in LABELS.iter().zip(names) {
            match n {
                Node::Address(x) => z.push_str(&format!("{label} 60 IN A 192.0.2.{x}\n")),
                Node::Alias { tld, label: to } => {
                    z.push_str(&format!("{label} 60 IN CNAME {}.t{tld}.\n", LABELS[*to]))
                }
                Node::Lame { server } => z.push_str(&format!("{label} 60 IN NS ns.t{server}.\n")),
                Node::Ghost => z.push_str(&format!("{label} 60 IN NS ns.nowhere.t{t}.\n")),
            }
        }
        out.push(z);
    }
    out
}

/// Every query answered at once by the random internet (a server it lacks never answers).
struct Instant<'a> {
    internet: &'a Internet,
    sent: usize,
}

impl Network for Instant<'_> {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        self.sent += 1;
        self.internet
            .answer(server, q)
            .map(|m| (now + SimDuration::from_millis(10), m))
    }
}

fn internet() -> impl Strategy<Value = (Vec<String>, Vec<(usize, usize, bool)>)> {
    (
        prop::collection::vec(prop::collection::vec(node(), LABELS.len()), TLDS),
        prop::option::of(0..TLDS),
        prop::option::of(0..TLDS),
        prop::collection::vec((0..TLDS, 0..LABELS.len(), any::<bool>()), 1..12),
    )
        .prop_map(|(nodes, lame, glue, lookups)| (zones(&nodes, lame, glue), lookups))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn resolution_terminates_on_random_internets((texts, lookups) in internet()) {
        let files: Vec<(String, &String)> = texts.iter().enumerate().map(|(i, t)| (format!("zone {}", i + 1), t)).collect();
        let internet = Internet::from_texts(&files).unwrap_or_else(|e| panic!("{e:?}\n{}", texts.join("\n")));
        let config = ResolverConfig::default();
        let mut res = Resolver::new(internet.hints.clone(), Cache::new(CacheConfig::default()), config);
        let mut net = Instant { internet: &internet, sent: 0 };
        let mut now = SimTime::ZERO;
        for (t, label, aaaa) in lookups {
            let q = Question::new(Name::parse_user(&format!("{}.t{t}", LABELS[label])).unwrap(), if aaaa { RType::Aaaa } else { RType::A });
            net.sent = 0;
            let r = res.resolve(&mut net, now, &q);
            prop_assert!(net.sent <= config.max_queries as usize, "{} queries for {q}", net.sent);
            prop_assert_eq!(net.sent, r.queries.len());
            prop_assert!(r.end >= now);
            prop_assert!(r.answer.iter().filter(|a| a.rtype() == RType::Cname).count() <= config.max_aliases + 1, "{q}: alias chain longer than the bound");
            match r.rcode {
                Rcode::ServFail => prop_assert!(r.failure.is_some(), "{q}: SERVFAIL without a reason"),
                Rcode::Refused => prop_assert!(false, "the resolver never answers REFUSED"),
                Rcode::NoError | Rcode::NxDomain => {}
            }
            now = r.end + SimDuration::from_millis(1);
        }
    }

    /// The same internets through the scenario: it runs (or refuses the zones with a message)
    /// and every lookup it reports ended with a response code.
    #[test]
    fn the_dns_scenario_terminates_on_random_internets((texts, lookups) in internet()) {
        let names: Vec<String> = lookups.iter().take(4).map(|(t, l, _)| format!("{}.t{t}", LABELS[*l])).collect();
        let mut sets: Vec<(&str, String)> = texts.iter().map(|t| ("zone", t.clone())).collect();
        sets.push(("name", names.join(",")));
        sets.push(("clients", "1".into()));
        let dns = registry::find("dns").unwrap();
        match run_scenario(dns, &sets, 1) {
            Ok(run) => {
                let lookups = run.result["lookups"].as_array().expect("result.lookups");
                prop_assert!(!lookups.is_empty());
                for l in lookups {
                    prop_assert!(l["rcode"].is_string() || l["failure"].is_string(), "a lookup without an end: {l}");
                }
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}
