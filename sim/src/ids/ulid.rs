//! ULID as the ulid/spec README defines it, with the monotonic factory of its reference
//! implementation (ulid/javascript `monotonicFactory`).
//!
//! 128 bits: a 48-bit Unix-millisecond timestamp, then 80 random bits, both most significant
//! byte first. The canonical text is 26 characters of Crockford's base32
//! (`0123456789ABCDEFGHJKMNPQRSTVWXYZ`: no I, L, O or U): 10 for the time, 16 for the randomness.
//! 26 characters could hold 130 bits, so the first character is at most `7`; anything larger
//! "should be rejected by all implementations, to prevent overflow bugs". Decoding is case
//! insensitive, as the spec says; output is upper case.
//!
//! Monotonicity: within the same millisecond the random part is incremented by 1 in its least
//! significant bit, with carry; if that overflows 80 bits, "the generation will fail". The
//! reference factory takes this branch whenever the clock reads the last time *or earlier*
//! (`seed <= lastTime`), keeping the last time, so a clock stepped back cannot reorder its ULIDs.

use super::decode::{DecodeError, Decoded, Field, Format};
use super::generate::{Entropy, GenError};
use super::utc::format_unix_ms;
use std::borrow::Cow;
use std::fmt;

pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
pub const MAX_TIME: u64 = (1 << 48) - 1;
const RANDOM_MASK: u128 = (1 << 80) - 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ulid(pub u128);

impl Ulid {
    /// From a 48-bit timestamp and 80 random bits (each masked to its width).
    pub fn new(unix_ms: u64, random: u128) -> Ulid {
        Ulid((u128::from(unix_ms & MAX_TIME) << 80) | (random & RANDOM_MASK))
    }

    pub fn unix_ms(self) -> u64 {
        (self.0 >> 80) as u64
    }

    pub fn random(self) -> u128 {
        self.0 & RANDOM_MASK
    }

    /// Parses the 26-character form, strictly: every character from the alphabet (either
    /// case), and the first at most `7`.
    pub fn parse(text: &str) -> Result<Ulid, DecodeError> {
        let n = text.chars().count();
        if n != 26 {
            return Err(DecodeError::length(format!(
                "a ULID is 26 characters; got {n}"
            )));
        }
        let mut v: u128 = 0;
        for (i, c) in text.chars().enumerate() {
            let Some(d) = digit(c) else {
                let hint = match c.to_ascii_uppercase() {
                    'I' | 'L' => " (Crockford's base32 has no I or L; did you mean 1?)",
                    'O' => " (Crockford's base32 has no O; did you mean 0?)",
                    'U' => " (Crockford's base32 has no U)",
                    _ => "",
                };
                return Err(DecodeError::char(
                    i,
                    c,
                    &format!("is not in the ULID alphabet 0-9 A-Z without I, L, O, U{hint}"),
                ));
            };
            if i == 0 && d > 7 {
                return Err(DecodeError::char(
                    0,
                    c,
                    "is above 7: 26 characters would hold 130 bits, a ULID has 128, so the largest is 7ZZZZZZZZZZZZZZZZZZZZZZZZZ",
                ));
            }
            v = (v << 5) | u128::from(d);
        }
        Ok(Ulid(v))
    }

    pub fn describe(self) -> Decoded {
        let ms = self.unix_ms();
        let fields = vec![
            Field {
                key: Cow::Borrowed("timestamp"),
                label: Cow::Borrowed("48-bit Unix milliseconds"),
                offset: 0,
                width: 48,
                raw: u128::from(ms),
                meaning: format!("{} ({ms} ms since 1970-01-01T00:00:00Z); the first 10 characters", format_unix_ms(ms as i64)),
            },
            Field {
                key: Cow::Borrowed("randomness"),
                label: Cow::Borrowed("80 random bits"),
                offset: 48,
                width: 80,
                raw: self.random(),
                meaning: "random, or the previous ULID's plus 1 within the same millisecond; the last 16 characters".into(),
            },
        ];
        Decoded {
            format: Format::Ulid,
            title: "ULID (ulid/spec)".into(),
            canonical: self.to_string(),
            width: 128,
            value: self.0,
            unix_ms: Some(ms as i64),
            utc: Some(format_unix_ms(ms as i64)),
            fields,
        }
    }
}

fn digit(c: char) -> Option<u8> {
    let u = c.to_ascii_uppercase() as u32;
    ALPHABET
        .iter()
        .position(|&a| u32::from(a) == u)
        .map(|p| p as u8)
}

/// 26 upper-case Crockford characters.
impl fmt::Display for Ulid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = [0u8; 26];
        for (i, b) in s.iter_mut().enumerate() {
            *b = ALPHABET[((self.0 >> (5 * (25 - i))) & 31) as usize];
        }
        f.write_str(std::str::from_utf8(&s).expect("ASCII alphabet"))
    }
}

/// ULIDs that sort in the order they were made, even within a millisecond.
#[derive(Clone, Debug, Default)]
pub struct MonotonicUlid {
    last: Option<Ulid>,
}

impl MonotonicUlid {
    pub fn new() -> Self {
        Self::default()
    }

    /// A generator that continues after `prev` (e.g. the last ULID a page showed).
    pub fn after(prev: Ulid) -> Self {
        MonotonicUlid { last: Some(prev) }
    }

    /// The next ULID at clock reading `now_ms`.
    pub fn next(&mut self, now_ms: u64, entropy: &mut impl Entropy) -> Result<Ulid, GenError> {
        if now_ms > MAX_TIME {
            return Err(GenError::OutOfRange { now_ms });
        }
        let next = match self.last {
            Some(last) if now_ms <= last.unix_ms() => {
                if last.random() == RANDOM_MASK {
                    return Err(GenError::Overflow);
                }
                Ulid(last.0 + 1)
            }
            _ => {
                let mut b = [0u8; 16];
                entropy.fill(&mut b[6..]);
                Ulid::new(now_ms, u128::from_be_bytes(b))
            }
        };
        self.last = Some(next);
        Ok(next)
    }
}

#[cfg(test)]
mod tests {
    use super::super::generate::FixedBytes;
    use super::*;

    /// The spec's own example, `ulid() // 01ARZ3NDEKTSV4RRFFQ69G5FAV`.
    #[test]
    fn the_spec_example_decodes_to_its_time() {
        let u = Ulid::parse("01ARZ3NDEKTSV4RRFFQ69G5FAV").unwrap();
        assert_eq!(u.unix_ms(), 1_469_922_850_259);
        assert_eq!(
            u.describe().utc.as_deref(),
            Some("2016-07-30T23:54:10.259Z")
        );
        assert_eq!(u.to_string(), "01ARZ3NDEKTSV4RRFFQ69G5FAV");
        assert_eq!(
            Ulid::parse("01arz3ndektsv4rrffq69g5fav"),
            Ok(u),
            "case insensitive"
        );
        assert_eq!(
            Ulid::parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ"),
            Ok(Ulid(u128::MAX))
        );
        assert_eq!(Ulid::new(MAX_TIME, 0).unix_ms(), 281_474_976_710_655);
    }

    /// The spec's monotonicity example: …VRZ is followed by …VS0 in the same millisecond, and
    /// …ZZZZZZZZZZZZZZZZ cannot be followed at all.
    #[test]
    fn the_spec_monotonic_examples() {
        let mut zeros = FixedBytes::new(&[]);
        let a = Ulid::parse("01BX5ZZKBKACTAV9WEVGEMMVRZ").unwrap();
        let mut g = MonotonicUlid::after(a);
        assert_eq!(
            g.next(a.unix_ms(), &mut zeros).unwrap().to_string(),
            "01BX5ZZKBKACTAV9WEVGEMMVS0"
        );
        assert_eq!(
            g.next(a.unix_ms() - 7, &mut zeros).unwrap().to_string(),
            "01BX5ZZKBKACTAV9WEVGEMMVS1"
        );
        let full = Ulid::parse("01BX5ZZKBKZZZZZZZZZZZZZZZZ").unwrap();
        let mut g = MonotonicUlid::after(full);
        assert_eq!(g.next(full.unix_ms(), &mut zeros), Err(GenError::Overflow));
        assert_eq!(
            g.next(full.unix_ms() + 1, &mut zeros).unwrap().to_string(),
            "01BX5ZZKBM0000000000000000"
        );
    }

    #[test]
    fn malformed_ulids_name_the_character() {
        let msg = |t: &str| Ulid::parse(t).unwrap_err().to_string();
        expect_test::expect!["character 1 ('8') is above 7: 26 characters would hold 130 bits, a ULID has 128, so the largest is 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"]
            .assert_eq(&msg("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));
        expect_test::expect!["character 4 ('L') is not in the ULID alphabet 0-9 A-Z without I, L, O, U (Crockford's base32 has no I or L; did you mean 1?)"]
            .assert_eq(&msg("01ALZ3NDEKTSV4RRFFQ69G5FAV"));
        expect_test::expect![
            "character 26 ('!') is not in the ULID alphabet 0-9 A-Z without I, L, O, U"
        ]
        .assert_eq(&msg("01ARZ3NDEKTSV4RRFFQ69G5FA!"));
    }
}
