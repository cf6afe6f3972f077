//! Reads the records of one zone from master-file text (RFC 1035 §5, with RFC 2308 §4's
//! `$TTL`).
//!
//! Rules, each where the code applies it:
//! - `$ORIGIN <name>` sets the origin for relative names and `@` (RFC 1035 §5.1).
//! - `$TTL <ttl>` sets the TTL of later records that state none (RFC 2308 §4).
//! - `$INCLUDE` is refused: a zone here is one self-contained text, with no file access.
//! - A record is `<owner> [<TTL>] [<class>] <type> <RDATA>`, TTL and class in either order; a
//!   blank owner repeats the previous one (RFC 1035 §5.1).
//! - An omitted TTL is, in order: the `$TTL` in force (RFC 2308 §4); else the last TTL stated
//!   explicitly (RFC 1035 §5.1: "Omitted class and TTL values are default to the last
//!   explicitly stated values"); else the SOA MINIMUM, its meaning before RFC 2308 (RFC 1035
//!   §3.3.13, and RFC 1034 §6.1's example root zone, which states no TTL on its SOA).
//! - TTLs are 0 to 2^31 - 1 (RFC 2181 §8); like BIND, `1h30m`-style units are accepted too.
//! - Only class IN is modelled.

use super::lexer::{entries, Entry, Pos, Tok, Token};
use crate::dns::name::Name;
use crate::dns::record::{RData, RType, Record, Soa, MAX_TTL};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A parse error: where, and what was expected instead of what was found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneError {
    /// The zone's origin when known (`example.com.`), else the label the caller gave.
    pub zone: String,
    pub line: u32,
    pub col: u32,
    pub expected: String,
    pub found: String,
}

impl fmt::Display for ZoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} line {}, column {}: expected {}, found {}",
            self.zone, self.line, self.col, self.expected, self.found
        )
    }
}

impl std::error::Error for ZoneError {}

/// A record and where its entry starts in the text (for later checks to point at).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    pub record: Record,
    pub pos: Pos,
}

/// The records of a master file, in order.
pub struct Parsed {
    pub records: Vec<Placed>,
    /// The origin in force at the end (for messages).
    pub origin: Option<Name>,
    /// Where the text ends (for "found none" errors).
    pub end: Pos,
}

struct Parser<'a> {
    label: &'a str,
    origin: Option<Name>,
    dollar_ttl: Option<u32>,
    last_ttl: Option<u32>,
    soa_minimum: Option<u32>,
    last_owner: Option<Name>,
}

/// A cursor over one entry's tokens.
struct Cursor<'e> {
    entry: &'e Entry,
    i: usize,
}

impl<'e> Cursor<'e> {
    fn next(&mut self) -> Option<&'e Token> {
        let t = self.entry.tokens.get(self.i);
        self.i += t.is_some() as usize;
        t
    }
    fn end_pos(&self) -> Pos {
        self.entry.end
    }
}

/// "Found" text for the end of an entry.
const EOL: &str = "the end of the line";

impl Parser<'_> {
    fn zone_name(&self) -> String {
        match &self.origin {
            Some(o) => o.to_string(),
            None => self.label.to_string(),
        }
    }

    fn err(&self, pos: Pos, expected: impl Into<String>, found: impl Into<String>) -> ZoneError {
        ZoneError {
            zone: self.zone_name(),
            line: pos.line,
            col: pos.col,
            expected: expected.into(),
            found: found.into(),
        }
    }

    /// The next token as a word, or an error naming `expected`.
    fn word<'e>(&self, c: &mut Cursor<'e>, expected: &str) -> Result<(&'e str, Pos), ZoneError> {
        match c.next() {
            Some(Token {
                tok: Tok::Word(w),
                pos,
            }) => Ok((w.as_str(), *pos)),
            Some(t) => Err(self.err(t.pos, expected, t.describe())),
            None => Err(self.err(c.end_pos(), expected, EOL)),
        }
    }

    fn name(&self, c: &mut Cursor<'_>, what: &str) -> Result<Name, ZoneError> {
        let (w, pos) = self.word(c, what)?;
        Name::parse(w, self.origin.as_ref()).map_err(|e| {
            self.err(
                pos,
                format!("{what}: {}", e.expected),
                format!("{:?}", shorten(w)),
            )
        })
    }

    fn number<T: TryFrom<u64>>(
        &self,
        c: &mut Cursor<'_>,
        what: &str,
        max: u64,
    ) -> Result<T, ZoneError> {
        let expected = format!("{what} (an integer from 0 to {max})");
        let (w, pos) = self.word(c, &expected)?;
        w.parse::<u64>()
            .ok()
            .filter(|v| *v <= max)
            .and_then(|v| T::try_from(v).ok())
            .ok_or_else(|| self.err(pos, expected, format!("{:?}", shorten(w))))
    }

    fn ttl_field(&self, c: &mut Cursor<'_>, what: &str) -> Result<u32, ZoneError> {
        let expected = format!("{what} ({TTL_FORMS})");
        let (w, pos) = self.word(c, &expected)?;
        parse_ttl(w)
            .and_then(Result::ok)
            .ok_or_else(|| self.err(pos, expected, format!("{:?}", shorten(w))))
    }

    /// A <character-string>: quoted, or a word with escapes (RFC 1035 §5.1), ≤ 255 octets
    /// (RFC 1035 §3.3).
    fn char_string(&self, t: &Token) -> Result<Vec<u8>, ZoneError> {
        let bytes = match &t.tok {
            Tok::Quoted(b) => b.clone(),
            Tok::Word(w) => decode_escapes(w).ok_or_else(|| {
                self.err(
                    t.pos,
                    "\\X or \\DDD with DDD from 000 to 255 (RFC 1035 §5.1)",
                    format!("{:?}", shorten(w)),
                )
            })?,
        };
        if bytes.len() > 255 {
            return Err(self.err(
                t.pos,
                "a character-string of at most 255 octets (RFC 1035 §3.3)",
                format!("{} octets", bytes.len()),
            ));
        }
        Ok(bytes)
    }

    fn directive(&mut self, e: &Entry, word: &str, pos: Pos) -> Result<(), ZoneError> {
        let mut c = Cursor { entry: e, i: 1 };
        match word.to_ascii_uppercase().as_str() {
            "$ORIGIN" => {
                let origin = self.name(&mut c, "a domain name after $ORIGIN")?;
                self.origin = Some(origin);
            }
            "$TTL" => {
                let ttl = self.ttl_field(&mut c, "a TTL after $TTL (RFC 2308 §4)")?;
                self.dollar_ttl = Some(ttl);
            }
            "$INCLUDE" => {
                return Err(self.err(
                    pos,
                    "$ORIGIN, $TTL or a record ($INCLUDE is not supported: each zone is one self-contained text)",
                    "$INCLUDE",
                ))
            }
            _ => {
                return Err(self.err(
                    pos,
                    "$ORIGIN or $TTL (RFC 1035 §5.1, RFC 2308 §4)",
                    format!("{:?}", shorten(word)),
                ))
            }
        }
        match c.next() {
            None => Ok(()),
            Some(t) => Err(self.err(t.pos, EOL, t.describe())),
        }
    }

    fn record(&mut self, e: &Entry) -> Result<Placed, ZoneError> {
        let mut c = Cursor { entry: e, i: 0 };
        let start = e.tokens.first().map(|t| t.pos).unwrap_or(e.end);
        let owner = if e.blank_start {
            self.last_owner.clone().ok_or_else(|| {
                self.err(
                    Pos { line: start.line, col: 1 },
                    "an owner name at the start of the line (a line starting with a blank repeats the previous owner, and there is none yet)",
                    "a blank",
                )
            })?
        } else {
            self.name(&mut c, "an owner name")?
        };
        // [<TTL>] [<class>] in either order (RFC 1035 §5.1).
        let mut ttl: Option<u32> = None;
        let mut class_seen = false;
        let rtype = loop {
            let expected = format!("a TTL, class IN or record type ({})", RType::list());
            let (w, pos) = self.word(&mut c, &expected)?;
            if let Some(parsed) = parse_ttl(w) {
                if ttl.is_some() {
                    return Err(self.err(
                        pos,
                        format!("a record type ({})", RType::list()),
                        format!("a second TTL {:?}", shorten(w)),
                    ));
                }
                ttl = Some(parsed.map_err(|_| {
                    self.err(
                        pos,
                        format!("a TTL ({TTL_FORMS})"),
                        format!("{:?}", shorten(w)),
                    )
                })?);
                continue;
            }
            let upper = w.to_ascii_uppercase();
            if matches!(upper.as_str(), "IN" | "CH" | "CS" | "HS") {
                if upper != "IN" {
                    return Err(self.err(
                        pos,
                        "class IN (only the Internet class is modelled)",
                        format!("{upper:?}"),
                    ));
                }
                if class_seen {
                    return Err(self.err(
                        pos,
                        format!("a TTL or record type ({})", RType::list()),
                        "a second class IN",
                    ));
                }
                class_seen = true;
                continue;
            }
            match RType::from_mnemonic(w) {
                Some(t) => break t,
                None => {
                    let what = if ttl.is_none() && !class_seen {
                        "a TTL, class IN or a record type this model supports"
                    } else {
                        "a record type this model supports"
                    };
                    return Err(self.err(
                        pos,
                        format!("{what} ({})", RType::list()),
                        format!("{:?}", shorten(w)),
                    ));
                }
            }
        };
        let rdata = self.rdata(&mut c, rtype)?;
        if let Some(t) = c.next() {
            return Err(self.err(
                t.pos,
                format!("the end of the {rtype} record"),
                t.describe(),
            ));
        }
        if let Some(t) = ttl {
            self.last_ttl = Some(t);
        }
        if let RData::Soa(s) = &rdata {
            self.soa_minimum.get_or_insert(s.minimum);
        }
        let ttl = match ttl
            .or(self.dollar_ttl)
            .or(self.last_ttl)
            .or(self.soa_minimum)
        {
            Some(t) => t,
            None => {
                return Err(self.err(
                    start,
                    "a TTL on this record, or $TTL before it (RFC 2308 §4)",
                    "no TTL to inherit",
                ))
            }
        };
        self.last_owner = Some(owner.clone());
        Ok(Placed {
            record: Record::new(owner, ttl, rdata),
            pos: start,
        })
    }

    fn rdata(&self, c: &mut Cursor<'_>, rtype: RType) -> Result<RData, ZoneError> {
        Ok(match rtype {
            RType::A => {
                let what = "an IPv4 address like 192.0.2.1 (RFC 1035 §3.4.1)";
                let (w, pos) = self.word(c, what)?;
                RData::A(
                    w.parse()
                        .map_err(|_| self.err(pos, what, format!("{:?}", shorten(w))))?,
                )
            }
            RType::Aaaa => {
                let what = "an IPv6 address like 2001:db8::1 (RFC 3596 §2.4)";
                let (w, pos) = self.word(c, what)?;
                RData::Aaaa(
                    w.parse()
                        .map_err(|_| self.err(pos, what, format!("{:?}", shorten(w))))?,
                )
            }
            RType::Ns => RData::Ns(self.name(c, "a name server's domain name (RFC 1035 §3.3.11)")?),
            RType::Cname => RData::Cname(self.name(c, "the canonical name (RFC 1035 §3.3.1)")?),
            RType::Ptr => RData::Ptr(self.name(c, "a domain name (RFC 1035 §3.3.12)")?),
            RType::Mx => RData::Mx {
                preference: self.number(c, "the MX preference (RFC 1035 §3.3.9)", 65535)?,
                exchange: self.name(c, "the mail exchange's domain name (RFC 1035 §3.3.9)")?,
            },
            RType::Srv => RData::Srv {
                priority: self.number(c, "the SRV priority (RFC 2782)", 65535)?,
                weight: self.number(c, "the SRV weight (RFC 2782)", 65535)?,
                port: self.number(c, "the SRV port (RFC 2782)", 65535)?,
                target: self.name(c, "the SRV target's domain name (RFC 2782)")?,
            },
            RType::Soa => RData::Soa(Box::new(Soa {
                mname: self.name(c, "the SOA MNAME, the primary server (RFC 1035 §3.3.13)")?,
                rname: self.name(
                    c,
                    "the SOA RNAME, the mailbox of the person responsible (RFC 1035 §3.3.13)",
                )?,
                serial: self.number(c, "the SOA SERIAL (RFC 1035 §3.3.13)", u64::from(u32::MAX))?,
                refresh: self.ttl_field(c, "the SOA REFRESH")?,
                retry: self.ttl_field(c, "the SOA RETRY")?,
                expire: self.ttl_field(c, "the SOA EXPIRE")?,
                minimum: self.ttl_field(c, "the SOA MINIMUM")?,
            })),
            RType::Txt => {
                let mut strings = Vec::new();
                while let Some(t) = c.next() {
                    strings.push(self.char_string(t)?);
                }
                if strings.is_empty() {
                    return Err(self.err(
                        c.end_pos(),
                        "one or more character-strings (RFC 1035 §3.3.14)",
                        EOL,
                    ));
                }
                RData::Txt(strings)
            }
            RType::Hinfo => {
                let mut two = Vec::new();
                for what in [
                    "the HINFO CPU string (RFC 1035 §3.3.2)",
                    "the HINFO OS string (RFC 1035 §3.3.2)",
                ] {
                    match c.next() {
                        Some(t) => two.push(self.char_string(t)?),
                        None => return Err(self.err(c.end_pos(), what, EOL)),
                    }
                }
                let os = two.pop().unwrap_or_default();
                let cpu = two.pop().unwrap_or_default();
                RData::Hinfo { cpu, os }
            }
        })
    }
}

const TTL_FORMS: &str = "seconds from 0 to 2147483647 (RFC 2181 §8), or units like 1h30m";

/// `None` when `w` does not look like a TTL (does not start with a digit); otherwise the value
/// or `Err` when it is malformed or too big. Accepts plain seconds and BIND's `1w2d3h4m5s`.
pub fn parse_ttl(w: &str) -> Option<Result<u32, ()>> {
    if !w.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut total: u64 = 0;
    let mut num: Option<u64> = None;
    let mut units = false;
    for ch in w.chars() {
        if let Some(d) = ch.to_digit(10) {
            num = Some(
                num.unwrap_or(0)
                    .saturating_mul(10)
                    .saturating_add(u64::from(d)),
            );
            continue;
        }
        let mult = match ch.to_ascii_lowercase() {
            'w' => 604_800,
            'd' => 86_400,
            'h' => 3_600,
            'm' => 60,
            's' => 1,
            _ => return Some(Err(())),
        };
        let Some(n) = num.take() else {
            return Some(Err(()));
        };
        units = true;
        total = total.saturating_add(n.saturating_mul(mult));
    }
    match num {
        Some(n) if !units => total = n,
        Some(_) => return Some(Err(())),
        None => {}
    }
    Some(if total <= u64::from(MAX_TTL) {
        Ok(total as u32)
    } else {
        Err(())
    })
}

/// Decodes `\X` and `\DDD` in an unquoted word.
fn decode_escapes(w: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut chars = w.chars();
    let mut buf = [0u8; 4];
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            continue;
        }
        let d1 = chars.next()?;
        match d1.to_digit(10) {
            Some(v1) => {
                let v2 = chars.next()?.to_digit(10)?;
                let v3 = chars.next()?.to_digit(10)?;
                let v = v1 * 100 + v2 * 10 + v3;
                out.push(u8::try_from(v).ok()?);
            }
            None => out.extend_from_slice(d1.encode_utf8(&mut buf).as_bytes()),
        }
    }
    Some(out)
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Parses master-file text. `label` names the zone in errors until an origin is known;
/// `origin` is the starting origin, if the caller knows one (like a `zone` statement in BIND's
/// configuration).
pub fn parse_records(text: &str, label: &str, origin: Option<&Name>) -> Result<Parsed, ZoneError> {
    let mut p = Parser {
        label,
        origin: origin.cloned(),
        dollar_ttl: None,
        last_ttl: None,
        soa_minimum: None,
        last_owner: None,
    };
    let mut records = Vec::new();
    for e in entries(text) {
        let e = e.map_err(|e| p.err(e.pos, e.expected, e.found))?;
        let e = &e;
        if let Some(Token {
            tok: Tok::Word(w),
            pos,
        }) = e.tokens.first()
        {
            if !e.blank_start && w.starts_with('$') {
                p.directive(e, w, *pos)?;
                continue;
            }
        }
        records.push(p.record(e)?);
    }
    let end = end_of(text);
    Ok(Parsed {
        records,
        origin: p.origin,
        end,
    })
}

/// The position just past the last character.
fn end_of(text: &str) -> Pos {
    let mut pos = Pos { line: 1, col: 1 };
    for c in text.chars() {
        if c == '\n' {
            pos.line += 1;
            pos.col = 1;
        } else {
            pos.col += 1;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_forms() {
        assert_eq!(parse_ttl("3600"), Some(Ok(3600)));
        assert_eq!(parse_ttl("1h30m"), Some(Ok(5400)));
        assert_eq!(parse_ttl("1W"), Some(Ok(604_800)));
        assert_eq!(parse_ttl("2147483647"), Some(Ok(2_147_483_647)));
        assert_eq!(parse_ttl("2147483648"), Some(Err(())), "RFC 2181 §8");
        assert_eq!(parse_ttl("1h30"), Some(Err(())));
        assert_eq!(parse_ttl("1x"), Some(Err(())));
        assert_eq!(parse_ttl("IN"), None);
        assert_eq!(parse_ttl("99999999999999999999999"), Some(Err(())));
    }

    #[test]
    fn escapes_in_words() {
        assert_eq!(decode_escapes("a\\;b\\065").unwrap(), b"a;bA");
        assert_eq!(decode_escapes("a\\2"), None);
        assert_eq!(decode_escapes("a\\999"), None);
    }
}
