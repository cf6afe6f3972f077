//! The internet the resolver talks to: a set of zones and the servers that serve them.
//!
//! Each zone is served by the name servers named in its own apex NS records (RFC 2181 §6.1:
//! "The authoritative servers for a zone are enumerated in the NS records for the origin of the
//! zone"). A server is known by its name; one server may serve several zones (RFC 1034 §6:
//! "servers may have zones which are contiguous or disjoint"). The resolver's root hints (RFC
//! 1034 §5.3.2's SBELT) are the root zone's NS records and their IPv4 addresses.
//!
//! The default internet ships with the app (`zones/*.zone`): the root, com, net, org, nl and
//! arpa, and authoritative zones that exercise glue, an out-of-bailiwick name server, a CNAME
//! into a CDN, MX, SRV, SPF TXT, IPv6 and a reverse zone.

use super::message::{Message, Question};
use super::name::Name;
use super::record::{RData, RType, Record};
use super::server;
use super::zone::{Zone, ZoneError};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

/// The default zones: (file name, text).
pub const DEFAULT_ZONES: &[(&str, &str)] = &[
    ("root.zone", include_str!("zones/root.zone")),
    ("com.zone", include_str!("zones/com.zone")),
    ("net.zone", include_str!("zones/net.zone")),
    ("org.zone", include_str!("zones/org.zone")),
    ("nl.zone", include_str!("zones/nl.zone")),
    ("arpa.zone", include_str!("zones/arpa.zone")),
    ("in-addr.arpa.zone", include_str!("zones/in-addr.arpa.zone")),
    (
        "root-servers.net.zone",
        include_str!("zones/root-servers.net.zone"),
    ),
    (
        "gtld-servers.net.zone",
        include_str!("zones/gtld-servers.net.zone"),
    ),
    (
        "afilias-nst.org.zone",
        include_str!("zones/afilias-nst.org.zone"),
    ),
    ("example.com.zone", include_str!("zones/example.com.zone")),
    (
        "2.0.192.in-addr.arpa.zone",
        include_str!("zones/2.0.192.in-addr.arpa.zone"),
    ),
    (
        "example-dns.net.zone",
        include_str!("zones/example-dns.net.zone"),
    ),
    ("cdn.net.zone", include_str!("zones/cdn.net.zone")),
    ("example.org.zone", include_str!("zones/example.org.zone")),
    ("voorbeeld.nl.zone", include_str!("zones/voorbeeld.nl.zone")),
];

/// How far a server sits from the root, which picks its round-trip time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Root,
    Tld,
    Authoritative,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Root => "root",
            Tier::Tld => "tld",
            Tier::Authoritative => "authoritative",
        }
    }
}

/// Why a set of zones cannot form an internet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InternetError {
    /// Zone `index` (0-based, in the order given) did not parse or check.
    Zone { index: usize, error: ZoneError },
    /// The zones parse but do not fit together; `index` is the zone at fault, if one is.
    Setup {
        index: Option<usize>,
        message: String,
    },
}

impl std::fmt::Display for InternetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InternetError::Zone { error, .. } => write!(f, "{error}"),
            InternetError::Setup { message, .. } => f.write_str(message),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Internet {
    pub zones: Vec<Zone>,
    /// Server name → the zones it serves (indices into `zones`).
    pub servers: BTreeMap<Name, Vec<usize>>,
    /// Root hints: the root's servers with their IPv4 addresses.
    pub hints: Vec<(Name, Vec<Ipv4Addr>)>,
}

impl Internet {
    /// Builds an internet from master files; `labels` name them in errors (`zone 2`,
    /// `example.com.zone`).
    pub fn from_texts<L: AsRef<str>, T: AsRef<str>>(
        files: &[(L, T)],
    ) -> Result<Internet, InternetError> {
        let mut zones: Vec<Zone> = Vec::with_capacity(files.len());
        for (index, (label, text)) in files.iter().enumerate() {
            let zone = Zone::parse(text.as_ref(), label.as_ref())
                .map_err(|error| InternetError::Zone { index, error })?;
            if let Some(prev) = zones.iter().position(|z| z.origin == zone.origin) {
                return Err(InternetError::Setup {
                    index: Some(index),
                    message: format!(
                        "one zone per origin: {} is given twice (zones {} and {})",
                        zone.origin,
                        prev + 1,
                        index + 1
                    ),
                });
            }
            zones.push(zone);
        }
        let mut servers: BTreeMap<Name, Vec<usize>> = BTreeMap::new();
        for (i, z) in zones.iter().enumerate() {
            for r in z.apex_ns() {
                if let RData::Ns(target) = &r.rdata {
                    let list = servers.entry(target.clone()).or_default();
                    if !list.contains(&i) {
                        list.push(i);
                    }
                }
            }
        }
        let Some(root) = zones.iter().position(|z| z.origin.is_root()) else {
            return Err(InternetError::Setup {
                index: None,
                message: "a root zone (origin \".\"): its NS records and their addresses are the resolver's root hints".into(),
            });
        };
        let mut hints = Vec::new();
        for r in zones[root].apex_ns() {
            if let RData::Ns(target) = &r.rdata {
                let addrs = ipv4_of(&zones, target);
                if !addrs.is_empty() {
                    hints.push((target.clone(), addrs));
                }
            }
        }
        if hints.is_empty() {
            return Err(InternetError::Setup {
                index: Some(root),
                message: "A records for the root zone's name servers (the root hints need their addresses)".into(),
            });
        }
        Ok(Internet {
            zones,
            servers,
            hints,
        })
    }

    /// The default internet, parsed once.
    pub fn default_internet() -> &'static Internet {
        static INTERNET: OnceLock<Internet> = OnceLock::new();
        INTERNET.get_or_init(|| {
            Internet::from_texts(DEFAULT_ZONES)
                .unwrap_or_else(|e| panic!("the default zones are valid: {e}"))
        })
    }

    pub fn is_server(&self, name: &Name) -> bool {
        self.servers.contains_key(name)
    }

    /// The response of server `name` to `q`, or `None` if no server has that name.
    pub fn answer(&self, name: &Name, q: &Question) -> Option<Message> {
        let served = self.servers.get(name)?;
        Some(server::answer(&self.zones, served, q))
    }

    /// The zones a server serves, by origin.
    pub fn served_by(&self, name: &Name) -> Vec<&Name> {
        self.servers
            .get(name)
            .map(|ix| ix.iter().map(|&i| &self.zones[i].origin).collect())
            .unwrap_or_default()
    }

    /// Root if it serves the root zone, TLD if it serves a top-level zone, else authoritative.
    pub fn tier(&self, name: &Name) -> Tier {
        let depth = self
            .servers
            .get(name)
            .and_then(|ix| ix.iter().map(|&i| self.zones[i].origin.depth()).min());
        match depth {
            Some(0) => Tier::Root,
            Some(1) => Tier::Tld,
            _ => Tier::Authoritative,
        }
    }

    /// An IPv4 address of `name` held anywhere in the zones (for labelling nodes).
    pub fn address_of(&self, name: &Name) -> Option<Ipv4Addr> {
        ipv4_of(&self.zones, name).first().copied()
    }

    /// The authoritative records of (`name`, `rtype`) in the zone that owns the name, if any
    /// (what a person would see with `dig @server`).
    pub fn authoritative_rrset(&self, name: &Name, rtype: RType) -> Vec<Record> {
        let zone = self
            .zones
            .iter()
            .filter(|z| name.is_in(&z.origin))
            .max_by_key(|z| z.origin.depth());
        match zone.map(|z| z.lookup(name, rtype)) {
            Some(super::zone::Found::Answer(rrs)) => rrs,
            _ => Vec::new(),
        }
    }
}

/// Every IPv4 address recorded for `name` across the zones, deepest zone first, without repeats.
fn ipv4_of(zones: &[Zone], name: &Name) -> Vec<Ipv4Addr> {
    let mut order: Vec<&Zone> = zones.iter().filter(|z| name.is_in(&z.origin)).collect();
    order.sort_by_key(|z| std::cmp::Reverse(z.origin.depth()));
    let mut out = Vec::new();
    for z in order {
        for r in z.rrset(name, RType::A) {
            if let RData::A(a) = r.rdata {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse_user(s).unwrap()
    }

    #[test]
    fn the_default_internet_loads_and_each_server_serves_its_zones() {
        let net = Internet::default_internet();
        assert_eq!(net.zones.len(), DEFAULT_ZONES.len());
        let served = |s: &str| {
            net.served_by(&n(s))
                .iter()
                .map(|z| z.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(served("a.root-servers.net"), ". root-servers.net.");
        assert_eq!(served("a.gtld-servers.net"), "com. net. gtld-servers.net.");
        assert_eq!(
            served("ns1.example.com"),
            "example.com. 2.0.192.in-addr.arpa."
        );
        assert_eq!(
            served("ns1.example-dns.net"),
            "example-dns.net. example.org."
        );
        assert_eq!(net.tier(&n("b.root-servers.net")), Tier::Root);
        assert_eq!(net.tier(&n("ns3.dns.nl")), Tier::Tld);
        assert_eq!(net.tier(&n("ns1.cdn.net")), Tier::Authoritative);
        assert_eq!(
            net.hints,
            vec![
                (n("a.root-servers.net"), vec!["198.41.0.4".parse().unwrap()]),
                (
                    n("b.root-servers.net"),
                    vec!["170.247.170.2".parse().unwrap()]
                ),
            ]
        );
    }

    #[test]
    fn every_delegation_in_the_default_internet_has_a_serving_server() {
        // Apart from the deliberate lame delegation `loop.example.com.`, every NS named at a cut
        // serves the child zone.
        let net = Internet::default_internet();
        for z in &net.zones {
            for cut in z.cuts() {
                if cut.to_string() == "loop.example.com." {
                    continue;
                }
                for r in z.rrset(cut, RType::Ns) {
                    let RData::Ns(target) = &r.rdata else {
                        continue;
                    };
                    assert!(
                        net.served_by(target).contains(&cut),
                        "{target} is named for {cut} in {} but does not serve it",
                        z.origin
                    );
                }
            }
        }
    }

    #[test]
    fn setup_errors() {
        let no_root = Internet::from_texts(&[(
            "a",
            "$ORIGIN a.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n",
        )]);
        assert!(matches!(
            no_root,
            Err(InternetError::Setup { index: None, .. })
        ));
        let twice = Internet::from_texts(&[
            (
                "a",
                "$TTL 60\n. SOA a. b. 1 2 3 4 5\n. NS a.\na. A 192.0.2.1\n",
            ),
            (
                "b",
                "$TTL 60\n. SOA a. b. 1 2 3 4 5\n. NS a.\na. A 192.0.2.1\n",
            ),
        ]);
        assert!(
            matches!(twice, Err(InternetError::Setup { index: Some(1), .. })),
            "{twice:?}"
        );
        let no_addr =
            Internet::from_texts(&[("root", "$TTL 60\n. SOA a. b. 1 2 3 4 5\n. NS a.\n")]);
        assert!(matches!(
            no_addr,
            Err(InternetError::Setup { index: Some(0), .. })
        ));
        let bad = Internet::from_texts(&[(
            "root",
            "$TTL 60\n. SOA a. b. 1 2 3 4 5\n. NS a.\na. A 1.2.3\n",
        )]);
        match bad {
            Err(InternetError::Zone { index: 0, error }) => assert_eq!(error.line, 4),
            other => panic!("{other:?}"),
        }
    }
}
