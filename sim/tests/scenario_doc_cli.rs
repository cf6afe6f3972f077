//! `hopscope run --from -` through the real binary: a document on standard input runs, and a bad
//! one exits with status 2 and one line on stderr naming where it is wrong.

use std::io::Write;
use std::process::{Command, Stdio};

fn run_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hopscope"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the hopscope binary starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_document_on_stdin_runs_like_the_command_line() {
    let doc = r#"{"scenario":"ids","seed":3,"params":{"count":50,"generator":"ulid"}}"#;
    let (code, out, err) = run_stdin(&["run", "--from", "-", "--json"], doc);
    assert_eq!(code, 0, "{err}");
    let direct = hopscope_sim::cli::execute(&[
        "run".into(),
        "ids".into(),
        "--seed".into(),
        "3".into(),
        "--set".into(),
        "count=50".into(),
        "--set".into(),
        "generator=ulid".into(),
        "--json".into(),
    ])
    .unwrap();
    assert!(out == direct, "stdin document and --set differ");
}

#[test]
fn bad_documents_exit_2_with_one_line() {
    for (input, expect) in [
        (
            "{\"scenario\": \"lb\",\n \"seed\": 1,,\n}",
            "hopscope: <stdin>: line 2 column 12: not valid JSON: key must be a string\n",
        ),
        (
            r#"{"scenario":"lbx"}"#,
            "hopscope: <stdin>: scenario: unknown scenario \"lbx\": expected one of lb, dns, ids, cache\n",
        ),
        (
            r#"{"scenario":"cache","params":{"capacity":true}}"#,
            "hopscope: <stdin>: params.capacity=\"true\": expected an integer from 1 to 1000000\n",
        ),
    ] {
        let (code, out, err) = run_stdin(&["run", "--from", "-"], input);
        assert_eq!((code, out.as_str(), err.as_str()), (2, "", expect), "{input}");
    }
}
