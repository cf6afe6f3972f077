//! The ID formats against their specifications' own examples, through the public API the web
//! page uses (`hopscope_sim::ids`), and strict decoding errors as one-line expectations.

use expect_test::{expect, Expect};
use hopscope_sim::ids::generate::FixedBytes;
use hopscope_sim::ids::snowflake::{self, OnBackwards, Snowflake, TWITTER_EPOCH_MS};
use hopscope_sim::ids::sonyflake::{self, Sonyflake};
use hopscope_sim::ids::ulid::{MonotonicUlid, Ulid};
use hopscope_sim::ids::uuid::{Uuid, UuidV7Generator};
use hopscope_sim::ids::{decode, decode_with, DecodeOptions, ErrorAt, Format, GenError, Reading};

/// `format key=raw …` of a decoded ID, one line.
fn fields(text: &str) -> String {
    let d = decode(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let f: Vec<String> = d
        .fields
        .iter()
        .map(|f| format!("{}[{}+{}]={}", f.key, f.offset, f.width, f.raw))
        .collect();
    format!(
        "{:?} {} {}",
        d.format,
        d.utc.unwrap_or_default(),
        f.join(" ")
    )
}

#[test]
fn the_specs_own_examples_decode() {
    // Twitter API docs: Tweet 1212092628029698048, created_at 2019-12-31T19:26:16.000Z.
    expect!["Snowflake 2019-12-31T19:26:16.771Z unused[0+1]=0 timestamp[1+41]=288985402114 datacenter[42+5]=10 worker[47+5]=7 sequence[52+12]=0"]
        .assert_eq(&fields("1212092628029698048"));
    // RFC 9562 Appendix A.3 and A.6.
    expect!["UuidV4  random_a[0+48]=160052106711761 ver[48+4]=4 random_b[52+12]=800 var[64+2]=2 random_c[66+62]=1994241722523142312"]
        .assert_eq(&fields("919108f7-52d1-4320-9bac-f847db4148a8"));
    expect!["UuidV7 2022-02-22T19:22:22.000Z unix_ts_ms[0+48]=1645557742000 ver[48+4]=7 rand_a[52+12]=3267 var[64+2]=2 rand_b[66+62]=1784793296645077391"]
        .assert_eq(&fields("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"));
    // ulid/spec README: `ulid() // 01ARZ3NDEKTSV4RRFFQ69G5FAV`.
    expect!["Ulid 2016-07-30T23:54:10.259Z timestamp[0+48]=1469922850259 randomness[48+80]=1012768647078601740696923"]
        .assert_eq(&fields("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
}

#[test]
fn the_rfc_vectors_are_rebuilt_from_their_fixed_inputs() {
    let a3 = Uuid::v4_from(&mut FixedBytes::new(
        &0x9191_08F7_52D1_3320_5BAC_F847_DB41_48A8_u128.to_be_bytes(),
    ));
    assert_eq!(a3.to_string(), "919108f7-52d1-4320-9bac-f847db4148a8");
    let a6 = Uuid::v7(0x017F_22E2_79B0, 0xCC3, 0x18C4_DC0C_0C07_398F);
    assert_eq!(a6.to_string(), "017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
    assert_eq!(decode(&a6.to_string()).unwrap().value, a6.0);
}

#[test]
fn generators_with_time_as_an_argument() {
    // Live mode passes the browser clock; the same calls with fixed times give fixed IDs.
    let mut sf = Snowflake::new(10, 7, TWITTER_EPOCH_MS, OnBackwards::Refuse).unwrap();
    assert_eq!(sf.next_id(1_577_820_376_771), Ok(1_212_092_628_029_698_048));
    assert_eq!(sf.next_id(1_577_820_376_771), Ok(1_212_092_628_029_698_049));
    assert_eq!(
        sf.next_id(1_577_820_376_000),
        Err(GenError::ClockBackwards {
            now_ms: 1_577_820_376_000,
            last_ms: 1_577_820_376_771
        })
    );
    let mut sony = Sonyflake::new(
        sonyflake::machine_id_from_ip([10, 0, 1, 2]),
        sonyflake::DEFAULT_START_MS,
    );
    let id = sony
        .next_id(sonyflake::DEFAULT_START_MS + 10_000)
        .unwrap()
        .id;
    assert_eq!(sonyflake::unpack(id), (1_000, 0, 0x0102));
    let mut v7 = UuidV7Generator::new();
    let u = v7
        .next(1_645_557_742_000, &mut FixedBytes::new(&[0; 10]))
        .unwrap();
    assert_eq!(u.to_string(), "017f22e2-79b0-7000-8000-000000000000");
    let mut ul = MonotonicUlid::new();
    let a = ul
        .next(1_469_922_850_259, &mut FixedBytes::new(&[0xAB; 10]))
        .unwrap();
    let b = ul
        .next(1_469_922_850_259, &mut FixedBytes::new(&[]))
        .unwrap();
    assert_eq!(
        (a.to_string().as_str(), b.0 - a.0),
        ("01ARZ3NDEKNENTQAXBNENTQAXB", 1)
    );
    assert_eq!(Ulid::parse(&b.to_string()), Ok(b));
}

#[test]
fn decimal_ids_are_read_as_the_reader_says() {
    let opts = |reading, epoch| DecodeOptions {
        reading,
        snowflake_epoch_ms: epoch,
        ..DecodeOptions::default()
    };
    // Discord's epoch (2015-01-01) read of a Snowflake-layout ID.
    let d = decode_with(
        "175928847299117063",
        &opts(Reading::Snowflake, 1_420_070_400_000),
    )
    .unwrap();
    assert_eq!(d.utc.as_deref(), Some("2016-04-30T11:18:25.796Z"));
    let t = decode_with("8", &opts(Reading::Ticket, 0)).unwrap();
    assert_eq!(t.format, Format::Ticket);
    assert!(t.fields[0].meaning.starts_with("even → ticket server 2"));
}

fn check_err(text: &str, want: Expect) {
    let e = decode(text).expect_err(text);
    let at = match e.at {
        Some(ErrorAt::Char(i)) => format!("char {i}"),
        Some(ErrorAt::Bits { first, last }) => format!("bits {first}-{last}"),
        Some(ErrorAt::Length) => "length".into(),
        None => "-".into(),
    };
    want.assert_eq(&format!("{at}: {e}"));
}

#[test]
fn malformed_ids_say_which_character_or_bit() {
    check_err("", expect!["length: empty: expected a decimal Snowflake ID (up to 19 digits), a UUID (36 characters, 8-4-4-4-12 hex digits) or a ULID (26 characters)"]);
    check_err(
        "017f22e2-79b0-7cc3-98c4-dc0c0c07398",
        expect!["length: a UUID is 36 characters (8-4-4-4-12 hex digits with hyphens); got 35"],
    );
    check_err(
        "017f22e2-79b0-7cc3-98c4-dc0c0c0739zf",
        expect!["char 34: character 35 ('z') is not a hexadecimal digit"],
    );
    check_err("017f22e2-79b0-8cc3-98c4-dc0c0c07398f", expect!["bits 48-51: bits 48–51 (version) are 1000 = version 8 (character 15 is '8'): Hopscope decodes versions 4 (0100) and 7 (0111)"]);
    check_err("017f22e2-79b0-7cc3-e8c4-dc0c0c07398f", expect!["bits 64-65: bits 64–65 (variant) are 11, not 10: character 20 is 'e' but an RFC 9562 UUID has 8, 9, a or b there (c–d is Microsoft's, e–f is reserved)"]);
    check_err("ffffffff-ffff-ffff-ffff-ffffffffffff", expect!["-: this is the Max UUID (all 128 bits 1, RFC 9562 §5.10): a special value with no version and no fields"]);
    check_err("8ZZZZZZZZZZZZZZZZZZZZZZZZZ", expect!["char 0: character 1 ('8') is above 7: 26 characters would hold 130 bits, a ULID has 128, so the largest is 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"]);
    check_err("01ARZ3NDEKTSV4RRFFQ69G5FOV", expect!["char 24: character 25 ('O') is not in the ULID alphabet 0-9 A-Z without I, L, O, U (Crockford's base32 has no O; did you mean 0?)"]);
    check_err("9223372036854775808", expect!["bits 0-0: bit 0 (the unused top bit) is 1: a Snowflake ID is a positive signed 64-bit integer, below 2^63"]);
    check_err("18446744073709551616", expect!["length: 20 digits is larger than 2^64 − 1 = 18446744073709551615: no 64-bit ID is this big"]);
    check_err(
        "0042",
        expect!["char 0: character 1 ('0') is a leading zero: decimal IDs are written without one"],
    );
    check_err(
        "12 34",
        expect!["char 2: character 3 (U+0020) is not a decimal digit"],
    );
    check_err("hello", expect!["length: not a supported ID (5 characters): expected a decimal Snowflake ID (up to 19 digits), a UUID (36 characters, 8-4-4-4-12 hex digits) or a ULID (26 characters)"]);
    // Surrounding whitespace (a paste with a newline) is fine; positions still count from the start.
    assert!(decode(" 017f22e2-79b0-7cc3-98c4-dc0c0c07398f\n").is_ok());
    assert_eq!(
        decode("  01ARZ3NDEKTSV4RRFFQ69G5FOV").unwrap_err().at,
        Some(ErrorAt::Char(26))
    );
    let sony = decode_with(
        "9223372036854775808",
        &DecodeOptions {
            reading: Reading::Sonyflake,
            ..DecodeOptions::default()
        },
    );
    assert_eq!(
        sony.unwrap_err().at,
        Some(ErrorAt::Bits { first: 0, last: 0 })
    );
}

#[test]
fn snowflake_layout_constants() {
    assert_eq!(snowflake::MAX_SEQUENCE, 4095);
    assert_eq!(snowflake::MAX_NODE_ID, 31);
    assert_eq!(
        snowflake::unpack(1_212_092_628_029_698_048).timestamp + TWITTER_EPOCH_MS,
        1_577_820_376_771
    );
}
