//! Data-driven cases for the postMessage protocol: the message beside what the embed makes of it.

use super::*;
use expect_test::{expect, Expect};

/// Parses one JSON message and prints the request, the error event it earns, or `ignored`.
fn check(message: &str, want: Expect) {
    let value: Value = serde_json::from_str(message).expect("test input is JSON");
    let out = match parse(&value) {
        None => "ignored".to_string(),
        Some(Ok(req)) => format!("{:?} id={:?}", req.command, req.id),
        Some(Err(error)) => Event::Error {
            scenario: "lb".into(),
            error,
        }
        .to_json()
        .to_string(),
    };
    want.assert_eq(&out);
}

#[test]
fn messages_not_for_us_are_ignored() {
    check(r#""play""#, expect!["ignored"]);
    check(r#"[1,2]"#, expect!["ignored"]);
    check(r#"{"action":"play"}"#, expect!["ignored"]);
    check(r#"{"type":"other","action":"play"}"#, expect!["ignored"]);
    check(r#"{"type":"Hopscope","action":"play"}"#, expect!["ignored"]);
}

#[test]
fn good_commands_parse() {
    check(
        r#"{"type":"hopscope","action":"play"}"#,
        expect!["Play id=None"],
    );
    check(
        r#"{"type":"hopscope","action":"pause","id":7}"#,
        expect!["Pause id=Some(Number(7))"],
    );
    check(
        r#"{"type":"hopscope","action":"step"}"#,
        expect!["Step id=None"],
    );
    check(
        r#"{"type":"hopscope","action":"step_back","id":"b"}"#,
        expect![[r#"StepBack id=Some(String("b"))"#]],
    );
    check(
        r#"{"type":"hopscope","action":"goto","step":3}"#,
        expect!["Goto(3) id=None"],
    );
    check(
        r#"{"type":"hopscope","action":"set","key":"backends","value":5}"#,
        expect![[r#"Set { key: "backends", value: "5" } id=None"#]],
    );
    check(
        r#"{"type":"hopscope","action":"set","key":"algorithm","value":"leastconn","extra":[1]}"#,
        expect![[r#"Set { key: "algorithm", value: "leastconn" } id=None"#]],
    );
    check(
        r#"{"type":"hopscope","action":"set","key":"rate","value":0.5}"#,
        expect![[r#"Set { key: "rate", value: "0.5" } id=None"#]],
    );
    check(
        r#"{"type":"hopscope","action":"status","id":1}"#,
        expect!["Status id=Some(Number(1))"],
    );
    check(
        r#"{"type":"hopscope","action":"speed","value":"2"}"#,
        expect!["Speed(Speed(2.0)) id=None"],
    );
}

#[test]
fn bad_shapes_name_the_field() {
    check(
        r#"{"type":"hopscope"}"#,
        expect![[
            r#"{"event":"error","field":"action","message":"missing: expected one of play, pause, step, step_back, goto, set, speed, status","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":5,"id":"x"}"#,
        expect![[
            r#"{"event":"error","field":"action","id":"x","message":"expected a string (one of play, pause, step, step_back, goto, set, speed, status), got a number","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"jump"}"#,
        expect![[
            r#"{"action":"jump","event":"error","field":"action","message":"unknown action \"jump\": expected one of play, pause, step, step_back, goto, set, speed, status","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"goto"}"#,
        expect![[
            r#"{"action":"goto","event":"error","field":"step","message":"missing: expected a step index: an integer from 0","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"goto","step":"3"}"#,
        expect![[
            r#"{"action":"goto","event":"error","field":"step","message":"expected a step index: an integer from 0, got \"3\"","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"goto","step":-1}"#,
        expect![[
            r#"{"action":"goto","event":"error","field":"step","message":"expected a step index: an integer from 0, got -1","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"goto","step":1.5}"#,
        expect![[
            r#"{"action":"goto","event":"error","field":"step","message":"expected a step index: an integer from 0, got 1.5","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"set","value":3}"#,
        expect![[
            r#"{"action":"set","event":"error","field":"key","message":"missing: expected the name of a parameter","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"set","key":"backends","value":{"n":3}}"#,
        expect![[
            r#"{"action":"set","event":"error","field":"value","message":"expected a string, number or boolean, got an object","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"set","key":"backends"}"#,
        expect![[
            r#"{"action":"set","event":"error","field":"value","message":"missing: expected the value of backends as a string, number or boolean","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"speed","value":3}"#,
        expect![[
            r#"{"action":"speed","event":"error","field":"value","message":"expected one of 0.25, 0.5, 1, 2, 4, 8, 16, got 3","scenario":"lb","type":"hopscope"}"#
        ]],
    );
    check(
        r#"{"type":"hopscope","action":"play","id":{"a":1}}"#,
        expect![[
            r#"{"event":"error","field":"id","message":"expected a string or a number, got an object","scenario":"lb","type":"hopscope"}"#
        ]],
    );
}

#[test]
fn steps_are_checked_against_the_run() {
    assert_eq!(check_step(0, 3), Ok(0));
    assert_eq!(check_step(2, 3), Ok(2));
    assert_eq!(
        check_step(3, 3).unwrap_err().message,
        "3 is out of range: expected a step index from 0 to 2"
    );
    assert_eq!(
        check_step(0, 0).unwrap_err().message,
        "0 is out of range: this run has no narrated steps"
    );
    assert!(check_step(u64::MAX, 3).is_err());
}

#[test]
fn events_carry_the_status() {
    let status = Status {
        scenario: "dns".into(),
        step: Some(2),
        steps: 9,
        t_us: 1500,
        duration_us: 9000,
        playing: false,
        speed: Speed::NORMAL,
    };
    expect![[r#"{"duration_us":9000,"event":"step","playing":false,"scenario":"dns","speed":1.0,"step":2,"steps":9,"t_us":1500,"type":"hopscope"}"#]]
        .assert_eq(&Event::Step(status.clone()).to_json().to_string());
    let before = Status {
        step: None,
        ..status.clone()
    };
    expect![[r#"{"duration_us":9000,"event":"finished","playing":false,"scenario":"dns","speed":1.0,"step":null,"steps":9,"t_us":1500,"type":"hopscope"}"#]]
        .assert_eq(&Event::Finished(before).to_json().to_string());
    let ready = Event::Ready {
        status: status.clone(),
        seed: 4,
        params: vec![
            ("zone".into(), "a".into()),
            ("name".into(), "www.example.com".into()),
            ("zone".into(), "b".into()),
            ("zone".into(), "c".into()),
        ],
    };
    let asked = Event::Status {
        status: status.clone(),
        seed: 4,
        params: vec![("backends".into(), "3".into())],
        id: Some(json!("q1")),
    };
    expect![[r#"{"duration_us":9000,"event":"status","id":"q1","params":{"backends":"3"},"playing":false,"scenario":"dns","seed":4,"speed":1.0,"step":2,"steps":9,"t_us":1500,"type":"hopscope"}"#]].assert_eq(&asked.to_json().to_string());
    expect![[r#"{"duration_us":9000,"event":"ready","params":{"name":"www.example.com","zone":["a","b","c"]},"playing":false,"scenario":"dns","seed":4,"speed":1.0,"step":2,"steps":9,"t_us":1500,"type":"hopscope","version":1}"#]]
        .assert_eq(&ready.to_json().to_string());
}
