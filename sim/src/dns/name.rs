//! Domain names: sequences of labels, compared without regard to ASCII case.
//!
//! - RFC 1035 §2.3.4: a label is at most 63 octets, a whole name at most 255 octets on the wire.
//! - RFC 1035 §5.1: in text, `\X` quotes the character X and `\DDD` is the octet with decimal
//!   value DDD; a name ending in `.` is absolute, any other is relative to the origin.
//! - RFC 1035 §2.3.3 and RFC 4343: comparisons ignore ASCII case. Names are folded to lower
//!   case when read, so equality and map keys need no special comparison (the one liberty taken:
//!   the original case is not preserved for display).
//! - RFC 1035 §3.5 and RFC 3596 §2.5: the reverse-lookup names under `in-addr.arpa.` and
//!   `ip6.arpa.`.

use std::fmt;
use std::net::IpAddr;

/// An absolute domain name. Labels are stored leaf first (`www`, `example`, `com`); the root has
/// none.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    labels: Vec<Box<[u8]>>,
}

/// What is wrong with a name's text, as the phrase after "expected".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameError {
    /// What was expected, e.g. `a label of at most 63 octets (RFC 1035 §2.3.4)`.
    pub expected: String,
}

impl NameError {
    fn new(expected: impl Into<String>) -> Self {
        NameError {
            expected: expected.into(),
        }
    }
}

/// RFC 1035 §2.3.4.
pub const MAX_LABEL: usize = 63;
/// RFC 1035 §2.3.4 (octets in the wire form, length bytes and the final zero included).
pub const MAX_NAME: usize = 255;

impl Name {
    pub fn root() -> Name {
        Name { labels: Vec::new() }
    }

    /// Number of labels (the root has 0, `com.` has 1).
    pub fn depth(&self) -> usize {
        self.labels.len()
    }

    pub fn is_root(&self) -> bool {
        self.labels.is_empty()
    }

    /// Labels leaf first.
    pub fn labels(&self) -> &[Box<[u8]>] {
        &self.labels
    }

    /// The first (leftmost) label, if any.
    pub fn first_label(&self) -> Option<&[u8]> {
        self.labels.first().map(|l| &l[..])
    }

    /// The name one label up (`None` for the root).
    pub fn parent(&self) -> Option<Name> {
        (!self.labels.is_empty()).then(|| Name {
            labels: self.labels[1..].to_vec(),
        })
    }

    /// The ancestor with `depth` labels (`self` when `depth >= self.depth()`).
    pub fn ancestor(&self, depth: usize) -> Name {
        let skip = self.labels.len().saturating_sub(depth);
        Name {
            labels: self.labels[skip..].to_vec(),
        }
    }

    /// `label.self`, if the result stays within the length limits.
    pub fn child(&self, label: &[u8]) -> Option<Name> {
        if label.is_empty() || label.len() > MAX_LABEL {
            return None;
        }
        let mut labels = Vec::with_capacity(self.labels.len() + 1);
        labels.push(label.to_ascii_lowercase().into_boxed_slice());
        labels.extend(self.labels.iter().cloned());
        let n = Name { labels };
        (n.wire_len() <= MAX_NAME).then_some(n)
    }

    /// Whether `self` is `other` or lies below it (`www.example.com.` is in `com.` and in `.`).
    pub fn is_in(&self, other: &Name) -> bool {
        self.labels.len() >= other.labels.len()
            && self.labels[self.labels.len() - other.labels.len()..] == other.labels[..]
    }

    /// Whether `self` lies strictly below `other`.
    pub fn is_below(&self, other: &Name) -> bool {
        self.labels.len() > other.labels.len() && self.is_in(other)
    }

    /// Octets of the uncompressed wire form (RFC 1035 §3.1).
    pub fn wire_len(&self) -> usize {
        self.labels.iter().map(|l| l.len() + 1).sum::<usize>() + 1
    }

    /// Reads a name from master-file text (RFC 1035 §5.1): `@` is the origin, a name without a
    /// trailing dot is relative to the origin, `\X` and `\DDD` are escapes.
    pub fn parse(text: &str, origin: Option<&Name>) -> Result<Name, NameError> {
        if text == "@" {
            return origin.cloned().ok_or_else(|| {
                NameError::new("an origin for \"@\": set one with $ORIGIN first (RFC 1035 §5.1)")
            });
        }
        if text == "." {
            return Ok(Name::root());
        }
        if text.is_empty() {
            return Err(NameError::new("a domain name"));
        }
        let mut labels: Vec<Box<[u8]>> = Vec::new();
        let mut cur: Vec<u8> = Vec::new();
        let mut absolute = false;
        let mut chars = text.chars().peekable();
        let mut buf = [0u8; 4];
        while let Some(c) = chars.next() {
            match c {
                '.' => {
                    if cur.is_empty() {
                        return Err(NameError::new(
                            "a non-empty label between dots (RFC 1035 §5.1)",
                        ));
                    }
                    labels.push(std::mem::take(&mut cur).into_boxed_slice());
                    if chars.peek().is_none() {
                        absolute = true;
                    }
                }
                '\\' => {
                    let Some(d1) = chars.next() else {
                        return Err(NameError::new(
                            "a character or three digits after \"\\\" (RFC 1035 §5.1)",
                        ));
                    };
                    if let Some(v) = d1.to_digit(10) {
                        let mut value = v;
                        for _ in 0..2 {
                            match chars.next().and_then(|d| d.to_digit(10)) {
                                Some(d) => value = value * 10 + d,
                                None => {
                                    return Err(NameError::new(
                                        "three decimal digits after \"\\\" (\\DDD, RFC 1035 §5.1)",
                                    ))
                                }
                            }
                        }
                        if value > 255 {
                            return Err(NameError::new(
                                "an octet value from \\000 to \\255 (RFC 1035 §5.1)",
                            ));
                        }
                        cur.push(value as u8);
                    } else {
                        cur.extend_from_slice(d1.encode_utf8(&mut buf).as_bytes());
                    }
                }
                c => cur.extend_from_slice(c.encode_utf8(&mut buf).as_bytes()),
            }
            if cur.len() > MAX_LABEL {
                return Err(NameError::new(format!(
                    "a label of at most {MAX_LABEL} octets (RFC 1035 §2.3.4)"
                )));
            }
        }
        if !cur.is_empty() {
            labels.push(cur.into_boxed_slice());
        }
        for l in &mut labels {
            l.make_ascii_lowercase();
        }
        let mut name = Name { labels };
        if !absolute {
            match origin {
                Some(o) => name.labels.extend(o.labels.iter().cloned()),
                None => {
                    return Err(NameError::new(
                        "an absolute name ending in \".\", or $ORIGIN before relative names (RFC 1035 §5.1)",
                    ))
                }
            }
        }
        if name.wire_len() > MAX_NAME {
            return Err(NameError::new(format!(
                "a name of at most {MAX_NAME} octets (RFC 1035 §2.3.4)"
            )));
        }
        Ok(name)
    }

    /// A name as a person types it on the command line: absolute whether or not it ends in a
    /// dot (like `dig`), so `www.example.com` is `www.example.com.`.
    pub fn parse_user(text: &str) -> Result<Name, NameError> {
        if text == "@" {
            return Err(NameError::new("a domain name"));
        }
        Name::parse(text, Some(&Name::root()))
    }

    /// The reverse-lookup name of an address: `4.3.2.1.in-addr.arpa.` for 1.2.3.4 (RFC 1035
    /// §3.5), nibbles in reverse under `ip6.arpa.` for IPv6 (RFC 3596 §2.5).
    pub fn reverse(addr: IpAddr) -> Name {
        let mut labels: Vec<Box<[u8]>> = Vec::new();
        match addr {
            IpAddr::V4(v4) => {
                for o in v4.octets().iter().rev() {
                    labels.push(o.to_string().into_bytes().into_boxed_slice());
                }
                labels.push(Box::from(&b"in-addr"[..]));
            }
            IpAddr::V6(v6) => {
                for o in v6.octets().iter().rev() {
                    for nibble in [o & 0xf, o >> 4] {
                        labels.push(format!("{nibble:x}").into_bytes().into_boxed_slice());
                    }
                }
                labels.push(Box::from(&b"ip6"[..]));
            }
        }
        labels.push(Box::from(&b"arpa"[..]));
        Name { labels }
    }
}

/// Writes one label in presentation form (RFC 1035 §5.1): special characters quoted with `\`,
/// octets outside printable ASCII as `\DDD`.
pub fn write_label(f: &mut impl fmt::Write, label: &[u8]) -> fmt::Result {
    for &b in label {
        match b {
            b'.' | b'\\' | b'"' | b'(' | b')' | b';' | b'@' | b'$' => {
                f.write_char('\\')?;
                f.write_char(b as char)?;
            }
            0x21..=0x7e => f.write_char(b as char)?,
            _ => write!(f, "\\{b:03}")?,
        }
    }
    Ok(())
}

impl fmt::Display for Name {
    /// Absolute presentation form with the trailing dot: `www.example.com.`, `.` for the root.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.labels.is_empty() {
            return f.write_str(".");
        }
        for l in &self.labels {
            write_label(f, l)?;
            f.write_str(".")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Name {
    /// The name without its trailing dot, as in a query label (`A? www.example.com`); the
    /// root stays `.`.
    pub fn bare(&self) -> String {
        let s = self.to_string();
        if s.len() > 1 {
            s[..s.len() - 1].to_string()
        } else {
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Name {
        Name::parse_user(s).unwrap()
    }

    #[test]
    fn relative_absolute_and_origin() {
        let origin = n("ISI.EDU.");
        assert_eq!(
            Name::parse("VENERA", Some(&origin)).unwrap().to_string(),
            "venera.isi.edu."
        );
        assert_eq!(
            Name::parse("A.ISI.EDU.", Some(&origin))
                .unwrap()
                .to_string(),
            "a.isi.edu."
        );
        assert_eq!(Name::parse("@", Some(&origin)).unwrap(), origin);
        assert_eq!(Name::parse(".", None).unwrap(), Name::root());
        assert!(Name::parse("www", None).is_err());
        assert!(Name::parse("@", None).is_err());
        assert_eq!(n("www.example.com"), n("WWW.Example.COM."));
    }

    #[test]
    fn escapes_per_rfc_1035_section_5_1() {
        let origin = n("isi.edu");
        let rname = Name::parse("Action\\.domains", Some(&origin)).unwrap();
        assert_eq!(
            rname.depth(),
            3,
            "the escaped dot stays inside the first label"
        );
        assert_eq!(rname.to_string(), "action\\.domains.isi.edu.");
        let odd = Name::parse("a\\032b\\255.", None).unwrap();
        assert_eq!(&odd.labels()[0][..], b"a b\xff");
        assert_eq!(odd.to_string(), "a\\032b\\255.");
        assert!(Name::parse("a\\256.", None).is_err());
        assert!(Name::parse("a\\12", None).is_err());
        assert!(Name::parse("a..b.", None).is_err());
        assert!(Name::parse(".a.", None).is_err());
    }

    #[test]
    fn length_limits_per_rfc_1035_section_2_3_4() {
        let ok = format!("{}.", "a".repeat(63));
        assert!(Name::parse(&ok, None).is_ok());
        let long_label = format!("{}.", "a".repeat(64));
        assert!(Name::parse(&long_label, None)
            .unwrap_err()
            .expected
            .contains("63"));
        // 4 labels of 63 octets: 4 * 64 + 1 = 257 > 255.
        let long_name = format!("{0}.{0}.{0}.{0}.", "a".repeat(63));
        assert!(Name::parse(&long_name, None)
            .unwrap_err()
            .expected
            .contains("255"));
    }

    #[test]
    fn hierarchy() {
        let www = n("www.example.com");
        assert!(www.is_in(&n("example.com")));
        assert!(www.is_in(&Name::root()));
        assert!(www.is_in(&www));
        assert!(!www.is_below(&www));
        assert!(!n("example.com").is_in(&www));
        assert!(!n("xexample.com").is_in(&n("example.com")));
        assert_eq!(www.parent().unwrap(), n("example.com"));
        assert_eq!(www.ancestor(1), n("com"));
        assert_eq!(www.ancestor(9), www);
        assert_eq!(Name::root().parent(), None);
        assert_eq!(www.bare(), "www.example.com");
        assert_eq!(Name::root().bare(), ".");
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            Name::reverse("1.2.3.4".parse().unwrap()).to_string(),
            "4.3.2.1.in-addr.arpa.",
            "RFC 1034 §5.2.1's own example"
        );
        // RFC 3596 §2.5's example: 4321:0:1:2:3:4:567:89ab.
        assert_eq!(
            Name::reverse("4321:0:1:2:3:4:567:89ab".parse().unwrap()).to_string(),
            "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.0.0.0.0.1.2.3.4.ip6.arpa."
        );
    }
}
