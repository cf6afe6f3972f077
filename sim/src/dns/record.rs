//! Resource records and their presentation format (what `dig` prints and master files hold).
//!
//! - RFC 1035 §3.2.2: type codes; §3.3 and §3.4.1: the RDATA of A, CNAME, HINFO, MX, NS, PTR,
//!   SOA and TXT; §5.1: presentation syntax. Only class IN is modelled (RFC 1035 §3.2.4).
//! - RFC 3596 §2: AAAA. RFC 2782: SRV (priority, weight, port, target).
//! - RFC 1035 §3.3.14 and §3.3: TXT holds one or more <character-string>s of at most 255 octets.
//! - RFC 2181 §8: a TTL is an unsigned number from 0 to 2^31 - 1 seconds.

use super::name::Name;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// RFC 2181 §8.
pub const MAX_TTL: u32 = 2_147_483_647;

/// The record types this model understands (RFC 1035 §3.2.2, RFC 3596 §2.1, RFC 2782).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RType {
    A,
    Ns,
    Cname,
    Soa,
    Ptr,
    Hinfo,
    Mx,
    Txt,
    Aaaa,
    Srv,
}

impl RType {
    pub const ALL: [RType; 10] = [
        RType::A,
        RType::Aaaa,
        RType::Cname,
        RType::Mx,
        RType::Ns,
        RType::Ptr,
        RType::Soa,
        RType::Srv,
        RType::Txt,
        RType::Hinfo,
    ];

    /// The type code on the wire.
    pub fn code(self) -> u16 {
        match self {
            RType::A => 1,
            RType::Ns => 2,
            RType::Cname => 5,
            RType::Soa => 6,
            RType::Ptr => 12,
            RType::Hinfo => 13,
            RType::Mx => 15,
            RType::Txt => 16,
            RType::Aaaa => 28,
            RType::Srv => 33,
        }
    }

    pub fn mnemonic(self) -> &'static str {
        match self {
            RType::A => "A",
            RType::Ns => "NS",
            RType::Cname => "CNAME",
            RType::Soa => "SOA",
            RType::Ptr => "PTR",
            RType::Hinfo => "HINFO",
            RType::Mx => "MX",
            RType::Txt => "TXT",
            RType::Aaaa => "AAAA",
            RType::Srv => "SRV",
        }
    }

    /// Case-insensitive, as master files are (RFC 1035 §5.1).
    pub fn from_mnemonic(s: &str) -> Option<RType> {
        RType::ALL
            .into_iter()
            .find(|t| t.mnemonic().eq_ignore_ascii_case(s))
    }

    /// The list for messages: `A, AAAA, CNAME, …`.
    pub fn list() -> String {
        RType::ALL.map(|t| t.mnemonic()).join(", ")
    }
}

impl fmt::Display for RType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mnemonic())
    }
}

/// SOA RDATA (RFC 1035 §3.3.13).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Soa {
    pub mname: Name,
    pub rname: Name,
    pub serial: u32,
    pub refresh: u32,
    pub retry: u32,
    pub expire: u32,
    /// Since RFC 2308 §4: the TTL of negative answers.
    pub minimum: u32,
}

/// The data of one record.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RData {
    A(Ipv4Addr),
    Ns(Name),
    Cname(Name),
    Soa(Box<Soa>),
    Ptr(Name),
    /// RFC 1035 §3.3.2: two character-strings.
    Hinfo {
        cpu: Vec<u8>,
        os: Vec<u8>,
    },
    Mx {
        preference: u16,
        exchange: Name,
    },
    /// One or more character-strings, each at most 255 octets.
    Txt(Vec<Vec<u8>>),
    Aaaa(Ipv6Addr),
    Srv {
        priority: u16,
        weight: u16,
        port: u16,
        target: Name,
    },
}

impl RData {
    pub fn rtype(&self) -> RType {
        match self {
            RData::A(_) => RType::A,
            RData::Ns(_) => RType::Ns,
            RData::Cname(_) => RType::Cname,
            RData::Soa(_) => RType::Soa,
            RData::Ptr(_) => RType::Ptr,
            RData::Hinfo { .. } => RType::Hinfo,
            RData::Mx { .. } => RType::Mx,
            RData::Txt(_) => RType::Txt,
            RData::Aaaa(_) => RType::Aaaa,
            RData::Srv { .. } => RType::Srv,
        }
    }

    /// The host whose addresses a server adds to the additional section (RFC 1035 §3.3.9 for
    /// MX, §3.3.11 for NS, RFC 2782 for SRV).
    pub fn additional_target(&self) -> Option<&Name> {
        match self {
            RData::Ns(n) => Some(n),
            RData::Mx { exchange, .. } => Some(exchange),
            RData::Srv { target, .. } if !target.is_root() => Some(target),
            _ => None,
        }
    }
}

/// Writes a <character-string> in quotes (RFC 1035 §5.1), escaping `"` and `\` and octets
/// outside printable ASCII.
pub fn write_char_string(f: &mut impl fmt::Write, s: &[u8]) -> fmt::Result {
    f.write_char('"')?;
    for &b in s {
        match b {
            b'"' | b'\\' => {
                f.write_char('\\')?;
                f.write_char(b as char)?;
            }
            0x20..=0x7e => f.write_char(b as char)?,
            _ => write!(f, "\\{b:03}")?,
        }
    }
    f.write_char('"')
}

impl fmt::Display for RData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RData::A(a) => write!(f, "{a}"),
            // Rust prints IPv6 in the RFC 5952 canonical text form.
            RData::Aaaa(a) => write!(f, "{a}"),
            RData::Ns(n) | RData::Cname(n) | RData::Ptr(n) => write!(f, "{n}"),
            RData::Soa(s) => write!(
                f,
                "{} {} {} {} {} {} {}",
                s.mname, s.rname, s.serial, s.refresh, s.retry, s.expire, s.minimum
            ),
            RData::Hinfo { cpu, os } => {
                write_char_string(f, cpu)?;
                f.write_str(" ")?;
                write_char_string(f, os)
            }
            RData::Mx {
                preference,
                exchange,
            } => write!(f, "{preference} {exchange}"),
            RData::Txt(strings) => {
                for (i, s) in strings.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    write_char_string(f, s)?;
                }
                Ok(())
            }
            RData::Srv {
                priority,
                weight,
                port,
                target,
            } => write!(f, "{priority} {weight} {port} {target}"),
        }
    }
}

/// One resource record of class IN.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Record {
    pub owner: Name,
    pub ttl: u32,
    pub rdata: RData,
}

impl Record {
    pub fn new(owner: Name, ttl: u32, rdata: RData) -> Self {
        Record { owner, ttl, rdata }
    }

    pub fn rtype(&self) -> RType {
        self.rdata.rtype()
    }

    /// The same record with another TTL (a cache's remaining TTL, a negative TTL).
    pub fn with_ttl(&self, ttl: u32) -> Record {
        Record {
            owner: self.owner.clone(),
            ttl,
            rdata: self.rdata.clone(),
        }
    }

    /// The CNAME target, if this is a CNAME.
    pub fn cname_target(&self) -> Option<&Name> {
        match &self.rdata {
            RData::Cname(t) => Some(t),
            _ => None,
        }
    }

    pub fn soa(&self) -> Option<&Soa> {
        match &self.rdata {
            RData::Soa(s) => Some(s),
            _ => None,
        }
    }

    /// The negative-caching TTL this SOA carries: min(SOA TTL, SOA MINIMUM) (RFC 2308 §3, §5).
    pub fn negative_ttl(&self) -> Option<u32> {
        self.soa().map(|s| self.ttl.min(s.minimum))
    }
}

impl fmt::Display for Record {
    /// `www.example.com. 300 IN A 192.0.2.80`, as in a master file or `dig` output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} IN {} {}",
            self.owner,
            self.ttl,
            self.rtype(),
            self.rdata
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse_user(s).unwrap()
    }

    #[test]
    fn presentation_format() {
        let cases = [
            (
                Record::new(
                    n("www.example.com"),
                    300,
                    RData::A("192.0.2.80".parse().unwrap()),
                ),
                "www.example.com. 300 IN A 192.0.2.80",
            ),
            (
                Record::new(
                    n("www.example.com"),
                    300,
                    RData::Aaaa("2001:db8:0:0:0:0:0:80".parse().unwrap()),
                ),
                "www.example.com. 300 IN AAAA 2001:db8::80",
            ),
            (
                Record::new(
                    n("example.com"),
                    3600,
                    RData::Mx {
                        preference: 10,
                        exchange: n("mail.example.com"),
                    },
                ),
                "example.com. 3600 IN MX 10 mail.example.com.",
            ),
            (
                Record::new(
                    n("example.com"),
                    3600,
                    RData::Txt(vec![b"v=spf1 mx -all".to_vec(), b"say \"hi\"".to_vec()]),
                ),
                "example.com. 3600 IN TXT \"v=spf1 mx -all\" \"say \\\"hi\\\"\"",
            ),
            (
                Record::new(
                    n("_sip._tcp.example.com"),
                    3600,
                    RData::Srv {
                        priority: 10,
                        weight: 60,
                        port: 5060,
                        target: n("sip.example.com"),
                    },
                ),
                "_sip._tcp.example.com. 3600 IN SRV 10 60 5060 sip.example.com.",
            ),
        ];
        for (r, want) in cases {
            assert_eq!(r.to_string(), want);
        }
    }

    #[test]
    fn type_codes_match_the_registries() {
        let codes: Vec<String> = RType::ALL
            .iter()
            .map(|t| format!("{t}={}", t.code()))
            .collect();
        assert_eq!(
            codes.join(" "),
            "A=1 AAAA=28 CNAME=5 MX=15 NS=2 PTR=12 SOA=6 SRV=33 TXT=16 HINFO=13"
        );

        assert_eq!(RType::from_mnemonic("aaaa"), Some(RType::Aaaa));
        assert_eq!(RType::from_mnemonic("CAA"), None);
    }

    #[test]
    fn negative_ttl_is_the_smaller_of_soa_ttl_and_minimum() {
        let soa = |ttl, minimum| {
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
        };
        assert_eq!(soa(3600, 300).negative_ttl(), Some(300));
        assert_eq!(soa(60, 300).negative_ttl(), Some(60));
    }
}
