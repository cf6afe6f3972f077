//! The DNS block's parameters, presets and the typed configuration they make.
//!
//! Names follow the issue: `name` and `type` as in `dig`, per-link `rtt_*_ms`, `timeout_ms`,
//! `down`, `zone` (repeatable: each a master file), and for the propagation story `ttl`,
//! `ttl2`, `resolvers`, `queries_per_min`, `change_at_s` and `new_value`.

use super::internet::{Internet, InternetError};
use super::message::Question;
use super::name::Name;
use super::record::{RData, RType, Record};
use super::zone::parser::parse_records;
use crate::block::Preset;
use crate::kernel::time::SimDuration;
use crate::params::{ParamError, ParamKind, ParamSpec, Params};
use std::borrow::Cow;
use std::net::IpAddr;

/// Most lookups one run makes (a comma-separated `name` list).
pub const MAX_LOOKUPS: usize = 1000;

pub static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        label: "Scenario",
        unit: "",
        help: "lookups: resolve the names one after another through the caches; propagation: change a record and watch a population of resolvers pick it up.",
        kind: ParamKind::Choice(&["lookups", "propagation"]),
        default: "lookups",
    },
    ParamSpec {
        key: "name",
        label: "Name",
        unit: "",
        help: "Domain name to look up, or several separated by commas (looked up one after another through the same caches). With type PTR an IP address stands for its reverse name.",
        kind: ParamKind::Text { max_len: 40_000 },
        default: "www.example.com",
    },
    ParamSpec {
        key: "type",
        label: "Type",
        unit: "",
        help: "Record type (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT), or one per name, comma-separated.",
        kind: ParamKind::Text { max_len: 8000 },
        default: "A",
    },
    ParamSpec {
        key: "clients",
        label: "Clients",
        unit: "hosts",
        help: "Hosts sharing the recursive resolver, each with its own browser and OS cache; lookups take turns among them.",
        kind: ParamKind::Int { min: 1, max: 16 },
        default: "1",
    },
    ParamSpec {
        key: "gap_s",
        label: "Gap between lookups",
        unit: "s",
        help: "Time from one lookup's answer to the start of the next.",
        kind: ParamKind::Float { min: 0.0, max: 604_800.0 },
        default: "1",
    },
    ParamSpec {
        key: "rtt_stub_ms",
        label: "Browser ↔ OS round trip",
        unit: "ms",
        help: "Round trip between the browser and the operating system's stub resolver on the same host.",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "0.2",
    },
    ParamSpec {
        key: "rtt_resolver_ms",
        label: "Host ↔ resolver round trip",
        unit: "ms",
        help: "Round trip between a host and its recursive resolver (the ISP's or a public one).",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "10",
    },
    ParamSpec {
        key: "rtt_root_ms",
        label: "Resolver ↔ root round trip",
        unit: "ms",
        help: "Round trip between the resolver and a root server.",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "20",
    },
    ParamSpec {
        key: "rtt_tld_ms",
        label: "Resolver ↔ TLD round trip",
        unit: "ms",
        help: "Round trip between the resolver and a top-level-domain server (.com, .org, …).",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "30",
    },
    ParamSpec {
        key: "rtt_auth_ms",
        label: "Resolver ↔ authoritative round trip",
        unit: "ms",
        help: "Round trip between the resolver and any other authoritative server.",
        kind: ParamKind::Float { min: 0.0, max: 10_000.0 },
        default: "60",
    },
    ParamSpec {
        key: "timeout_ms",
        label: "Resolver timeout",
        unit: "ms",
        help: "How long the resolver waits for a server's reply before trying the next one.",
        kind: ParamKind::Float { min: 1.0, max: 60_000.0 },
        default: "800",
    },
    ParamSpec {
        key: "down",
        label: "Servers down",
        unit: "",
        help: "Name servers that do not answer, comma-separated (e.g. ns1.example.com).",
        kind: ParamKind::Text { max_len: 4000 },
        default: "",
    },
    ParamSpec {
        key: "browser_ttl_max_s",
        label: "Browser cache limit",
        unit: "s",
        help: "The longest the browser keeps an address (Firefox: 60 s); 0 turns the browser cache off.",
        kind: ParamKind::Int { min: 0, max: 86_400 },
        default: "60",
    },
    ParamSpec {
        key: "zone",
        label: "Zones",
        unit: "",
        help: "Your own zone files (RFC 1035 master format) instead of the default internet; one must be the root zone. Repeat for more. In the CLI, a file path.",
        kind: ParamKind::Documents { max_docs: 64, max_len: 200_000 },
        default: "",
    },
    ParamSpec {
        key: "ttl",
        label: "TTL (first population)",
        unit: "s",
        help: "Propagation: the record's TTL for the first population of resolvers.",
        kind: ParamKind::Int { min: 1, max: 604_800 },
        default: "300",
    },
    ParamSpec {
        key: "ttl2",
        label: "TTL (second population)",
        unit: "s",
        help: "Propagation: the record's TTL for the second population, charted beside the first.",
        kind: ParamKind::Int { min: 1, max: 604_800 },
        default: "3600",
    },
    ParamSpec {
        key: "resolvers",
        label: "Resolvers per population",
        unit: "",
        help: "Propagation: how many recursive resolvers (each serving its own clients) hold the record.",
        kind: ParamKind::Int { min: 1, max: 5_000 },
        default: "200",
    },
    ParamSpec {
        key: "queries_per_min",
        label: "Client queries per resolver",
        unit: "per min",
        help: "Propagation: how often clients ask each resolver for the record (Poisson).",
        kind: ParamKind::Float { min: 0.01, max: 6_000.0 },
        default: "2",
    },
    ParamSpec {
        key: "change_at_s",
        label: "Change at",
        unit: "s",
        help: "Propagation: when the record is changed at the authoritative server.",
        kind: ParamKind::Float { min: 0.0, max: 604_800.0 },
        default: "60",
    },
    ParamSpec {
        key: "new_value",
        label: "New value",
        unit: "",
        help: "Propagation: the record's new data, as in a zone file (an address for A).",
        kind: ParamKind::Text { max_len: 1000 },
        default: "198.51.100.80",
    },
];

/// Form groups: (title, keys).
pub static GROUPS: &[(&str, &[&str])] = &[
    ("Lookup", &["mode", "name", "type", "clients", "gap_s"]),
    (
        "Network",
        &[
            "rtt_stub_ms",
            "rtt_resolver_ms",
            "rtt_root_ms",
            "rtt_tld_ms",
            "rtt_auth_ms",
            "timeout_ms",
            "down",
        ],
    ),
    ("Caches", &["browser_ttl_max_s"]),
    ("Zones", &["zone"]),
    (
        "Propagation",
        &[
            "ttl",
            "ttl2",
            "resolvers",
            "queries_per_min",
            "change_at_s",
            "new_value",
        ],
    ),
];

pub static PRESETS: &[Preset] = &[
    Preset {
        id: "cold",
        title: "Cold cache",
        story: "Nothing is cached anywhere: the resolver walks from a root server to .com to example.com's own server, and the answer comes back down through every cache.",
        values: &[],
    },
    Preset {
        id: "warm",
        title: "Warm cache",
        story: "The same name three times: a second host gets it from the resolver's cache in one round trip, then the first host again from its own browser cache in no time.",
        values: &[("name", "www.example.com,www.example.com,www.example.com"), ("clients", "2")],
    },
    Preset {
        id: "cdn",
        title: "CNAME into a CDN",
        story: "blog.example.com is an alias of a CDN name in another zone, which is an alias of an edge location: the resolver must start over in .net, and the 20 s edge TTL expires first.",
        values: &[("name", "blog.example.com,blog.example.com"), ("clients", "2"), ("gap_s", "30")],
    },
    Preset {
        id: "nxdomain",
        title: "NXDOMAIN, then negative-cached",
        story: "A name that does not exist: the answer carries the zone's SOA, and the resolver caches the non-existence for min(SOA TTL, MINIMUM) = 300 s, so the repeat is answered at once.",
        values: &[("name", "nope.example.com,nope.example.com"), ("clients", "2")],
    },
    Preset {
        id: "mx",
        title: "MX lookup for mail",
        story: "A mail server asks where mail for example.com goes (MX: two hosts by preference), then the address of the preferred one, already a cheap question once example.com's servers are known.",
        values: &[("name", "example.com,mail.example.com"), ("type", "MX,A")],
    },
    Preset {
        id: "reverse",
        title: "Reverse lookup",
        story: "Which name has 192.0.2.80? The address becomes 80.2.0.192.in-addr.arpa, delegated to example.com's servers, whose address must be looked up first.",
        values: &[("name", "192.0.2.80"), ("type", "PTR")],
    },
    Preset {
        id: "dead_ns",
        title: "Dead name server",
        story: "ns1.example.com is down: the resolver waits out its timeout, tries ns2, and remembers ns1 as unresponsive so the next lookup goes straight to ns2.",
        values: &[("down", "ns1.example.com"), ("name", "www.example.com,example.com"), ("type", "A,MX"), ("clients", "2")],
    },
    Preset {
        id: "out_of_bailiwick",
        title: "Name server outside the zone",
        story: "example.org's servers are named under example-dns.net, so .org can give no glue: the resolver looks up ns1.example-dns.net first, then asks it about www.example.org.",
        values: &[("name", "www.example.org")],
    },
    Preset {
        id: "services",
        title: "SRV, TXT and AAAA",
        story: "Finding a SIP service (SRV), a domain's SPF policy (TXT) and an IPv6 address (AAAA): after the first lookup the rest start at example.com's servers.",
        values: &[("name", "_sip._tcp.example.com,example.com,www.example.com"), ("type", "SRV,TXT,AAAA")],
    },
    Preset {
        id: "cname_loop",
        title: "CNAME loop",
        story: "ping.example.com is an alias of pong.example.org, which is an alias of ping.example.com: the resolver notices the name coming back and answers SERVFAIL instead of looping forever.",
        values: &[("name", "ping.example.com")],
    },
    Preset {
        id: "referral_loop",
        title: "Referral loop",
        story: "loop.example.com is delegated to ns1.example.com, which does not serve it and refers back to itself: a referral that gets no closer is a loop, and the lookup ends in SERVFAIL.",
        values: &[("name", "www.loop.example.com")],
    },
    Preset {
        id: "propagation",
        title: "Propagation",
        story: "www.example.com moves to a new address. Resolvers that fetched it at different times keep the old one until their copy expires: with a 5-minute TTL everyone has switched after 5 minutes, with 1 hour it takes an hour.",
        values: &[("mode", "propagation")],
    },
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Lookups,
    Propagation,
}

/// Propagation inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct PropagationConfig {
    pub ttls: [u32; 2],
    pub resolvers: u32,
    pub queries_per_min: f64,
    pub change_at: SimDuration,
    /// The records before the change, as the authoritative zone holds them.
    pub old: Vec<Record>,
    /// The record after the change (TTL set per population).
    pub new: RData,
    /// The server that holds the zone (first apex NS).
    pub server: Name,
}

/// The block's inputs in engine units, validated.
#[derive(Clone, Debug)]
pub struct Config {
    pub mode: Mode,
    pub lookups: Vec<Question>,
    pub clients: u32,
    pub gap: SimDuration,
    pub rtt_stub: SimDuration,
    pub rtt_resolver: SimDuration,
    pub rtt_root: SimDuration,
    pub rtt_tld: SimDuration,
    pub rtt_auth: SimDuration,
    pub timeout: SimDuration,
    pub down: Vec<Name>,
    pub browser_cap_s: u32,
    pub internet: Cow<'static, Internet>,
    pub custom_zones: bool,
    pub propagation: Option<PropagationConfig>,
}

fn ms(p: &Params, key: &str) -> SimDuration {
    SimDuration::from_millis_f64(p.float(key))
}

/// Splits a comma-separated list into trimmed items.
fn items(text: &str) -> Vec<&str> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.split(',').map(str::trim).collect()
}

impl Config {
    /// Reads and checks every parameter, including the ones that depend on each other.
    pub fn from_params(p: &Params) -> Result<Config, ParamError> {
        let internet = internet_of(p)?;
        let name_text = p.text("name");
        let type_text = p.text("type");
        let names = items(name_text);
        let types = items(type_text);
        if names.is_empty() {
            return Err(ParamError::new(
                "name",
                name_text,
                "one or more domain names, comma-separated",
            ));
        }
        if names.len() > MAX_LOOKUPS {
            return Err(ParamError::new(
                "name",
                name_text,
                format!("at most {MAX_LOOKUPS} names, comma-separated"),
            ));
        }
        let mut rtypes = Vec::with_capacity(types.len());
        for (i, t) in types.iter().enumerate() {
            match RType::from_mnemonic(t) {
                Some(rt) if rt != RType::Hinfo => rtypes.push(rt),
                _ => {
                    return Err(ParamError::new(
                        "type",
                        type_text,
                        format!(
                            "a record type, or one per name, comma-separated: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT (item {} is {:?})",
                            i + 1,
                            t
                        ),
                    ))
                }
            }
        }
        if rtypes.len() != 1 && rtypes.len() != names.len() {
            return Err(ParamError::new(
                "type",
                type_text,
                format!(
                    "one type for every name, or one per name ({} names, {} types)",
                    names.len(),
                    rtypes.len()
                ),
            ));
        }
        let mut lookups = Vec::with_capacity(names.len());
        for (i, item) in names.iter().enumerate() {
            let rtype = if rtypes.len() == 1 {
                rtypes[0]
            } else {
                rtypes[i]
            };
            let name = match (rtype, item.parse::<IpAddr>()) {
                (RType::Ptr, Ok(ip)) => Name::reverse(ip),
                _ => Name::parse_user(item).map_err(|e| {
                    ParamError::new(
                        "name",
                        name_text,
                        format!(
                            "comma-separated domain names; item {} {:?} needs {}",
                            i + 1,
                            item,
                            e.expected
                        ),
                    )
                })?,
            };
            lookups.push(Question::new(name, rtype));
        }
        let down_text = p.text("down");
        let mut down = Vec::new();
        for item in items(down_text) {
            let allowed = || {
                format!(
                    "comma-separated name server names from the zones' NS records, e.g. ns1.example.com ({item:?} is not one)"
                )
            };
            let name = Name::parse_user(item)
                .map_err(|_| ParamError::new("down", down_text, allowed()))?;
            if !internet.is_server(&name) {
                return Err(ParamError::new("down", down_text, allowed()));
            }
            down.push(name);
        }
        let rtt_root = ms(p, "rtt_root_ms");
        let rtt_tld = ms(p, "rtt_tld_ms");
        let rtt_auth = ms(p, "rtt_auth_ms");
        let timeout = ms(p, "timeout_ms");
        let slowest = rtt_root.max(rtt_tld).max(rtt_auth);
        if timeout <= slowest {
            return Err(ParamError::new(
                "timeout_ms",
                p.float("timeout_ms").to_string(),
                format!(
                    "a timeout longer than the slowest server round trip ({} ms), or every query would time out",
                    slowest.as_millis_f64()
                ),
            ));
        }
        let mode = match p.text("mode") {
            "propagation" => Mode::Propagation,
            _ => Mode::Lookups,
        };
        let propagation = if mode == Mode::Propagation {
            Some(propagation_of(p, &internet, &lookups[0])?)
        } else {
            None
        };
        Ok(Config {
            mode,
            lookups,
            clients: p.int("clients") as u32,
            gap: SimDuration::from_micros_f64(p.float("gap_s") * 1e6),
            rtt_stub: ms(p, "rtt_stub_ms"),
            rtt_resolver: ms(p, "rtt_resolver_ms"),
            rtt_root,
            rtt_tld,
            rtt_auth,
            timeout,
            down,
            browser_cap_s: p.int("browser_ttl_max_s") as u32,
            custom_zones: !p.docs("zone").is_empty(),
            internet,
            propagation,
        })
    }
}

/// The default internet, or the person's zones.
fn internet_of(p: &Params) -> Result<Cow<'static, Internet>, ParamError> {
    let docs = p.docs("zone");
    if docs.is_empty() {
        return Ok(Cow::Borrowed(Internet::default_internet()));
    }
    let labelled: Vec<(String, &str)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (format!("zone {}", i + 1), d.as_str()))
        .collect();
    Internet::from_texts(&labelled)
        .map(Cow::Owned)
        .map_err(|e| match e {
            InternetError::Zone { index, error } => ParamError::new(
                "zone",
                docs[index].clone(),
                format!("a zone file in RFC 1035 master format; {error}"),
            ),
            InternetError::Setup { index, message } => ParamError::new(
                "zone",
                match (index, docs.len()) {
                    (Some(i), _) => docs[i].clone(),
                    (None, 1) => docs[0].clone(),
                    (None, n) => format!("{n} zone files"),
                },
                format!("zones that fit together: {message}"),
            ),
        })
}

fn propagation_of(
    p: &Params,
    internet: &Internet,
    q: &Question,
) -> Result<PropagationConfig, ParamError> {
    let old = internet.authoritative_rrset(&q.name, q.rtype);
    if old.is_empty() {
        return Err(ParamError::new(
            "name",
            p.text("name"),
            format!(
                "a name with {} records in the zones, to change (propagation); {} has none",
                q.rtype, q.name
            ),
        ));
    }
    let value = p.text("new_value");
    let root = Name::root();
    let new = parse_records(
        &format!("new. 0 IN {} {value}\n", q.rtype),
        "new_value",
        Some(&root),
    )
    .map_err(|e| {
        ParamError::new(
            "new_value",
            value,
            format!(
                "the data of a {} record: {}, found {}",
                q.rtype, e.expected, e.found
            ),
        )
    })?
    .records
    .into_iter()
    .next()
    .map(|placed| placed.record.rdata)
    .ok_or_else(|| {
        ParamError::new(
            "new_value",
            value,
            format!("the data of a {} record", q.rtype),
        )
    })?;
    let zone = internet
        .zones
        .iter()
        .filter(|z| q.name.is_in(&z.origin))
        .max_by_key(|z| z.origin.depth());
    let server = zone
        .and_then(|z| {
            z.apex_ns().into_iter().find_map(|r| match &r.rdata {
                RData::Ns(n) => Some(n.clone()),
                _ => None,
            })
        })
        .unwrap_or_else(Name::root);
    Ok(PropagationConfig {
        ttls: [p.int("ttl") as u32, p.int("ttl2") as u32],
        resolvers: p.int("resolvers") as u32,
        queries_per_min: p.float("queries_per_min"),
        change_at: SimDuration::from_micros_f64(p.float("change_at_s") * 1e6),
        old,
        new,
        server,
    })
}
