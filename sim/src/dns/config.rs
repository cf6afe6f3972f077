//! The block's inputs in engine units, with every rule that involves the content of a value or
//! several values (names, types, servers, zones, timeout against round trips).

use super::internet::{Internet, InternetError};
use super::message::Question;
use super::name::Name;
use super::params::MAX_LOOKUPS;
use super::record::{RData, RType, Record};
use super::zone::parser::parse_records;
use crate::kernel::time::SimDuration;
use crate::params::{ParamError, Params};
use std::borrow::Cow;
use std::net::IpAddr;

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

/// Most client queries a propagation run simulates (about a second of work natively).
pub const MAX_PROPAGATION_QUERIES: f64 = 2_000_000.0;

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
    // Keep a run bounded: client queries over the whole run, both populations.
    let ttls = [p.int("ttl") as f64, p.int("ttl2") as f64];
    let horizon_s = p.float("change_at_s") + 1.2 * ttls[0].max(ttls[1]) + 10.0;
    let expected = 2.0 * p.int("resolvers") as f64 * p.float("queries_per_min") / 60.0 * horizon_s;
    if expected > MAX_PROPAGATION_QUERIES {
        return Err(ParamError::new(
            "queries_per_min",
            p.float("queries_per_min").to_string(),
            format!(
                "a rate that keeps the run under {} client queries (2 populations × {} resolvers × rate × {:.0} s of run): at most {:.3} per minute",
                MAX_PROPAGATION_QUERIES,
                p.int("resolvers"),
                horizon_s,
                MAX_PROPAGATION_QUERIES * 60.0 / (2.0 * p.int("resolvers") as f64 * horizon_s)
            ),
        ));
    }
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
