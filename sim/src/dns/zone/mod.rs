//! A zone: the records one set of name servers is authoritative for, read from a master file,
//! checked, and answered from (RFC 1034 §4.2, §4.3.2 step 3, §4.3.3).
//!
//! Checks at load time, each an error with the line and column of the record at fault:
//! - exactly one SOA, and it names the zone's apex (RFC 1035 §5.2: "exactly one SOA RR should
//!   be present at the top of the zone");
//! - NS records at the apex (RFC 1034 §4.2.1, RFC 2181 §6.1);
//! - every owner at or below the apex (RFC 1034 §4.2.1: a zone holds the names below its top
//!   node, down to its cuts);
//! - a CNAME owner has no other data, and one CNAME at most (RFC 1034 §3.6.2, RFC 2181 §10.1).
//!
//! Identical records are kept once (RFC 2181 §5: duplicates are meaningless and suppressed).

pub mod lexer;
pub mod parser;

use super::name::Name;
use super::record::{RData, RType, Record};
pub use lexer::Pos;
pub use parser::ZoneError;
use std::collections::{BTreeMap, BTreeSet};

/// A loaded zone.
#[derive(Clone, Debug)]
pub struct Zone {
    pub origin: Name,
    /// Records in file order, duplicates removed.
    records: Vec<Record>,
    /// Where each record's entry starts in the text.
    positions: Vec<Pos>,
    /// Owner → indices into `records`.
    nodes: BTreeMap<Name, Vec<usize>>,
    /// Every owner and every ancestor of an owner down to the apex: names that exist, with or
    /// without records of their own (an "empty non-terminal" exists too, RFC 8020 / RFC 4592
    /// §2.2.2).
    existing: BTreeSet<Name>,
    /// Names below the apex that carry NS records: the zone cuts (RFC 1034 §4.2.1).
    cuts: BTreeSet<Name>,
    soa: usize,
}

/// What a zone holds for a question (RFC 1034 §4.3.2 step 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Step 3a: the records of QTYPE at QNAME (from a wildcard, with the owner set to QNAME).
    Answer(Vec<Record>),
    /// Step 3a: QNAME is an alias; the caller restarts at the canonical name.
    Cname(Record),
    /// Step 3b: QNAME lies at or below a zone cut: the cut's NS records and whatever addresses
    /// of those servers the zone holds (glue).
    Referral {
        cut: Name,
        ns: Vec<Record>,
        glue: Vec<Record>,
    },
    /// The name exists but has no records of QTYPE.
    NoData,
    /// Step 3c: the name does not exist (and no wildcard applies).
    NxDomain,
}

impl Zone {
    /// Parses and checks one master file. `label` names the zone in errors until its origin
    /// is known (e.g. `zone 2`).
    pub fn parse(text: &str, label: &str) -> Result<Zone, ZoneError> {
        Zone::parse_with_origin(text, label, None)
    }

    /// Like [`Zone::parse`] with a starting origin, as a server's configuration gives it.
    pub fn parse_with_origin(
        text: &str,
        label: &str,
        origin: Option<&Name>,
    ) -> Result<Zone, ZoneError> {
        let parsed = parser::parse_records(text, label, origin)?;
        Zone::build(parsed, label)
    }

    fn build(parsed: parser::Parsed, label: &str) -> Result<Zone, ZoneError> {
        let err = |zone: &str, pos: Pos, expected: String, found: String| ZoneError {
            zone: zone.to_string(),
            line: pos.line,
            col: pos.col,
            expected,
            found,
        };
        let fallback = parsed
            .origin
            .as_ref()
            .map(|o| o.to_string())
            .unwrap_or_else(|| label.to_string());
        let mut soas = parsed
            .records
            .iter()
            .filter(|p| p.record.rtype() == RType::Soa);
        let Some(first_soa) = soas.next() else {
            return Err(err(
                &fallback,
                parsed.end,
                "an SOA record at the top of the zone (RFC 1035 §5.2)".into(),
                "none".into(),
            ));
        };
        let origin = first_soa.record.owner.clone();
        let zname = origin.to_string();
        if let Some(second) = soas.next() {
            return Err(err(
                &zname,
                second.pos,
                "exactly one SOA record per zone (RFC 1035 §5.2)".into(),
                format!("a second SOA at {}", second.record.owner),
            ));
        }
        let mut records: Vec<Record> = Vec::with_capacity(parsed.records.len());
        let mut positions = Vec::with_capacity(parsed.records.len());
        let mut seen: BTreeSet<(Name, RData)> = BTreeSet::new();
        let mut nodes: BTreeMap<Name, Vec<usize>> = BTreeMap::new();
        for p in &parsed.records {
            let r = &p.record;
            if !r.owner.is_in(&origin) {
                return Err(err(
                    &zname,
                    p.pos,
                    format!("a name at or below the zone's apex {origin} (RFC 1034 §4.2.1)"),
                    format!("{}", r.owner),
                ));
            }
            if !seen.insert((r.owner.clone(), r.rdata.clone())) {
                continue;
            }
            let at = nodes.entry(r.owner.clone()).or_default();
            let has_cname = at.iter().any(|&i| records[i].rtype() == RType::Cname);
            let is_cname = r.rtype() == RType::Cname;
            if !at.is_empty() && (has_cname || is_cname) {
                let (expected, found) = if has_cname && is_cname {
                    (
                        "one CNAME per name (RFC 2181 §10.1)".to_string(),
                        format!("a second CNAME at {}", r.owner),
                    )
                } else {
                    (
                        "no other data at a name that has a CNAME (RFC 1034 §3.6.2, RFC 2181 §10.1)"
                            .to_string(),
                        format!("{} and CNAME both at {}", if is_cname { records[at[0]].rtype() } else { r.rtype() }, r.owner),
                    )
                };
                return Err(err(&zname, p.pos, expected, found));
            }
            at.push(records.len());
            records.push(r.clone());
            positions.push(p.pos);
        }
        let soa = records
            .iter()
            .position(|r| r.rtype() == RType::Soa)
            .unwrap_or(0);
        let apex_has_ns = nodes
            .get(&origin)
            .is_some_and(|ix| ix.iter().any(|&i| records[i].rtype() == RType::Ns));
        if !apex_has_ns {
            return Err(err(
                &zname,
                first_soa.pos,
                format!("NS records at the zone's apex {origin} (RFC 1034 §4.2.1)"),
                "none".into(),
            ));
        }
        let mut existing = BTreeSet::new();
        let mut cuts = BTreeSet::new();
        for (owner, ix) in &nodes {
            let mut n = owner.clone();
            while n.depth() > origin.depth() && existing.insert(n.clone()) {
                n = n.parent().unwrap_or_else(Name::root);
            }
            if *owner != origin && ix.iter().any(|&i| records[i].rtype() == RType::Ns) {
                cuts.insert(owner.clone());
            }
        }
        existing.insert(origin.clone());
        Ok(Zone {
            origin,
            records,
            positions,
            nodes,
            existing,
            cuts,
            soa,
        })
    }

    /// The records in file order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Where a record (by index in [`Zone::records`]) starts in the text.
    pub fn position(&self, i: usize) -> Option<Pos> {
        self.positions.get(i).copied()
    }

    pub fn soa(&self) -> &Record {
        &self.records[self.soa]
    }

    /// The SOA as it goes into the authority section of a negative answer: its TTL is
    /// min(SOA TTL, SOA MINIMUM) (RFC 2308 §3).
    pub fn negative_soa(&self) -> Record {
        let soa = self.soa();
        soa.with_ttl(soa.negative_ttl().unwrap_or(soa.ttl))
    }

    /// The apex NS records: the servers this zone names as its own (RFC 2181 §6.1).
    pub fn apex_ns(&self) -> Vec<&Record> {
        self.rrset(&self.origin, RType::Ns)
    }

    /// The zone cuts: delegated child zones.
    pub fn cuts(&self) -> impl Iterator<Item = &Name> {
        self.cuts.iter()
    }

    /// The records of one type at one name, as stored (no cut or wildcard logic).
    pub fn rrset(&self, owner: &Name, rtype: RType) -> Vec<&Record> {
        self.nodes
            .get(owner)
            .map(|ix| {
                ix.iter()
                    .map(|&i| &self.records[i])
                    .filter(|r| r.rtype() == rtype)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A and AAAA records at `name` held in this zone, authoritative or glue.
    pub fn addresses(&self, name: &Name) -> Vec<Record> {
        let mut out: Vec<Record> = self.rrset(name, RType::A).into_iter().cloned().collect();
        out.extend(self.rrset(name, RType::Aaaa).into_iter().cloned());
        out
    }

    /// The zone's part of RFC 1034 §4.3.2 step 3 for a name at or below the apex: a referral at
    /// the first cut on the way down, else the data at QNAME, else a wildcard (§4.3.3, with
    /// RFC 4592's closest encloser), else a name error.
    pub fn lookup(&self, qname: &Name, qtype: RType) -> Found {
        debug_assert!(qname.is_in(&self.origin));
        // Step 3b: walk down from the apex looking for a cut.
        for depth in self.origin.depth() + 1..=qname.depth() {
            let anc = qname.ancestor(depth);
            if self.cuts.contains(&anc) {
                let ns: Vec<Record> = self.rrset(&anc, RType::Ns).into_iter().cloned().collect();
                let mut glue = Vec::new();
                for r in &ns {
                    if let RData::Ns(target) = &r.rdata {
                        if target.is_in(&self.origin) {
                            glue.extend(self.addresses(target));
                        }
                    }
                }
                return Found::Referral { cut: anc, ns, glue };
            }
        }
        if self.nodes.contains_key(qname) {
            return self.at_node(qname, qname, qtype);
        }
        if self.existing.contains(qname) {
            return Found::NoData;
        }
        // Step 3c: the closest encloser, then its wildcard.
        let mut ce = qname.parent().unwrap_or_else(Name::root);
        while !self.existing.contains(&ce) && ce.depth() > self.origin.depth() {
            ce = ce.parent().unwrap_or_else(Name::root);
        }
        if let Some(wild) = ce.child(b"*") {
            if self.nodes.contains_key(&wild) {
                return self.at_node(&wild, qname, qtype);
            }
        }
        Found::NxDomain
    }

    /// Data at an existing node, with owners rewritten to `qname` (for wildcards).
    fn at_node(&self, node: &Name, qname: &Name, qtype: RType) -> Found {
        let owned = |r: &Record| Record::new(qname.clone(), r.ttl, r.rdata.clone());
        if qtype != RType::Cname {
            if let Some(c) = self.rrset(node, RType::Cname).first() {
                return Found::Cname(owned(c));
            }
        }
        let rrs: Vec<Record> = self.rrset(node, qtype).into_iter().map(owned).collect();
        if rrs.is_empty() {
            Found::NoData
        } else {
            Found::Answer(rrs)
        }
    }

    /// The zone as a master file in presentation format (absolute names, explicit TTLs).
    pub fn to_master_file(&self) -> String {
        let mut out = format!("$ORIGIN {}\n", self.origin);
        for r in &self.records {
            out.push_str(&r.to_string());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests;
