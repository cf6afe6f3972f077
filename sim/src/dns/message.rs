//! Queries and responses as the model exchanges them: the sections of RFC 1035 §4.1 without the
//! wire encoding.

use super::name::Name;
use super::record::{RType, Record};
use std::fmt;

/// The question: QNAME and QTYPE (QCLASS is always IN).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Question {
    pub name: Name,
    pub rtype: RType,
}

impl Question {
    pub fn new(name: Name, rtype: RType) -> Self {
        Question { name, rtype }
    }
}

impl fmt::Display for Question {
    /// How a query reads on a hop: `A? www.example.com`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}? {}", self.rtype, self.name.bare())
    }
}

/// Response codes (RFC 1035 §4.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rcode {
    NoError,
    /// Server failure: the resolver could not get an answer (timeouts, loops, lame servers).
    ServFail,
    /// Name error: the name does not exist.
    NxDomain,
    /// The server refuses, here because it is not authoritative for the name asked.
    Refused,
}

impl Rcode {
    pub fn as_str(self) -> &'static str {
        match self {
            Rcode::NoError => "NOERROR",
            Rcode::ServFail => "SERVFAIL",
            Rcode::NxDomain => "NXDOMAIN",
            Rcode::Refused => "REFUSED",
        }
    }
}

impl fmt::Display for Rcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A response: header flags that matter here, and the three record sections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub rcode: Rcode,
    /// Authoritative Answer: the data for QNAME comes from a zone the server serves.
    pub aa: bool,
    pub answer: Vec<Record>,
    pub authority: Vec<Record>,
    pub additional: Vec<Record>,
}

impl Message {
    pub fn empty(rcode: Rcode) -> Self {
        Message {
            rcode,
            aa: false,
            answer: Vec::new(),
            authority: Vec::new(),
            additional: Vec::new(),
        }
    }

    /// One line per record with section headers, like `dig`'s output (for tests and details).
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "rcode {}{}\n",
            self.rcode,
            if self.aa { ", aa" } else { "" }
        );
        for (title, rrs) in [
            ("answer", &self.answer),
            ("authority", &self.authority),
            ("additional", &self.additional),
        ] {
            for r in rrs {
                out.push_str(&format!("{title}: {r}\n"));
            }
        }
        out
    }
}
