//! Flickr's ticket servers ("Ticket Servers: Distributed Unique Primary Keys on the Cheap",
//! code.flickr.net, 2010).
//!
//! Each ticket server is a MySQL database with one table, `Tickets64 (id bigint unsigned
//! auto_increment, stub char(1) unique)`; a ticket is `REPLACE INTO Tickets64 (stub) VALUES ('a');
//! SELECT LAST_INSERT_ID();`. Flickr ran two, configured so their sequences never meet:
//!
//! ```text
//! TicketServer1: auto-increment-increment = 2, auto-increment-offset = 1   → 1, 3, 5, …
//! TicketServer2: auto-increment-increment = 2, auto-increment-offset = 2   → 2, 4, 6, …
//! ```
//!
//! (MySQL hands out `offset + N × increment`, the smallest above the largest used.) Clients
//! round-robin between the two and use the other when one is down. IDs are unique but not in
//! time order across the servers, and the two sequences drift apart when one takes more load.

use super::decode::{DecodeError, Decoded, Field, Format};
use std::borrow::Cow;

/// One ticket server: MySQL's `auto_increment_increment` and `auto_increment_offset`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketServer {
    increment: u64,
    offset: u64,
    last: Option<u64>,
}

impl TicketServer {
    pub fn new(increment: u64, offset: u64) -> Self {
        TicketServer {
            increment: increment.max(1),
            offset,
            last: None,
        }
    }

    /// Flickr's pair: offsets 1 and 2, increment 2.
    pub fn flickr_pair() -> [TicketServer; 2] {
        [TicketServer::new(2, 1), TicketServer::new(2, 2)]
    }

    /// The next ticket (`LAST_INSERT_ID()` after the `REPLACE INTO`).
    pub fn next_ticket(&mut self) -> u64 {
        let next = match self.last {
            None => self.offset,
            Some(l) => l + self.increment,
        };
        self.last = Some(next);
        next
    }

    /// Tickets issued so far.
    pub fn issued(&self) -> u64 {
        self.last
            .map_or(0, |l| (l - self.offset) / self.increment + 1)
    }
}

/// A ticket read as Flickr's two servers issue it.
pub fn describe(id: u64) -> Result<Decoded, DecodeError> {
    if id == 0 {
        return Err(DecodeError::new(
            None,
            "0 is never issued: auto-increment starts at the offset, 1 or 2",
        ));
    }
    let server = if id % 2 == 1 { 1 } else { 2 };
    let nth = (id - server) / 2 + 1;
    Ok(Decoded {
        format: Format::Ticket,
        title: "Flickr ticket (two servers, auto-increment-increment 2)".into(),
        canonical: id.to_string(),
        width: 64,
        value: u128::from(id),
        unix_ms: None,
        utc: None,
        fields: vec![Field {
            key: Cow::Borrowed("ticket"),
            label: Cow::Borrowed("64-bit auto-increment value"),
            offset: 0,
            width: 64,
            raw: u128::from(id),
            meaning: format!(
                "{} → ticket server {server} (offset {server}), its ticket number {nth}; no time, no machine: only the servers' counters",
                if server == 1 { "odd" } else { "even" }
            ),
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_and_even_never_meet() {
        let [mut a, mut b] = TicketServer::flickr_pair();
        let odd: Vec<u64> = (0..4).map(|_| a.next_ticket()).collect();
        let even: Vec<u64> = (0..3).map(|_| b.next_ticket()).collect();
        assert_eq!(odd, vec![1, 3, 5, 7]);
        assert_eq!(even, vec![2, 4, 6]);
        assert_eq!((a.issued(), b.issued()), (4, 3));
        let d = describe(7).unwrap();
        assert!(d.fields[0]
            .meaning
            .starts_with("odd → ticket server 1 (offset 1), its ticket number 4"));
        assert!(describe(0).is_err());
    }
}
