//! The DNS block through the CLI (`hopscope run dns …`): the issue's own command lines, one-line
//! errors for every bad input, and zone files read from disk with `--set zone=PATH`.

use hopscope_sim::cli::execute;
use serde_json::Value;

fn run(args: &[&str]) -> Result<String, String> {
    execute(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn summary(args: &[&str]) -> Value {
    let mut all = vec!["run", "dns"];
    all.extend_from_slice(args);
    all.push("--summary");
    let out = run(&all).unwrap_or_else(|e| panic!("{args:?}: {e}"));
    serde_json::from_str(&out).expect("JSON")
}

fn check_err(args: &[&str], expect: expect_test::Expect) {
    let mut all = vec!["run", "dns"];
    all.extend_from_slice(args);
    let err = run(&all).expect_err("should fail");
    assert!(!err.contains('\n'), "one line: {err}");
    expect.assert_eq(&err);
}

/// A scratch directory for zone files, removed afterwards.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("hopscope-dns-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn the_issue_command_line() {
    let s = summary(&["--set", "name=www.example.com", "--set", "type=A"]);
    assert_eq!(s["scenario"], "dns");
    let l = &s["result"]["lookups"][0];
    assert_eq!(l["name"], "www.example.com.");
    assert_eq!(l["type"], "A");
    assert_eq!(l["rcode"], "NOERROR");
    assert_eq!(l["answer"][0], "www.example.com. 300 IN A 192.0.2.80");
    assert_eq!(l["served_from"], "authoritative");
    assert_eq!(l["latency_us"], 120_200);
    let q = &l["queries"][0];
    assert_eq!(
        (
            q["server"].as_str(),
            q["qname"].as_str(),
            q["qtype"].as_str()
        ),
        (
            Some("a.root-servers.net."),
            Some("www.example.com."),
            Some("A")
        )
    );
}

#[test]
fn every_type_the_issue_names() {
    let cases = [
        ("www.example.com", "A", "www.example.com. 300 IN A 192.0.2.80"),
        ("www.example.com", "AAAA", "www.example.com. 300 IN AAAA 2001:db8::80"),
        ("blog.example.com", "CNAME", "blog.example.com. 3600 IN CNAME example.cdn.net."),
        ("example.com", "MX", "example.com. 3600 IN MX 10 mail.example.com."),
        ("example.com", "NS", "example.com. 3600 IN NS ns1.example.com."),
        ("example.com", "SOA", "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300"),
        ("example.com", "TXT", "example.com. 3600 IN TXT \"v=spf1 mx ip4:192.0.2.0/24 -all\""),
        ("192.0.2.25", "PTR", "25.2.0.192.in-addr.arpa. 86400 IN PTR mail.example.com."),
        ("_xmpp-server._tcp.example.org", "SRV", "_xmpp-server._tcp.example.org. 3600 IN SRV 5 0 5269 xmpp.example.org."),
        ("www.voorbeeld.nl", "aaaa", "www.voorbeeld.nl. 3600 IN AAAA 2001:db8::151"),
    ];
    for (name, t, first) in cases {
        let s = summary(&[
            "--set",
            &format!("name={name}"),
            "--set",
            &format!("type={t}"),
        ]);
        assert_eq!(s["result"]["answer"][0], first, "{name} {t}");
    }
}

#[test]
fn a_name_list_goes_through_the_same_caches() {
    let s = summary(&[
        "--set",
        "name=www.example.com,www.example.com",
        "--set",
        "gap_s=100",
    ]);
    let from: Vec<&str> = s["result"]["lookups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["served_from"].as_str().unwrap())
        .collect();
    // The browser keeps it 60 s, the OS 300 s: after 100 s the OS answers.
    assert_eq!(from, ["authoritative", "os"]);
}

#[test]
fn bad_values_are_one_line_errors() {
    use expect_test::expect;
    check_err(
        &["--set", "type=BOGUS"],
        expect![[
            r#"type="BOGUS": expected a record type, or one per name, comma-separated: A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT (item 1 is "BOGUS")"#
        ]],
    );
    check_err(
        &["--set", "name=a,b", "--set", "type=A,MX,TXT"],
        expect![[
            r#"type="A,MX,TXT": expected one type for every name, or one per name (2 names, 3 types)"#
        ]],
    );
    check_err(
        &["--set", "name=www..example.com"],
        expect![[
            r#"name="www..example.com": expected comma-separated domain names; item 1 "www..example.com" needs a non-empty label between dots (RFC 1035 §5.1)"#
        ]],
    );
    check_err(
        &["--set", "name=www.example.com,"],
        expect![[
            r#"name="www.example.com,": expected comma-separated domain names; item 2 "" needs a domain name"#
        ]],
    );
    check_err(
        &["--set", "name="],
        expect![[r#"name="": expected one or more domain names, comma-separated"#]],
    );
    check_err(&["--set", "timeout_ms=50"], expect!["timeout_ms=\"50\": expected a timeout longer than the slowest server round trip (60 ms), or every query would time out"]);
    check_err(
        &["--set", "down=ns9.example.com"],
        expect![[
            r#"down="ns9.example.com": expected comma-separated name server names from the zones' NS records, e.g. ns1.example.com ("ns9.example.com" is not one)"#
        ]],
    );
    check_err(
        &["--set", "clients=0"],
        expect![[r#"clients="0": expected an integer from 1 to 16"#]],
    );
    check_err(
        &["--set", "rtt_auth_ms=-1"],
        expect![[r#"rtt_auth_ms="-1": expected a number from 0 to 10000"#]],
    );
    check_err(
        &[
            "--set",
            "mode=propagation",
            "--set",
            "name=nope.example.com",
        ],
        expect![[
            r#"name="nope.example.com": expected a name with A records in the zones, to change (propagation); nope.example.com. has none"#
        ]],
    );
    check_err(
        &["--set", "mode=propagation", "--set", "new_value=300.1.1.1"],
        expect![[
            r#"new_value="300.1.1.1": expected the data of a A record: an IPv4 address like 192.0.2.1 (RFC 1035 §3.4.1), found "300.1.1.1""#
        ]],
    );
    check_err(
        &["--set", "zone=/nonexistent/x.zone"],
        expect![[
            r#"zone="/nonexistent/x.zone": cannot read the file: No such file or directory (os error 2)"#
        ]],
    );
}

const ROOT: &str = "\
; a two-level internet of my own
$TTL 86400
.         IN SOA ns.root. hostmaster.root. ( 1 1800 900 604800 86400 )
.         IN NS  ns.root.
ns.root.  IN A   192.0.2.1
test.     IN NS  ns1.test.
ns1.test. IN A   192.0.2.2
";

const TEST: &str = "\
$ORIGIN test.
$TTL 300
@    IN SOA ns1 hostmaster ( 1 7200 3600 1209600 60 )
     IN NS  ns1
ns1  IN A   192.0.2.2
www  IN A   192.0.2.80
";

#[test]
fn own_zone_files_replace_the_default_internet() {
    let dir = Dir::new("own");
    let root = dir.file("root.zone", ROOT);
    let test = dir.file("test.zone", TEST);
    let s = summary(&[
        "--set",
        &format!("zone={root}"),
        "--set",
        &format!("zone={test}"),
        "--set",
        "name=www.test",
    ]);
    let l = &s["result"]["lookups"][0];
    assert_eq!(l["answer"][0], "www.test. 300 IN A 192.0.2.80");
    let servers: Vec<&str> = l["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["server"].as_str().unwrap())
        .collect();
    assert_eq!(
        servers,
        ["ns.root.", "ns1.test."],
        "root hints from the root zone's NS; then the zone's own NS"
    );
    assert_eq!(s["result"]["zones"], "custom");
    // The default internet is gone.
    let s = summary(&[
        "--set",
        &format!("zone={root}"),
        "--set",
        &format!("zone={test}"),
        "--set",
        "name=www.example.com",
    ]);
    assert_eq!(s["result"]["rcode"], "NXDOMAIN");
}

#[test]
fn zone_errors_name_the_file_zone_line_and_column() {
    use expect_test::expect;
    let dir = Dir::new("bad");
    let root = dir.file("root.zone", ROOT);
    let bad = dir.file(
        "bad.zone",
        &TEST.replace("www  IN A   192.0.2.80", "www  IN A   192.0.2.800"),
    );
    let err = run(&[
        "run",
        "dns",
        "--set",
        &format!("zone={root}"),
        "--set",
        &format!("zone={bad}"),
    ])
    .unwrap_err();
    let err = err.replace(&bad, "bad.zone");
    expect![[r#"zone="bad.zone": expected a zone file in RFC 1035 master format; test. line 6, column 13: expected an IPv4 address like 192.0.2.1 (RFC 1035 §3.4.1), found "192.0.2.800""#]]
        .assert_eq(&err);
    let test = dir.file("test.zone", TEST);
    let err = run(&["run", "dns", "--set", &format!("zone={test}")]).unwrap_err();
    let err = err.replace(&test, "test.zone");
    expect![[r#"zone="test.zone": expected zones that fit together: a root zone (origin "."): its NS records and their addresses are the resolver's root hints"#]]
        .assert_eq(&err);
}

#[test]
fn csv_has_the_charts() {
    let out = run(&[
        "run",
        "dns",
        "--set",
        "name=www.example.com,www.example.com",
        "--set",
        "clients=2",
        "--csv",
    ])
    .unwrap();
    assert!(out.starts_with("chart,series,unit,t_us,value\n"));
    assert!(
        out.contains("Resolution latency per lookup,cold: asked name servers,ms,0,120.2\n"),
        "{out}"
    );
    assert!(
        out.contains("Resolution latency per lookup,warm: from a cache,ms,1120200,10.2\n"),
        "{out}"
    );
    assert!(
        out.contains("Cache hit ratio per layer,resolver cache,%,1130400,50\n"),
        "{out}"
    );
}
