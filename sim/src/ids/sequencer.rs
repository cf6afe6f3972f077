//! A centralized sequencer: one service owns one counter and grants IDs on request.
//!
//! The simplest unique-ID scheme there is, and the one every other scheme in this block reacts
//! to: IDs are dense and perfectly ordered by grant, but every grant is a network round trip to
//! one process, whose throughput caps the whole system and whose outage stops it. Range (batch)
//! leasing, as Hibernate's `pooled` optimizer does with a database sequence (`INCREMENT BY`
//! the allocation size) and Meituan's Leaf does in its segment mode, grants a block of `n`
//! consecutive IDs per round trip; the client hands them out locally, trading order across
//! clients (and any IDs unused when a client dies) for fewer trips and for riding out short
//! outages.

use super::decode::{Decoded, Field, Format};
use std::borrow::Cow;

/// The service's counter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequencer {
    next: u64,
}

/// A granted block of IDs `first..=last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub first: u64,
    pub last: u64,
}

impl Default for Sequencer {
    fn default() -> Self {
        Sequencer { next: 1 }
    }
}

impl Sequencer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Grants the next `n` IDs (at least one).
    pub fn grant(&mut self, n: u64) -> Range {
        let n = n.max(1);
        let first = self.next;
        self.next += n;
        Range {
            first,
            last: first + n - 1,
        }
    }

    /// IDs granted so far.
    pub fn granted(&self) -> u64 {
        self.next - 1
    }
}

/// A client's leased block, handed out one ID at a time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Lease {
    next: u64,
    end: u64,
}

impl Lease {
    pub fn new(r: Range) -> Self {
        Lease {
            next: r.first,
            end: r.last + 1,
        }
    }

    pub fn take(&mut self) -> Option<u64> {
        (self.next < self.end).then(|| {
            self.next += 1;
            self.next - 1
        })
    }

    pub fn remaining(&self) -> u64 {
        self.end - self.next
    }
}

/// A sequencer's ID: nothing but the counter.
pub fn describe(id: u64) -> Decoded {
    Decoded {
        format: Format::Counter,
        title: "Central sequencer counter".into(),
        canonical: id.to_string(),
        width: 64,
        value: u128::from(id),
        unix_ms: None,
        utc: None,
        fields: vec![Field {
            key: Cow::Borrowed("counter"),
            label: Cow::Borrowed("64-bit counter"),
            offset: 0,
            width: 64,
            raw: u128::from(id),
            meaning: format!("ID number {id} the sequencer granted; no time, no machine"),
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grants_are_dense_and_leases_hand_them_out() {
        let mut s = Sequencer::new();
        assert_eq!(s.grant(1), Range { first: 1, last: 1 });
        let r = s.grant(3);
        assert_eq!(r, Range { first: 2, last: 4 });
        let mut l = Lease::new(r);
        let got: Vec<u64> = std::iter::from_fn(|| l.take()).collect();
        assert_eq!(got, vec![2, 3, 4]);
        assert_eq!(l.remaining(), 0);
        assert_eq!(s.granted(), 4);
    }
}
