//! Decoding a pasted ID of any supported format into its fields, strictly.
//!
//! `decode` recognises the text's shape: 36 characters with hyphens is a UUID (RFC 9562 §4),
//! 26 characters a ULID (ulid/spec), a decimal number a Snowflake ID. A decimal number carries no
//! mark of its layout, so [`decode_with`] lets the reader say "this is a Sonyflake ID" (or a
//! ticket, or a Snowflake ID with another epoch). Every field comes back with its bit range
//! (counted from the most significant bit, as RFC 9562 draws them), its raw value and its
//! meaning in words; every malformed ID comes back as a [`DecodeError`] that names the character
//! or the bits at fault, so a page can highlight them.

use super::{snowflake, sonyflake, ticket, ulid::Ulid, uuid::Uuid};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;

/// A format Hopscope decodes and generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Format {
    #[serde(rename = "snowflake")]
    Snowflake,
    #[serde(rename = "sonyflake")]
    Sonyflake,
    #[serde(rename = "uuid4")]
    UuidV4,
    #[serde(rename = "uuid7")]
    UuidV7,
    #[serde(rename = "ulid")]
    Ulid,
    #[serde(rename = "ticket")]
    Ticket,
    /// A central sequencer's plain counter.
    #[serde(rename = "central")]
    Counter,
}

impl Format {
    /// The name used in `--set generator=…` and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Format::Snowflake => "snowflake",
            Format::Sonyflake => "sonyflake",
            Format::UuidV4 => "uuid4",
            Format::UuidV7 => "uuid7",
            Format::Ulid => "ulid",
            Format::Ticket => "ticket",
            Format::Counter => "central",
        }
    }
}

/// How to read the text: decimal IDs need the reader to say which layout they follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reading {
    /// By shape: UUID, ULID, or (for a decimal number) Snowflake.
    Auto,
    Snowflake,
    Sonyflake,
    Uuid,
    Ulid,
    /// A Flickr ticket-server ID (two servers, odd/even).
    Ticket,
}

impl Reading {
    pub const NAMES: &'static [&'static str] =
        &["auto", "snowflake", "sonyflake", "uuid", "ulid", "ticket"];

    pub fn parse(name: &str) -> Option<Reading> {
        Some(match name {
            "auto" => Reading::Auto,
            "snowflake" => Reading::Snowflake,
            "sonyflake" => Reading::Sonyflake,
            "uuid" => Reading::Uuid,
            "ulid" => Reading::Ulid,
            "ticket" => Reading::Ticket,
            _ => return None,
        })
    }
}

/// Everything a decimal ID does not say about itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeOptions {
    pub reading: Reading,
    /// Snowflake's epoch in Unix ms (Twitter's 1288834974657 unless the issuer chose another).
    pub snowflake_epoch_ms: u64,
    /// Sonyflake's start time in Unix ms (2014-09-01T00:00:00Z unless configured).
    pub sonyflake_start_ms: u64,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        DecodeOptions {
            reading: Reading::Auto,
            snowflake_epoch_ms: snowflake::TWITTER_EPOCH_MS,
            sonyflake_start_ms: sonyflake::DEFAULT_START_MS,
        }
    }
}

/// One field of an ID: where its bits are, what they hold, what that means.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Field {
    /// A stable name, e.g. `timestamp`, `worker`, `ver`, `rand_b` (the spec's own where it has one).
    pub key: Cow<'static, str>,
    /// What a person reads, e.g. `41-bit timestamp`.
    pub label: Cow<'static, str>,
    /// The first bit, counted from the most significant bit of the ID (bit 0 is leftmost).
    pub offset: u32,
    /// How many bits.
    pub width: u32,
    /// The field's value (a decimal string in JSON, so no reader loses precision).
    #[serde(serialize_with = "decimal", deserialize_with = "from_decimal")]
    pub raw: u128,
    /// The value in words: a UTC date, "worker 7", "version 7 (Unix-time ordered)", …
    pub meaning: String,
}

/// A decoded ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoded {
    pub format: Format,
    /// What it was read as, e.g. `Snowflake (Twitter layout, epoch 1288834974657)`.
    pub title: String,
    /// The canonical text: decimal, lowercase 8-4-4-4-12 hex, or 26 upper-case Crockford
    /// characters.
    pub canonical: String,
    /// The ID's width in bits: 64 or 128.
    pub width: u32,
    /// The whole ID as an unsigned integer (a decimal string in JSON).
    #[serde(serialize_with = "decimal", deserialize_with = "from_decimal")]
    pub value: u128,
    /// When it was made, in Unix ms, for formats that carry a time.
    pub unix_ms: Option<i64>,
    /// The same instant as ISO 8601 UTC.
    pub utc: Option<String>,
    /// Every bit belongs to exactly one field; fields are in bit order.
    pub fields: Vec<Field>,
}

impl Decoded {
    /// The ID as a string of `width` `0`/`1` characters, most significant first: the row a bit
    /// anatomy view colours by [`Field::offset`] and [`Field::width`].
    pub fn bits(&self) -> String {
        (0..self.width)
            .map(|i| {
                if (self.value >> (self.width - 1 - i)) & 1 == 1 {
                    '1'
                } else {
                    '0'
                }
            })
            .collect()
    }

    /// The field that holds bit `bit` (counted from the left).
    pub fn field_at(&self, bit: u32) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| bit >= f.offset && bit < f.offset + f.width)
    }
}

fn decimal<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

/// The inverse of `decimal`: a decoded ID crosses from the engine to the page (bincode).
fn from_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
    let text = String::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// Where a decoding error is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorAt {
    /// The character at this index (0-based, in characters, in the text as given).
    Char(usize),
    /// These bits of the value (0-based from the most significant bit, inclusive).
    Bits { first: u32, last: u32 },
    /// The text's length is wrong.
    Length,
}

/// A malformed ID: what is wrong, in one line, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecodeError {
    pub at: Option<ErrorAt>,
    pub message: String,
}

impl DecodeError {
    pub fn new(at: Option<ErrorAt>, message: impl Into<String>) -> Self {
        DecodeError {
            at,
            message: message.into(),
        }
    }

    /// Character `index` (0-based) is wrong; the message counts from 1, as people do.
    pub fn char(index: usize, ch: char, what: &str) -> Self {
        DecodeError::new(
            Some(ErrorAt::Char(index)),
            format!("character {} ({}) {what}", index + 1, show(ch)),
        )
    }

    pub fn bits(first: u32, last: u32, message: impl Into<String>) -> Self {
        DecodeError::new(Some(ErrorAt::Bits { first, last }), message)
    }

    pub fn length(message: impl Into<String>) -> Self {
        DecodeError::new(Some(ErrorAt::Length), message)
    }

    /// Moves a character position right by `by` (the text had `by` characters trimmed before it).
    fn shifted(mut self, by: usize) -> Self {
        if let Some(ErrorAt::Char(i)) = self.at {
            if by > 0 {
                self.at = Some(ErrorAt::Char(i + by));
                self.message = self.message.replacen(
                    &format!("character {} ", i + 1),
                    &format!("character {} ", i + by + 1),
                    1,
                );
            }
        }
        self
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A character as a message shows it: `'g'`, or its code point when it is invisible.
pub fn show(ch: char) -> String {
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("'{ch}'")
    }
}

/// Decodes `text` by its shape, with the default epochs.
pub fn decode(text: &str) -> Result<Decoded, DecodeError> {
    decode_with(text, &DecodeOptions::default())
}

/// Decodes `text` as `opts.reading` says. Surrounding whitespace is ignored; positions in errors
/// still count from the start of `text`.
pub fn decode_with(text: &str, opts: &DecodeOptions) -> Result<Decoded, DecodeError> {
    let lead = text.chars().take_while(|c| c.is_whitespace()).count();
    let t = text.trim();
    decode_trimmed(t, opts).map_err(|e| e.shifted(lead))
}

fn decode_trimmed(t: &str, opts: &DecodeOptions) -> Result<Decoded, DecodeError> {
    let reading = match opts.reading {
        Reading::Auto => guess(t)?,
        r => r,
    };
    match reading {
        Reading::Uuid => Uuid::parse(t).and_then(Uuid::describe),
        Reading::Ulid => Ulid::parse(t).map(Ulid::describe),
        Reading::Snowflake => {
            let v = parse_decimal(t)?;
            snowflake::describe(v, opts.snowflake_epoch_ms)
        }
        Reading::Sonyflake => {
            let v = parse_decimal(t)?;
            sonyflake::describe(v, opts.sonyflake_start_ms)
        }
        Reading::Ticket => ticket::describe(parse_decimal(t)?),
        Reading::Auto => unreachable!("guess never answers Auto"),
    }
}

const EXPECTED: &str = "a decimal Snowflake ID (up to 19 digits), a UUID (36 characters, 8-4-4-4-12 hex digits) or a ULID (26 characters)";

/// Which format a text looks like; an error when it looks like none.
fn guess(t: &str) -> Result<Reading, DecodeError> {
    let n = t.chars().count();
    if n == 0 {
        return Err(DecodeError::length(format!("empty: expected {EXPECTED}")));
    }
    if t.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Reading::Snowflake);
    }
    if n == 36
        || t.contains('-')
        || t.get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("urn:uuid:"))
    {
        return Ok(Reading::Uuid);
    }
    if n == 26 {
        return Ok(Reading::Ulid);
    }
    if n == 32 && t.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(DecodeError::length(
            "32 hex digits without hyphens: write a UUID as 8-4-4-4-12 (36 characters)",
        ));
    }
    if (20..=32).contains(&n) && t.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(DecodeError::length(format!(
            "a ULID is 26 characters; got {n}"
        )));
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) && n <= 20 {
        return Ok(Reading::Snowflake);
    }
    Err(DecodeError::length(format!(
        "not a supported ID ({n} characters): expected {EXPECTED}"
    )))
}

/// A canonical unsigned decimal that fits in 64 bits: digits only, no sign, no leading zero.
pub fn parse_decimal(t: &str) -> Result<u64, DecodeError> {
    if t.is_empty() {
        return Err(DecodeError::length("empty: expected a decimal number"));
    }
    let mut v: u64 = 0;
    let mut overflow = false;
    for (i, c) in t.chars().enumerate() {
        let Some(d) = c.to_digit(10) else {
            return Err(DecodeError::char(i, c, "is not a decimal digit"));
        };
        if i == 0 && d == 0 && t.len() > 1 {
            return Err(DecodeError::char(
                0,
                c,
                "is a leading zero: decimal IDs are written without one",
            ));
        }
        match v.checked_mul(10).and_then(|x| x.checked_add(u64::from(d))) {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    if overflow {
        return Err(DecodeError::length(format!(
            "{} digits is larger than 2^64 − 1 = 18446744073709551615: no 64-bit ID is this big",
            t.chars().count()
        )));
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        decode(text).expect_err(text).to_string()
    }

    #[test]
    fn decimal_is_strict() {
        assert_eq!(parse_decimal("0"), Ok(0));
        assert_eq!(parse_decimal("18446744073709551615"), Ok(u64::MAX));
        assert!(parse_decimal("18446744073709551616").is_err());
        assert_eq!(
            parse_decimal("12a4").unwrap_err().at,
            Some(ErrorAt::Char(2))
        );
        assert_eq!(
            parse_decimal("0123").unwrap_err().at,
            Some(ErrorAt::Char(0))
        );
    }

    #[test]
    fn shapes_that_are_no_id_say_what_is_expected() {
        expect_test::expect!["empty: expected a decimal Snowflake ID (up to 19 digits), a UUID (36 characters, 8-4-4-4-12 hex digits) or a ULID (26 characters)"]
            .assert_eq(&err("   "));
        expect_test::expect![
            "32 hex digits without hyphens: write a UUID as 8-4-4-4-12 (36 characters)"
        ]
        .assert_eq(&err("919108f752d143209bacf847db4148a8"));
        expect_test::expect!["a ULID is 26 characters; got 25"]
            .assert_eq(&err("01ARZ3NDEKTSV4RRFFQ69G5FA"));
        expect_test::expect!["character 5 ('x') is not a decimal digit"].assert_eq(&err("1212x"));
    }

    #[test]
    fn positions_count_from_the_text_as_given() {
        let e = decode("  12x").unwrap_err();
        assert_eq!(e.at, Some(ErrorAt::Char(4)));
        assert_eq!(e.to_string(), "character 5 ('x') is not a decimal digit");
    }
}
