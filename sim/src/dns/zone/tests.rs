//! Known answers from the RFCs' own master files, and the errors a person meets.

use super::*;

fn n(s: &str) -> Name {
    Name::parse_user(s).unwrap()
}

/// RFC 1035 §5.3's example master file for ISI.EDU (its `$INCLUDE` line left out), read with
/// origin ISI.EDU as its text says. No TTL is stated anywhere, so every record takes the SOA
/// MINIMUM, 60 (RFC 1035 §3.3.13).
pub const RFC1035_EXAMPLE: &str = "\
@   IN  SOA     VENERA      Action\\.domains (
                                 20     ; SERIAL
                                 7200   ; REFRESH
                                 600    ; RETRY
                                 3600000; EXPIRE
                                 60)    ; MINIMUM

        NS      A.ISI.EDU.
        NS      VENERA
        NS      VAXA
        MX      10      VENERA
        MX      20      VAXA

A       A       26.3.0.103

VENERA  A       10.1.0.52
        A       128.9.0.32

VAXA    A       10.2.0.27
        A       128.9.0.32
";

#[test]
fn rfc_1035_section_5_3_example() {
    let z = Zone::parse_with_origin(RFC1035_EXAMPLE, "ISI.EDU", Some(&n("ISI.EDU"))).unwrap();
    expect_test::expect![[r#"
        $ORIGIN isi.edu.
        isi.edu. 60 IN SOA venera.isi.edu. action\.domains.isi.edu. 20 7200 600 3600000 60
        isi.edu. 60 IN NS a.isi.edu.
        isi.edu. 60 IN NS venera.isi.edu.
        isi.edu. 60 IN NS vaxa.isi.edu.
        isi.edu. 60 IN MX 10 venera.isi.edu.
        isi.edu. 60 IN MX 20 vaxa.isi.edu.
        a.isi.edu. 60 IN A 26.3.0.103
        venera.isi.edu. 60 IN A 10.1.0.52
        venera.isi.edu. 60 IN A 128.9.0.32
        vaxa.isi.edu. 60 IN A 10.2.0.27
        vaxa.isi.edu. 60 IN A 128.9.0.32
    "#]]
    .assert_eq(&z.to_master_file());
}

/// RFC 1034 §6.1: the root zone held by C.ISI.EDU (HINFO included).
pub const RFC1034_ROOT: &str = "\
.       IN      SOA     SRI-NIC.ARPA. HOSTMASTER.SRI-NIC.ARPA. (
                        870611          ;serial
                        1800            ;refresh every 30 min
                        300             ;retry every 5 min
                        604800          ;expire after a week
                        86400)          ;minimum of a day
                NS      A.ISI.EDU.
                NS      C.ISI.EDU.
                NS      SRI-NIC.ARPA.

MIL.    86400   NS      SRI-NIC.ARPA.
        86400   NS      A.ISI.EDU.

EDU.    86400   NS      SRI-NIC.ARPA.
        86400   NS      C.ISI.EDU.

SRI-NIC.ARPA.   A       26.0.0.73
                A       10.0.0.51
                MX      0 SRI-NIC.ARPA.
                HINFO   DEC-2060 TOPS20

ACC.ARPA.       A       26.6.0.65
                HINFO   PDP-11/70 UNIX
                MX      10 ACC.ARPA.

USC-ISIC.ARPA.  CNAME   C.ISI.EDU.

73.0.0.26.IN-ADDR.ARPA.  PTR    SRI-NIC.ARPA.
65.0.6.26.IN-ADDR.ARPA.  PTR    ACC.ARPA.
51.0.0.10.IN-ADDR.ARPA.  PTR    SRI-NIC.ARPA.
52.0.0.10.IN-ADDR.ARPA.  PTR    C.ISI.EDU.
103.0.3.26.IN-ADDR.ARPA. PTR    A.ISI.EDU.

A.ISI.EDU. 86400 A      26.3.0.103
C.ISI.EDU. 86400 A      10.0.0.52
";

/// RFC 1034 §6.1: the EDU zone, "stated relative to the origin EDU".
pub const RFC1034_EDU: &str = "\
$ORIGIN EDU.
EDU.  IN SOA SRI-NIC.ARPA. HOSTMASTER.SRI-NIC.ARPA. (
                        870729 ;serial
                        1800 ;refresh every 30 minutes
                        300 ;retry every 5 minutes
                        604800 ;expire after a week
                        86400 ;minimum of a day
                        )
                NS SRI-NIC.ARPA.
                NS C.ISI.EDU.

UCI 172800 NS ICS.UCI
                172800 NS ROME.UCI
ICS.UCI 172800 A 192.5.19.1
ROME.UCI 172800 A 192.5.19.31

ISI 172800 NS VAXA.ISI
                172800 NS A.ISI
                172800 NS VENERA.ISI.EDU.
VAXA.ISI 172800 A 10.2.0.27
                172800 A 128.9.0.33
VENERA.ISI.EDU. 172800 A 10.1.0.52
                172800 A 128.9.0.32
A.ISI 172800 A 26.3.0.103

UDEL.EDU.  172800 NS LOUIE.UDEL.EDU.
                172800 NS UMN-REI-UC.ARPA.
LOUIE.UDEL.EDU. 172800 A 10.0.0.96
                172800 A 192.5.39.3

YALE.EDU.  172800 NS YALE.ARPA.
YALE.EDU.  172800 NS YALE-BULLDOG.ARPA.

MIT.EDU.  43200 NS XX.LCS.MIT.EDU.
                  43200 NS ACHILLES.MIT.EDU.
XX.LCS.MIT.EDU.  43200 A 10.0.0.44
ACHILLES.MIT.EDU. 43200 A 18.72.0.8
";

#[test]
fn rfc_1034_section_6_1_root_zone_ttls_follow_the_soa_minimum() {
    let z = Zone::parse(RFC1034_ROOT, "root").unwrap();
    assert_eq!(z.origin, Name::root());
    // No TTL before `MIL. 86400`: the SOA MINIMUM; after it, the last stated value. Both 86400,
    // as §6.1 says: "all authoritative data in the zone has at least that TTL".
    assert!(z.records().iter().all(|r| r.ttl == 86400));
    let hinfo = z.rrset(&n("SRI-NIC.ARPA"), RType::Hinfo);
    assert_eq!(
        hinfo[0].to_string(),
        "sri-nic.arpa. 86400 IN HINFO \"DEC-2060\" \"TOPS20\""
    );
    let mut cuts: Vec<String> = z.cuts().map(|c| c.to_string()).collect();
    cuts.sort();
    assert_eq!(cuts, ["edu.", "mil."]);
}

/// RFC 1034 §6.2: what C.ISI.EDU's root zone answers. (Responses that span zones are checked
/// in the server's tests.)
#[test]
fn rfc_1034_section_6_2_answers_from_the_root_zone() {
    let z = Zone::parse(RFC1034_ROOT, "root").unwrap();
    let show = |f: Found| match f {
        Found::Answer(rrs) => format!(
            "answer: {}",
            rrs.iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Found::Cname(r) => format!("cname: {r}"),
        Found::Referral { cut, ns, glue } => format!(
            "referral to {cut}: {} | glue: {}",
            ns.iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" | "),
            glue.iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>()
                .join(" | ")
        ),
        Found::NoData => "nodata".into(),
        Found::NxDomain => "nxdomain".into(),
    };
    // §6.2.1
    assert_eq!(
        show(z.lookup(&n("SRI-NIC.ARPA"), RType::A)),
        "answer: sri-nic.arpa. 86400 IN A 26.0.0.73 | sri-nic.arpa. 86400 IN A 10.0.0.51"
    );
    // §6.2.3
    assert_eq!(
        show(z.lookup(&n("SRI-NIC.ARPA"), RType::Mx)),
        "answer: sri-nic.arpa. 86400 IN MX 0 sri-nic.arpa."
    );
    // §6.2.4: the name exists, no NS there.
    assert_eq!(show(z.lookup(&n("SRI-NIC.ARPA"), RType::Ns)), "nodata");
    // §6.2.5: a mistyped name.
    assert_eq!(show(z.lookup(&n("SIR-NIC.ARPA"), RType::A)), "nxdomain");
    // §6.2.6: below the MIL cut, a referral. (This zone holds only the root's glue; §6.2.6's
    // additional section also lists SRI-NIC.ARPA, which C.ISI.EDU takes from its own data.)
    assert_eq!(
        show(z.lookup(&n("BRL.MIL"), RType::A)),
        "referral to mil.: mil. 86400 IN NS sri-nic.arpa. | mil. 86400 IN NS a.isi.edu. | glue: sri-nic.arpa. 86400 IN A 26.0.0.73 | sri-nic.arpa. 86400 IN A 10.0.0.51 | a.isi.edu. 86400 IN A 26.3.0.103"
    );
    // §6.2.7 and §6.2.8: an alias, asked for A and for CNAME.
    assert_eq!(
        show(z.lookup(&n("USC-ISIC.ARPA"), RType::A)),
        "cname: usc-isic.arpa. 86400 IN CNAME c.isi.edu."
    );
    assert_eq!(
        show(z.lookup(&n("USC-ISIC.ARPA"), RType::Cname)),
        "answer: usc-isic.arpa. 86400 IN CNAME c.isi.edu."
    );
    // `ARPA.` itself has no records but names exist below it: an empty non-terminal.
    assert_eq!(show(z.lookup(&n("ARPA"), RType::A)), "nodata");
}

#[test]
fn rfc_1034_section_6_1_edu_zone_relative_names() {
    let z = Zone::parse(RFC1034_EDU, "edu").unwrap();
    let isi: Vec<String> = z
        .rrset(&n("ISI.EDU"), RType::Ns)
        .iter()
        .map(|r| r.to_string())
        .collect();
    assert_eq!(
        isi,
        [
            "isi.edu. 172800 IN NS vaxa.isi.edu.",
            "isi.edu. 172800 IN NS a.isi.edu.",
            "isi.edu. 172800 IN NS venera.isi.edu."
        ]
    );
    assert_eq!(z.soa().ttl, 86400, "no TTL stated: the SOA MINIMUM");
}

/// RFC 1034 §4.3.3's wildcard example (the X.COM mail gateway), as a zone of its own.
#[test]
fn rfc_1034_section_4_3_3_wildcards() {
    let z = Zone::parse(
        "$ORIGIN X.COM.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 1.2.3.5\n\
         X.COM           MX      10      A.X.COM.\n\
         *.X.COM.        MX      10      A.X.COM.\n\
         A.X.COM.        A       1.2.3.4\n\
         A.X.COM.        MX      10      A.X.COM.\n\
         *.A.X.COM.      MX      10      A.X.COM.\n",
        "x",
    );
    // `X.COM` without a dot is relative: X.COM.X.COM. That is the RFC's text read literally,
    // so write it absolute in this test.
    assert!(z.is_ok());
    let z = Zone::parse(
        "$ORIGIN X.COM.\n$TTL 3600\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 1.2.3.5\n\
         X.COM.          MX      10      A.X.COM.\n\
         *.X.COM.        MX      10      A.X.COM.\n\
         A.X.COM.        A       1.2.3.4\n\
         A.X.COM.        MX      10      A.X.COM.\n\
         *.A.X.COM.      MX      10      A.X.COM.\n",
        "x",
    )
    .unwrap();
    let mx = |q: &str| match z.lookup(&n(q), RType::Mx) {
        Found::Answer(rrs) => rrs[0].to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(mx("Z.X.COM"), "z.x.com. 3600 IN MX 10 a.x.com.");
    assert_eq!(mx("deep.Z.X.COM"), "deep.z.x.com. 3600 IN MX 10 a.x.com.");
    assert_eq!(mx("B.A.X.COM"), "b.a.x.com. 3600 IN MX 10 a.x.com.");
    assert_eq!(mx("A.X.COM"), "a.x.com. 3600 IN MX 10 a.x.com.");
    // The wildcard never matches the name it hangs from, nor existing names.
    assert_eq!(z.lookup(&n("ns.X.COM"), RType::Mx), Found::NoData);
    assert_eq!(z.lookup(&n("X.COM"), RType::A), Found::NoData);
}

fn err(text: &str) -> String {
    match Zone::parse(text, "zone 1") {
        Ok(z) => format!("ok {}", z.origin),
        Err(e) => e.to_string(),
    }
}

#[test]
fn errors_name_zone_line_column_and_expectation() {
    use expect_test::expect;
    let head = "$ORIGIN example.com.\n$TTL 3600\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.53\n";
    let with = |tail: &str| err(&format!("{head}{tail}"));
    expect!["ok example.com."].assert_eq(&with(""));
    expect![[r#"example.com. line 6, column 5: expected a TTL, class IN or a record type this model supports (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT, HINFO), found "INN""#]]
        .assert_eq(&with("www INN A 192.0.2.1\n"));
    expect![[r#"example.com. line 6, column 5: expected a TTL, class IN or a record type this model supports (A, AAAA, CNAME, MX, NS, PTR, SOA, SRV, TXT, HINFO), found "CAA""#]]
        .assert_eq(&with("www CAA 0 issue \"ca.example\"\n"));
    expect![[r#"example.com. line 6, column 7: expected an IPv4 address like 192.0.2.1 (RFC 1035 §3.4.1), found "192.0.2.300""#]]
        .assert_eq(&with("www A 192.0.2.300\n"));
    expect![[r#"example.com. line 6, column 10: expected an IPv6 address like 2001:db8::1 (RFC 3596 §2.4), found "2001:db8:::1""#]]
        .assert_eq(&with("www AAAA 2001:db8:::1\n"));
    expect!["example.com. line 6, column 8: expected the mail exchange's domain name (RFC 1035 §3.3.9), found the end of the line"]
        .assert_eq(&with("@ MX 10\n"));
    expect![[r#"example.com. line 6, column 6: expected the MX preference (RFC 1035 §3.3.9) (an integer from 0 to 65535), found "70000""#]]
        .assert_eq(&with("@ MX 70000 mail\n"));
    expect![[r#"example.com. line 6, column 15: expected the end of the A record, found "extra""#]]
        .assert_eq(&with("www A 1.2.3.4 extra\n"));
    expect![[r#"example.com. line 6, column 1: expected no other data at a name that has a CNAME (RFC 1034 §3.6.2, RFC 2181 §10.1), found A and CNAME both at ns1.example.com."#]]
        .assert_eq(&with("ns1 CNAME www\n"));
    expect![[r#"example.com. line 6, column 1: expected a name at or below the zone's apex example.com. (RFC 1034 §4.2.1), found www.example.org."#]]
        .assert_eq(&with("www.example.org. A 192.0.2.1\n"));
    expect!["example.com. line 6, column 10: expected a character-string of at most 255 octets (RFC 1035 §3.3), found 256 octets"]
        .assert_eq(&with(&format!("@ TXT \"\" \"{}\"\n", "x".repeat(256))));
    expect![[r#"example.com. line 6, column 5: expected a TTL (seconds from 0 to 2147483647 (RFC 2181 §8), or units like 1h30m), found "4294967296""#]]
        .assert_eq(&with("www 4294967296 A 192.0.2.1\n"));
    expect![[r#"example.com. line 6, column 5: expected class IN (only the Internet class is modelled), found "CH""#]]
        .assert_eq(&with("www CH A 192.0.2.1\n"));
    expect![[r#"example.com. line 6, column 1: expected $ORIGIN, $TTL or a record ($INCLUDE is not supported: each zone is one self-contained text), found $INCLUDE"#]]
        .assert_eq(&with("$INCLUDE other.zone\n"));
    expect![[r#"example.com. line 6, column 1: expected exactly one SOA record per zone (RFC 1035 §5.2), found a second SOA at example.com."#]]
        .assert_eq(&with("@ SOA ns1 hostmaster 2 7200 3600 1209600 300\n"));
    expect![[r#"example.com. line 6, column 7: expected a closing '"' on the same line for the string opened here, found the end of the line"#]]
        .assert_eq(&with("@ TXT \"v=spf1\n"));
    expect![[r#"example.com. line 6, column 1: expected an owner name: a label of at most 63 octets (RFC 1035 §2.3.4), found "www.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…""#]]
        .assert_eq(&with(&format!("www.{} A 192.0.2.1\n", "a".repeat(64))));
}

#[test]
fn errors_before_the_origin_is_known_use_the_label() {
    use expect_test::expect;
    expect![[r#"zone 1 line 1, column 1: expected an owner name: an absolute name ending in ".", or $ORIGIN before relative names (RFC 1035 §5.1), found "www""#]]
        .assert_eq(&err("www 3600 A 192.0.2.1\n"));
    expect!["zone 1 line 2, column 1: expected an SOA record at the top of the zone (RFC 1035 §5.2), found none"]
        .assert_eq(&err("; nothing but a comment\n"));
    expect!["example.com. line 2, column 1: expected NS records at the zone's apex example.com. (RFC 1034 §4.2.1), found none"]
        .assert_eq(&err("$TTL 60\nexample.com. SOA ns.example.com. hm.example.com. 1 2 3 4 5\n"));
    expect!["zone 1 line 1, column 1: expected a TTL on this record, or $TTL before it (RFC 2308 §4), found no TTL to inherit"]
        .assert_eq(&err("a.test. A 192.0.2.1\n"));
    expect!["zone 1 line 1, column 1: expected an owner name at the start of the line (a line starting with a blank repeats the previous owner, and there is none yet), found a blank"]
        .assert_eq(&err("  A 192.0.2.1\n"));
}

#[test]
fn inheritance_of_owner_ttl_and_class() {
    let z = Zone::parse(
        "$ORIGIN example.com.\n@ 3600 IN SOA ns1 hm ( 1 2 3 4 300 )\n  IN NS ns1\n$TTL 60\nns1 A 192.0.2.53\n    7200 A 192.0.2.54\nwww IN 30 A 192.0.2.80\n  AAAA 2001:db8::80\n",
        "z",
    )
    .unwrap();
    let got: Vec<String> = z.records().iter().map(|r| r.to_string()).collect();
    assert_eq!(
        got,
        [
            "example.com. 3600 IN SOA ns1.example.com. hm.example.com. 1 2 3 4 300",
            "example.com. 3600 IN NS ns1.example.com.",
            "ns1.example.com. 60 IN A 192.0.2.53",
            "ns1.example.com. 7200 IN A 192.0.2.54",
            "www.example.com. 30 IN A 192.0.2.80",
            "www.example.com. 60 IN AAAA 2001:db8::80",
        ],
        "NS before $TTL takes the last stated TTL (RFC 1035 §5.1); after $TTL, $TTL (RFC 2308 §4)"
    );
    assert_eq!(z.negative_soa().ttl, 300, "RFC 2308 §3: min(3600, 300)");
}

#[test]
fn presentation_round_trips() {
    let text = include_str!("../zones/example.com.zone");
    let z = Zone::parse(text, "example.com").unwrap();
    let again = Zone::parse(&z.to_master_file(), "again").unwrap();
    assert_eq!(z.records(), again.records());
}
