//! The DNS block's parameters and presets.
//!
//! Names follow the issue: `name` and `type` as in `dig`, per-link `rtt_*_ms`, `timeout_ms`,
//! `down`, `zone` (repeatable: each a master file), and for the propagation story `ttl`,
//! `ttl2`, `resolvers`, `queries_per_min`, `change_at_s` and `new_value`. `config` turns them
//! into a checked [`super::config::Config`].

use crate::block::Preset;
use crate::params::{ParamKind, ParamSpec};

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
