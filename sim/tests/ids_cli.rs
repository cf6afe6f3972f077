//! `hopscope decode` and `hopscope run ids` through `cli::execute`, as the CLI contract says.

use hopscope_sim::cli::execute;

fn run(args: &[&str]) -> Result<String, String> {
    execute(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

#[test]
fn decode_prints_the_fields_of_a_tweet_id() {
    expect_test::expect![[r#"
        1212092628029698048
        Snowflake (Twitter layout, epoch 1288834974657)
        time  2019-12-31T19:26:16.771Z
        bits  0 00100001101001000110111110100101100000010 01010 00111 000000000000

        bits   field             value         meaning
        0      unused bit        0             always 0, so the ID stays a positive signed 64-bit integer
        1-41   41-bit timestamp  288985402114  2019-12-31T19:26:16.771Z: 288985402114 ms after Twitter's epoch 1288834974657 (2010-11-04T01:42:54.657Z)
        42-46  5-bit datacenter  10            datacenter 10
        47-51  5-bit worker      7             worker 7 in datacenter 10
        52-63  12-bit sequence   0             ID number 1 of this millisecond on this worker (of at most 4096)
        (a decimal ID does not say its layout: --as sonyflake or --as ticket reads it otherwise, --epoch sets another Snowflake epoch)
    "#]]
    .assert_eq(&run(&["decode", "1212092628029698048"]).unwrap());
}

#[test]
fn decode_reads_uuids_ulids_and_the_chosen_layout() {
    let v7 = run(&["decode", "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"]).unwrap();
    assert!(
        v7.contains("UUID version 7 (RFC 9562)\ntime  2022-02-22T19:22:22.000Z\n"),
        "{v7}"
    );
    let ulid = run(&["decode", "01ARZ3NDEKTSV4RRFFQ69G5FAV"]).unwrap();
    assert!(ulid.contains("time  2016-07-30T23:54:10.259Z"), "{ulid}");
    let sony = run(&["decode", "494152093532160001", "--as", "sonyflake"]).unwrap();
    assert!(sony.contains("time  2024-01-01T00:00:00.000Z"), "{sony}");
    let discord = run(&["decode", "175928847299117063", "--epoch", "1420070400000"]).unwrap();
    assert!(
        discord.contains("time  2016-04-30T11:18:25.796Z"),
        "{discord}"
    );
    let json: serde_json::Value = serde_json::from_str(
        &run(&["decode", "919108f7-52d1-4320-9bac-f847db4148a8", "--json"]).unwrap(),
    )
    .unwrap();
    assert_eq!(json["format"], "uuid4");
    assert_eq!(json["fields"][1]["raw"], "4");
}

#[test]
fn decode_errors_are_one_line_and_say_where() {
    use expect_test::expect;
    let err = |args: &[&str]| {
        let e = run(args).expect_err("should fail");
        assert!(!e.contains('\n'), "one line: {e}");
        e
    };
    expect![[r#"decode "017f22e2-79b0-7cc3-98c4-dc0c0c07398g": character 36 ('g') is not a hexadecimal digit"#]]
        .assert_eq(&err(&["decode", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g"]));
    expect![[r#"decode "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f": bits 64–65 (variant) are 11, not 10: character 20 is 'c' but an RFC 9562 UUID has 8, 9, a or b there (c–d is Microsoft's, e–f is reserved)"#]]
        .assert_eq(&err(&["decode", "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f"]));
    expect![[r#"decode "9ZZZZZZZZZZZZZZZZZZZZZZZZZ": character 1 ('9') is above 7: 26 characters would hold 130 bits, a ULID has 128, so the largest is 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"#]]
        .assert_eq(&err(&["decode", "9ZZZZZZZZZZZZZZZZZZZZZZZZZ"]));
    expect![[r#"--as "v4": expected one of auto, snowflake, sonyflake, uuid, ulid, ticket"#]]
        .assert_eq(&err(&["decode", "1", "--as", "v4"]));
    expect![[r#"decode: one ID at a time, got a second: "2""#]]
        .assert_eq(&err(&["decode", "1", "2"]));
    expect![[r#"--epoch="soon": expected Unix milliseconds, a non-negative integer"#]]
        .assert_eq(&err(&["decode", "1", "--epoch", "soon"]));
    assert!(err(&["decode"]).starts_with("decode: which ID? usage: "));
}

#[test]
fn run_ids_gives_the_documented_result() {
    let out = run(&[
        "run",
        "ids",
        "--set",
        "generator=ulid",
        "--set",
        "count=30",
        "--summary",
    ])
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &doc["result"];
    for key in [
        "ids",
        "decoded",
        "duplicates",
        "inversions",
        "waits",
        "refusals",
        "failures",
        "page_splits",
        "index",
        "latency_us",
        "per_worker",
    ] {
        assert!(r.get(key).is_some(), "result.{key}");
    }
    let ids = r["ids"].as_array().unwrap();
    assert_eq!(ids.len(), 30);
    assert!(ids.iter().all(|v| v.as_str().unwrap().len() == 26));
    let err = run(&["run", "ids", "--set", "generator=ulid", "--set", "rate=0"]).unwrap_err();
    assert_eq!(err, r#"rate="0": expected a number from 0.1 to 100000000"#);
}
