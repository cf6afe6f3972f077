//! Properties of the ID formats and generators: encode → decode round trips, the decoder never
//! panics on any text, and generators never repeat or reorder whatever their clocks do.
//! A failing case prints its inputs (proptest shrinks them); the seeds are in the inputs.

use hopscope_sim::ids::btree::BTree;
use hopscope_sim::ids::generate::FixedBytes;
use hopscope_sim::ids::snowflake::{self, OnBackwards, Parts, Snowflake};
use hopscope_sim::ids::sonyflake::{self, Sonyflake};
use hopscope_sim::ids::ulid::{MonotonicUlid, Ulid};
use hopscope_sim::ids::uuid::{Uuid, UuidV7Generator};
use hopscope_sim::ids::{decode, decode_with, DecodeOptions, ErrorAt, GenError, Reading};
use hopscope_sim::kernel::rng::SimRng;
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn snowflake_round_trips(ts in 0u64..(1 << 41), dc in 0u8..32, w in 0u8..32, seq in 0u16..4096) {
        let id = snowflake::pack(Parts { timestamp: ts, datacenter: dc, worker: w, sequence: seq });
        let d = decode(&id.to_string()).unwrap();
        let raw: Vec<u128> = d.fields.iter().map(|f| f.raw).collect();
        prop_assert_eq!(raw, vec![0, u128::from(ts), u128::from(dc), u128::from(w), u128::from(seq)]);
        prop_assert_eq!(d.value, u128::from(id));
        prop_assert_eq!(d.bits().len(), 64);
    }

    #[test]
    fn sonyflake_round_trips(id in 0u64..(1 << 63)) {
        let opts = DecodeOptions { reading: Reading::Sonyflake, ..DecodeOptions::default() };
        let d = decode_with(&id.to_string(), &opts).unwrap();
        let (t, s, m) = sonyflake::unpack(id);
        let raw: Vec<u128> = d.fields.iter().map(|f| f.raw).collect();
        prop_assert_eq!(raw, vec![0, u128::from(t), u128::from(s), u128::from(m)]);
    }

    #[test]
    fn uuid_v4_keeps_122_bits_and_round_trips(bytes in any::<[u8; 16]>()) {
        let u = Uuid::v4(bytes);
        let text = u.to_string();
        prop_assert_eq!(Uuid::parse(&text.to_uppercase()), Ok(u));
        let d = decode(&text).unwrap();
        prop_assert_eq!((d.value, u.version(), u.variant_bits()), (u.0, 4, 0b10));
        let mask: u128 = !((0xF << 76) | (0b11 << 62));
        prop_assert_eq!(u.0 & mask, u128::from_be_bytes(bytes) & mask);
    }

    #[test]
    fn uuid_v7_round_trips(ms in 0u64..(1 << 48), a in 0u16..4096, b in any::<u64>()) {
        let u = Uuid::v7(ms, a, b);
        let d = decode(&u.to_string()).unwrap();
        prop_assert_eq!(d.unix_ms, Some(ms as i64));
        prop_assert_eq!(d.fields[2].raw, u128::from(a));
        prop_assert_eq!(d.fields[4].raw, u128::from(b) & ((1 << 62) - 1));
    }

    #[test]
    fn ulid_round_trips(v in any::<u128>()) {
        let u = Ulid(v);
        let text = u.to_string();
        prop_assert_eq!(text.len(), 26);
        prop_assert_eq!(Ulid::parse(&text), Ok(u));
        prop_assert_eq!(Ulid::parse(&text.to_lowercase()), Ok(u));
        prop_assert_eq!(decode(&text).unwrap().value, v);
    }

    /// Whatever is pasted, decoding answers (never panics), and an error's position is inside
    /// the text or the 128 bits.
    #[test]
    fn any_text_decodes_or_errs_in_place(text in "\\PC{0,40}", reading in 0usize..6) {
        let reading = Reading::parse(Reading::NAMES[reading]).unwrap();
        let r = decode_with(&text, &DecodeOptions { reading, ..DecodeOptions::default() });
        if let Err(e) = r {
            prop_assert!(!e.message.is_empty() && !e.message.contains('\n'));
            match e.at {
                Some(ErrorAt::Char(i)) => prop_assert!(i < text.chars().count()),
                Some(ErrorAt::Bits { first, last }) => prop_assert!(first <= last && last < 128),
                _ => {}
            }
        }
    }

    /// Valid IDs with one character changed: still never a panic, and the same checks.
    #[test]
    fn mutated_ids_decode_or_err_in_place(which in 0usize..4, pos in 0usize..40, ch in any::<char>()) {
        let ids = ["1212092628029698048", "919108f7-52d1-4320-9bac-f847db4148a8", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f", "01ARZ3NDEKTSV4RRFFQ69G5FAV"];
        let mut chars: Vec<char> = ids[which].chars().collect();
        let pos = pos % chars.len();
        chars[pos] = ch;
        let text: String = chars.into_iter().collect();
        if let Err(e) = decode(&text) {
            if let Some(ErrorAt::Char(i)) = e.at {
                prop_assert!(i < text.chars().count());
            }
        }
    }

    /// A Snowflake worker's clock wanders back and forth: whatever the policy, the IDs it does
    /// issue strictly increase (so never repeat).
    #[test]
    fn snowflake_never_repeats_or_reorders(steps in prop::collection::vec(-5i64..6, 1..400), wait in any::<bool>()) {
        let policy = if wait { OnBackwards::Wait } else { OnBackwards::Refuse };
        let mut g = Snowflake::new(1, 1, snowflake::TWITTER_EPOCH_MS, policy).unwrap();
        let mut now = snowflake::TWITTER_EPOCH_MS + 1_000;
        let mut last = 0;
        for s in steps {
            now = now.saturating_add_signed(s);
            match g.next_id(now) {
                Ok(id) => { prop_assert!(id > last); last = id; }
                Err(GenError::Wait { until_ms, .. }) => prop_assert!(until_ms > now),
                Err(GenError::ClockBackwards { now_ms, last_ms }) => prop_assert!(!wait && now_ms < last_ms),
                Err(e) => prop_assert!(false, "{e}"),
            }
        }
    }

    /// UUIDv7 (RFC 9562 §6.2 method 1) and monotonic ULIDs strictly increase however the clock
    /// moves; Sonyflake too.
    #[test]
    fn time_ordered_generators_stay_monotonic(steps in prop::collection::vec(-3i64..4, 1..3000), seed in any::<u64>()) {
        let mut rng = SimRng::new(seed, 9);
        let (mut v7, mut ulid) = (UuidV7Generator::new(), MonotonicUlid::new());
        let mut sony = Sonyflake::new(3, sonyflake::DEFAULT_START_MS);
        let mut now = 1_700_000_000_000u64;
        let (mut a, mut b, mut c) = (0u128, 0u128, 0u64);
        for s in steps {
            now = now.saturating_add_signed(s);
            if let Ok(u) = v7.next(now, &mut rng) { prop_assert!(u.0 > a); a = u.0; }
            if let Ok(u) = ulid.next(now, &mut rng) { prop_assert!(u.0 > b); b = u.0; }
            let i = sony.next_id(now).unwrap();
            prop_assert!(i.id > c);
            c = i.id;
        }
    }

    /// The B+tree model holds exactly the distinct keys inserted, in order, with no page over
    /// capacity (checked while walking it).
    #[test]
    fn btree_holds_exactly_the_distinct_keys(keys in prop::collection::vec(any::<u16>(), 0..2000), cap in 3usize..20) {
        let mut t = BTree::new(cap);
        for &k in &keys { t.insert(u128::from(k)); }
        let mut want: Vec<u128> = keys.iter().map(|&k| u128::from(k)).collect();
        want.sort_unstable();
        want.dedup();
        prop_assert_eq!(t.keys_in_order(), want.clone());
        prop_assert_eq!(t.totals().inserts as usize, want.len());
        prop_assert_eq!(t.totals().duplicates as usize, keys.len() - want.len());
    }
}

#[test]
fn fixed_bytes_make_a_deterministic_v4() {
    let u = Uuid::v4_from(&mut FixedBytes::new(&[0xFF; 16]));
    assert_eq!(u.to_string(), "ffffffff-ffff-4fff-bfff-ffffffffffff");
}
