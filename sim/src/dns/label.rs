//! Hop labels that read like `dig`: `A? www.example.com`, `referral: com. NS
//! a.gtld-servers.net. (+1)`, `CNAME blog.example.com. → example.cdn.net.`, `NXDOMAIN`.

use super::message::{Message, Question, Rcode};
use super::record::{RType, Record};

/// A query on the wire.
pub fn query(q: &Question) -> String {
    q.to_string()
}

fn more(n: usize) -> String {
    if n > 0 {
        format!(" (+{n})")
    } else {
        String::new()
    }
}

/// One answer record: `www.example.com. A 192.0.2.80`.
pub fn record(r: &Record) -> String {
    match r.cname_target() {
        Some(t) => format!("CNAME {} → {t}", r.owner),
        None => format!("{} {} {}", r.owner, r.rtype(), r.rdata),
    }
}

/// A response from a server to the resolver.
pub fn response(q: &Question, msg: &Message) -> String {
    match msg.rcode {
        Rcode::NxDomain => return "NXDOMAIN".into(),
        Rcode::Refused => return "REFUSED".into(),
        Rcode::ServFail => return "SERVFAIL".into(),
        Rcode::NoError => {}
    }
    if let Some(first) = msg.answer.first() {
        return format!("{}{}", record(first), more(msg.answer.len() - 1));
    }
    let ns: Vec<&Record> = msg
        .authority
        .iter()
        .filter(|r| r.rtype() == RType::Ns)
        .collect();
    if let Some(first) = ns.first() {
        return format!(
            "referral: {} NS {}{}",
            first.owner,
            first.rdata,
            more(ns.len() - 1)
        );
    }
    format!("NODATA (no {})", q.rtype)
}

/// The answer a resolver or stub passes down to its client.
pub fn answer(q: &Question, rcode: Rcode, records: &[Record]) -> String {
    match rcode {
        Rcode::NoError if records.is_empty() => format!("NODATA (no {})", q.rtype),
        Rcode::NoError => {
            // Show the data the client asked for; an alias chain is summarised by its length.
            let data: Vec<&Record> = records
                .iter()
                .filter(|r| r.rtype() == q.rtype || q.rtype == RType::Cname)
                .collect();
            match data.first() {
                Some(d) => {
                    let aliases = records.len() - data.len();
                    let via = if aliases > 0 && q.rtype != RType::Cname {
                        format!(
                            " (via {aliases} CNAME{})",
                            if aliases == 1 { "" } else { "s" }
                        )
                    } else {
                        String::new()
                    };
                    format!("{} {}{}{via}", d.rtype(), d.rdata, more(data.len() - 1))
                }
                None => records.first().map(record).unwrap_or_default(),
            }
        }
        other => other.to_string(),
    }
}
