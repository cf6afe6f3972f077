//! UUID versions 4 and 7 exactly as RFC 9562 (May 2024) defines them.
//!
//! Both are 128 bits with the version in bits 48–51 and the variant `10` in bits 64–65
//! (§4.1, §4.2; bits are numbered from the most significant, as the RFC's figures draw them):
//!
//! ```text
//! v4 (§5.4): random_a 48 | ver 0100 | random_b 12 | var 10 | random_c 62
//! v7 (§5.7): unix_ts_ms 48 | ver 0111 | rand_a 12  | var 10 | rand_b 62
//! ```
//!
//! The text form is 8-4-4-4-12 hex digits, lower case on output and either case on input (§4).
//!
//! Monotonicity of v7 (§6.2) follows **Method 1, "Fixed Bit-Length Dedicated Counter"**, with
//! `rand_a` as a 12-bit counter: on each new millisecond the counter is seeded with random bits
//! except its leftmost bit, which starts at 0 as the §6.2 "Counter Rollover Guard" (so at least
//! 2048 IDs fit in every millisecond); within the millisecond it is incremented; `rand_b` is
//! fresh random data for every UUID. When the counter would roll over, the generator "freezes
//! the counter and waits for the timestamp to advance" (§6.2, Counter Rollover Handling). When
//! the clock reads *earlier* than the last timestamp used, it "reuses the previous timestamp and
//! increments the previous counter" (§6.2, Monotonic Error Checking), so its UUIDs stay in order.

use super::decode::{show, DecodeError, Decoded, ErrorAt, Field, Format};
use super::generate::{Entropy, GenError, WaitReason};
use super::utc::format_unix_ms;
use std::borrow::Cow;
use std::fmt;

/// A UUID as a 128-bit integer whose most significant byte is the first octet (§4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid(pub u128);

const VERSION_SHIFT: u32 = 76;
const VARIANT_SHIFT: u32 = 62;
const VERSION_MASK: u128 = 0xF << VERSION_SHIFT;
const VARIANT_MASK: u128 = 0b11 << VARIANT_SHIFT;
const RFC_VARIANT: u128 = 0b10;
const LOW_62: u128 = (1 << 62) - 1;
/// The largest 48-bit millisecond timestamp (year 10889).
pub const MAX_UNIX_TS_MS: u64 = (1 << 48) - 1;

impl Uuid {
    pub fn from_bytes(b: [u8; 16]) -> Uuid {
        Uuid(u128::from_be_bytes(b))
    }

    pub fn to_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }

    /// Bits 48–51.
    pub fn version(self) -> u8 {
        ((self.0 >> VERSION_SHIFT) & 0xF) as u8
    }

    /// Bits 64–65 (the RFC 9562 variant is `0b10`).
    pub fn variant_bits(self) -> u8 {
        ((self.0 >> VARIANT_SHIFT) & 0b11) as u8
    }

    /// Version 4 from 16 random bytes: the version and variant bits are overwritten, the other
    /// 122 bits are kept (§5.4; Appendix A.3 shows exactly this with fixed bytes).
    pub fn v4(random: [u8; 16]) -> Uuid {
        let v = u128::from_be_bytes(random);
        Uuid(
            (v & !VERSION_MASK & !VARIANT_MASK)
                | (4 << VERSION_SHIFT)
                | (RFC_VARIANT << VARIANT_SHIFT),
        )
    }

    /// Version 4 from an entropy source (16 bytes).
    pub fn v4_from(entropy: &mut impl Entropy) -> Uuid {
        let mut b = [0u8; 16];
        entropy.fill(&mut b);
        Uuid::v4(b)
    }

    /// Version 7 from its fields (§5.7): 48-bit Unix ms, 12-bit `rand_a`, 62-bit `rand_b`
    /// (each masked to its width).
    pub fn v7(unix_ts_ms: u64, rand_a: u16, rand_b: u64) -> Uuid {
        Uuid(
            (u128::from(unix_ts_ms & MAX_UNIX_TS_MS) << 80)
                | (7 << VERSION_SHIFT)
                | (u128::from(rand_a & 0xFFF) << 64)
                | (RFC_VARIANT << VARIANT_SHIFT)
                | (u128::from(rand_b) & LOW_62),
        )
    }

    /// Version 7 `unix_ts_ms` (bits 0–47).
    pub fn unix_ts_ms(self) -> u64 {
        (self.0 >> 80) as u64
    }

    /// Parses the 8-4-4-4-12 form (either case; an optional `urn:uuid:` prefix, §4) of any
    /// version. The version and variant are judged by [`Uuid::describe`].
    pub fn parse(text: &str) -> Result<Uuid, DecodeError> {
        let chars: Vec<char> = text.chars().collect();
        let skip = if text
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:uuid:"))
        {
            9
        } else {
            0
        };
        let body = &chars[skip..];
        if body.len() != 36 {
            return Err(DecodeError::length(format!(
                "a UUID is 36 characters (8-4-4-4-12 hex digits with hyphens); got {}",
                body.len()
            )));
        }
        let mut v: u128 = 0;
        for (i, &c) in body.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != '-' {
                    return Err(DecodeError::char(
                        skip + i,
                        c,
                        "should be a hyphen (8-4-4-4-12)",
                    ));
                }
                continue;
            }
            let Some(d) = c.to_digit(16) else {
                return Err(DecodeError::char(skip + i, c, "is not a hexadecimal digit"));
            };
            v = (v << 4) | u128::from(d);
        }
        Ok(Uuid(v))
    }

    /// The fields of a version 4 or 7 UUID with the RFC 9562 variant; otherwise an error naming
    /// the bits (and the character that holds them).
    pub fn describe(self) -> Result<Decoded, DecodeError> {
        let text = self.to_string();
        if self.0 == 0 || self.0 == u128::MAX {
            let (name, all, section) = if self.0 == 0 {
                ("Nil", 0, "5.9")
            } else {
                ("Max", 1, "5.10")
            };
            return Err(DecodeError::new(
                None,
                format!("this is the {name} UUID (all 128 bits {all}, RFC 9562 §{section}): a special value with no version and no fields"),
            ));
        }
        let variant = self.variant_bits();
        if variant >> 1 != 1 || variant == 0b11 {
            let ch = text.chars().nth(19).unwrap_or('?');
            return Err(DecodeError {
                at: Some(ErrorAt::Bits { first: 64, last: 65 }),
                message: format!(
                    "bits 64–65 (variant) are {variant:02b}, not 10: character 20 is {} but an RFC 9562 UUID has 8, 9, a or b there{}",
                    show(ch),
                    match variant {
                        0b00 | 0b01 => " (0–7 is the old NCS variant)",
                        _ => " (c–d is Microsoft's, e–f is reserved)",
                    }
                ),
            });
        }
        let version = self.version();
        let (format, fields) = match version {
            4 => (Format::UuidV4, self.v4_fields()),
            7 => (Format::UuidV7, self.v7_fields()),
            _ => {
                let ch = text.chars().nth(14).unwrap_or('?');
                return Err(DecodeError {
                    at: Some(ErrorAt::Bits { first: 48, last: 51 }),
                    message: format!(
                        "bits 48–51 (version) are {version:04b} = version {version} (character 15 is {}): Hopscope decodes versions 4 (0100) and 7 (0111){}",
                        show(ch),
                        match version {
                            1 | 6 => "; it is a Gregorian-time UUID",
                            3 | 5 => "; it is a name-based (hashed) UUID",
                            _ => "",
                        }
                    ),
                });
            }
        };
        let unix = (format == Format::UuidV7).then(|| self.unix_ts_ms() as i64);
        Ok(Decoded {
            format,
            title: format!("UUID version {version} (RFC 9562)"),
            canonical: text,
            width: 128,
            value: self.0,
            unix_ms: unix,
            utc: unix.map(format_unix_ms),
            fields,
        })
    }

    fn ver_var(self) -> [Field; 2] {
        let version = self.version();
        [
            Field {
                key: Cow::Borrowed("ver"),
                label: Cow::Borrowed("4-bit version"),
                offset: 48,
                width: 4,
                raw: u128::from(version),
                meaning: if version == 4 {
                    "version 4: random".into()
                } else {
                    "version 7: Unix-time ordered".into()
                },
            },
            Field {
                key: Cow::Borrowed("var"),
                label: Cow::Borrowed("2-bit variant"),
                offset: 64,
                width: 2,
                raw: 0b10,
                meaning: "variant 10: the RFC 9562 layout".into(),
            },
        ]
    }

    fn v4_fields(self) -> Vec<Field> {
        let [ver, var] = self.ver_var();
        vec![
            Field {
                key: Cow::Borrowed("random_a"),
                label: Cow::Borrowed("48 random bits"),
                offset: 0,
                width: 48,
                raw: self.0 >> 80,
                meaning: "random".into(),
            },
            ver,
            Field {
                key: Cow::Borrowed("random_b"),
                label: Cow::Borrowed("12 random bits"),
                offset: 52,
                width: 12,
                raw: (self.0 >> 64) & 0xFFF,
                meaning: "random".into(),
            },
            var,
            Field {
                key: Cow::Borrowed("random_c"),
                label: Cow::Borrowed("62 random bits"),
                offset: 66,
                width: 62,
                raw: self.0 & LOW_62,
                meaning: "random (122 random bits in all)".into(),
            },
        ]
    }

    fn v7_fields(self) -> Vec<Field> {
        let [ver, var] = self.ver_var();
        let ms = self.unix_ts_ms();
        vec![
            Field {
                key: Cow::Borrowed("unix_ts_ms"),
                label: Cow::Borrowed("48-bit Unix milliseconds"),
                offset: 0,
                width: 48,
                raw: u128::from(ms),
                meaning: format!(
                    "{} ({ms} ms since 1970-01-01T00:00:00Z)",
                    format_unix_ms(ms as i64)
                ),
            },
            ver,
            Field {
                key: Cow::Borrowed("rand_a"),
                label: Cow::Borrowed("12-bit rand_a"),
                offset: 52,
                width: 12,
                raw: (self.0 >> 64) & 0xFFF,
                meaning: "random, or a counter within the millisecond (§6.2 Method 1)".into(),
            },
            var,
            Field {
                key: Cow::Borrowed("rand_b"),
                label: Cow::Borrowed("62-bit rand_b"),
                offset: 66,
                width: 62,
                raw: self.0 & LOW_62,
                meaning: "random".into(),
            },
        ]
    }
}

/// Lower-case 8-4-4-4-12 (§4: "output MUST be lowercase").
impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let h = format!("{:032x}", self.0);
        write!(
            f,
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    }
}

/// A UUIDv7 generator with the §6.2 Method 1 counter described in the module docs.
#[derive(Clone, Debug, Default)]
pub struct UuidV7Generator {
    last_ms: Option<u64>,
    counter: u16,
}

impl UuidV7Generator {
    pub fn new() -> Self {
        Self::default()
    }

    /// The next UUIDv7 at clock reading `now_ms` (Unix ms).
    pub fn next(&mut self, now_ms: u64, entropy: &mut impl Entropy) -> Result<Uuid, GenError> {
        if now_ms > MAX_UNIX_TS_MS {
            return Err(GenError::OutOfRange { now_ms });
        }
        let (ts, counter) = match self.last_ms {
            Some(last) if now_ms <= last => {
                if self.counter == 0xFFF {
                    return Err(GenError::Wait {
                        until_ms: last + 1,
                        reason: WaitReason::CounterRollover,
                    });
                }
                (last, self.counter + 1)
            }
            _ => {
                let mut seed = [0u8; 2];
                entropy.fill(&mut seed);
                // 11 random bits; the counter's leftmost bit starts at 0 (the rollover guard).
                (now_ms, u16::from_be_bytes(seed) & 0x7FF)
            }
        };
        let mut rb = [0u8; 8];
        entropy.fill(&mut rb);
        self.last_ms = Some(ts);
        self.counter = counter;
        Ok(Uuid::v7(ts, counter, u64::from_be_bytes(rb)))
    }

    /// The counter in `rand_a` of the last UUID.
    pub fn counter(&self) -> u16 {
        self.counter
    }
}

#[cfg(test)]
mod tests {
    use super::super::generate::FixedBytes;
    use super::*;

    /// RFC 9562 Appendix A.3: 16 random bytes 919108F752D133205BACF847DB4148A8, with version and
    /// variant filled in, give 919108f7-52d1-4320-9bac-f847db4148a8.
    #[test]
    fn rfc_9562_a3_v4_from_its_fixed_bytes() {
        let bytes = 0x9191_08F7_52D1_3320_5BAC_F847_DB41_48A8_u128.to_be_bytes();
        let u = Uuid::v4_from(&mut FixedBytes::new(&bytes));
        assert_eq!(u.to_string(), "919108f7-52d1-4320-9bac-f847db4148a8");
        let d = u.describe().unwrap();
        let raw: Vec<(&str, u128)> = d.fields.iter().map(|f| (&*f.key, f.raw)).collect();
        assert_eq!(
            raw,
            vec![
                ("random_a", 0x9191_08f7_52d1),
                ("ver", 4),
                ("random_b", 0x320),
                ("var", 0b10),
                ("random_c", 0x1bac_f847_db41_48a8)
            ]
        );
    }

    /// RFC 9562 Appendix A.6: unix_ts_ms 0x017F22E279B0 (2022-02-22 14:22:22 −05:00), rand_a
    /// 0xCC3, rand_b 0b01 + 0x8C4DC0C0C07398F give 017f22e2-79b0-7cc3-98c4-dc0c0c07398f.
    #[test]
    fn rfc_9562_a6_v7_from_its_fixed_inputs() {
        let u = Uuid::v7(0x017F_22E2_79B0, 0xCC3, 0x18C4_DC0C_0C07_398F);
        assert_eq!(u.to_string(), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
        let d = u.describe().unwrap();
        assert_eq!(d.unix_ms, Some(1_645_557_742_000));
        assert_eq!(d.utc.as_deref(), Some("2022-02-22T19:22:22.000Z"));
        assert_eq!(d.fields[2].raw, 0xCC3);
        assert_eq!(d.fields[4].raw, 0x18C4_DC0C_0C07_398F);
        // The same UUID from the generator, fed the example's random bits: counter seed 0x4C3
        // (the guard bit clears 0x800, and 0xCC3 & 0x7FF = 0x4C3), so the generator gives rand_a
        // 0x4C3, not 0xCC3: Method 1 never starts a counter in its upper half.
        let mut g = UuidV7Generator::new();
        let rand = [0x0C, 0xC3, 0x18, 0xC4, 0xDC, 0x0C, 0x0C, 0x07, 0x39, 0x8F];
        let v = g
            .next(0x017F_22E2_79B0, &mut FixedBytes::new(&rand))
            .unwrap();
        assert_eq!(v.to_string(), "017f22e2-79b0-74c3-98c4-dc0c0c07398f");
    }

    #[test]
    fn parse_accepts_either_case_and_the_urn_form() {
        let want = Uuid::v7(0x017F_22E2_79B0, 0xCC3, 0x18C4_DC0C_0C07_398F);
        for t in [
            "017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
            "017F22E2-79B0-7CC3-98C4-DC0C0C07398F",
            "urn:uuid:017f22e2-79b0-7cc3-98c4-dc0c0c07398f",
        ] {
            assert_eq!(Uuid::parse(t), Ok(want), "{t}");
        }
    }

    #[test]
    fn malformed_uuids_name_the_character_or_the_bits() {
        let msg = |t: &str| match Uuid::parse(t).and_then(Uuid::describe) {
            Ok(_) => "ok".to_string(),
            Err(e) => format!("{:?}: {e}", e.at.unwrap()),
        };
        expect_test::expect!["Char(3): character 4 ('g') is not a hexadecimal digit"]
            .assert_eq(&msg("017g22e2-79b0-7cc3-98c4-dc0c0c07398f"));
        expect_test::expect!["Char(8): character 9 ('_') should be a hyphen (8-4-4-4-12)"]
            .assert_eq(&msg("017f22e2_79b0-7cc3-98c4-dc0c0c07398f"));
        expect_test::expect![
            "Length: a UUID is 36 characters (8-4-4-4-12 hex digits with hyphens); got 35"
        ]
        .assert_eq(&msg("017f22e2-79b0-7cc3-98c4-dc0c0c07398"));
        expect_test::expect!["Bits { first: 48, last: 51 }: bits 48–51 (version) are 0001 = version 1 (character 15 is '1'): Hopscope decodes versions 4 (0100) and 7 (0111); it is a Gregorian-time UUID"]
            .assert_eq(&msg("c232ab00-9414-11ec-b3c8-9f6bdeced846"));
        expect_test::expect!["Bits { first: 64, last: 65 }: bits 64–65 (variant) are 11, not 10: character 20 is 'c' but an RFC 9562 UUID has 8, 9, a or b there (c–d is Microsoft's, e–f is reserved)"]
            .assert_eq(&msg("017f22e2-79b0-7cc3-c8c4-dc0c0c07398f"));
        expect_test::expect!["Bits { first: 64, last: 65 }: bits 64–65 (variant) are 01, not 10: character 20 is '4' but an RFC 9562 UUID has 8, 9, a or b there (0–7 is the old NCS variant)"]
            .assert_eq(&msg("017f22e2-79b0-7cc3-48c4-dc0c0c07398f"));
        let nil = Uuid::parse("00000000-0000-0000-0000-000000000000")
            .unwrap()
            .describe()
            .unwrap_err();
        assert_eq!(
            (nil.at, nil.message.starts_with("this is the Nil UUID")),
            (None, true)
        );
    }

    #[test]
    fn v7_counts_within_a_millisecond_and_reuses_the_time_when_the_clock_goes_back() {
        let mut g = UuidV7Generator::new();
        let mut e = FixedBytes::new(&[0xFF; 64]);
        let a = g.next(1_000, &mut e).unwrap();
        assert_eq!(
            (a.0 >> 64) & 0xFFF,
            0x7FF,
            "seeded with the guard bit clear"
        );
        let b = g.next(1_000, &mut e).unwrap();
        assert_eq!((b.0 >> 64) & 0xFFF, 0x800);
        let c = g.next(990, &mut e).unwrap();
        assert_eq!(
            c.unix_ts_ms(),
            1_000,
            "clock went back: previous timestamp reused"
        );
        assert!(a < b && b < c);
        for _ in 0..(0xFFF - 0x801) {
            g.next(1_000, &mut e).unwrap();
        }
        assert_eq!(g.counter(), 0xFFF);
        assert_eq!(
            g.next(1_000, &mut e),
            Err(GenError::Wait {
                until_ms: 1_001,
                reason: WaitReason::CounterRollover
            })
        );
        assert_eq!(g.next(1_001, &mut e).unwrap().unix_ts_ms(), 1_001);
    }
}
