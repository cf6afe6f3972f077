//! The DNS block end to end: every preset's story, checked against numbers worked out by hand
//! from the default RTTs (stub 0.2 ms, resolver 10 ms, root 20 ms, TLD 30 ms, authoritative
//! 60 ms, timeout 800 ms), and the cache tables a page shows at the cursor.

use hopscope_sim::view::{frame_at, RunIndex};
use hopscope_sim::{registry, run_scenario, Event, Run, SimTime};
use serde_json::Value;

fn run(sets: &[(&str, &str)]) -> Run {
    run_scenario(registry::find("dns").expect("dns is registered"), sets, 1)
        .unwrap_or_else(|e| panic!("{sets:?}: {e}"))
}

fn preset(id: &str) -> Run {
    let block = registry::find("dns").unwrap();
    let p = block
        .presets()
        .iter()
        .find(|p| p.id == id)
        .unwrap_or_else(|| panic!("no preset {id}"));
    run_scenario(block, p.values, 1).unwrap()
}

fn lookups(r: &Run) -> &Vec<Value> {
    r.result["lookups"].as_array().expect("lookups")
}

/// One line per lookup: served_from, rcode, latency, then the servers asked.
fn summary(r: &Run) -> String {
    lookups(r)
        .iter()
        .map(|l| {
            let servers: Vec<String> = l["queries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|q| {
                    format!(
                        "{}@{}={}",
                        q["qname"].as_str().unwrap().trim_end_matches('.'),
                        q["server"].as_str().unwrap().trim_end_matches('.'),
                        q["outcome"].as_str().unwrap()
                    )
                })
                .collect();
            format!(
                "{} {} {} {} µs [{}]\n",
                l["type"].as_str().unwrap(),
                l["served_from"].as_str().unwrap(),
                l["rcode"].as_str().unwrap(),
                l["latency_us"],
                servers.join(", ")
            )
        })
        .collect()
}

fn answers(r: &Run, i: usize) -> Vec<String> {
    lookups(r)[i]["answer"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn hop_labels(r: &Run) -> Vec<String> {
    r.events
        .iter()
        .filter_map(|e| match e {
            Event::Hop { label, .. } => Some(label.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn cold_cache_walks_root_tld_authoritative() {
    let r = preset("cold");
    expect_test::expect![[r#"
        A authoritative NOERROR 120200 µs [www.example.com@a.root-servers.net=referral com., www.example.com@a.gtld-servers.net=referral example.com., www.example.com@ns1.example.com=answer]
    "#]]
    .assert_eq(&summary(&r));
    assert_eq!(
        r.result["answer"][0],
        "www.example.com. 300 IN A 192.0.2.80"
    );
    assert_eq!(r.result["rcode"], "NOERROR");
    assert_eq!(r.result["latency_us"], 120_200);
    // Every hop, as a person reads dig.
    expect_test::expect![[r#"
        [
            "A? www.example.com",
            "A? www.example.com",
            "A? www.example.com",
            "referral: com. NS a.gtld-servers.net. (+1)",
            "A? www.example.com",
            "referral: example.com. NS ns1.example.com. (+1)",
            "A? www.example.com",
            "www.example.com. A 192.0.2.80",
            "A 192.0.2.80",
            "A 192.0.2.80",
        ]
    "#]]
    .assert_debug_eq(&hop_labels(&r));
    let roles: Vec<&str> = r.nodes.iter().map(|n| n.role.as_str()).collect();
    assert_eq!(
        roles,
        [
            "browser",
            "stub",
            "resolver",
            "root",
            "tld",
            "authoritative"
        ]
    );
}

#[test]
fn warm_cache_is_one_round_trip_then_none() {
    let r = preset("warm");
    expect_test::expect![[r#"
        A authoritative NOERROR 120200 µs [www.example.com@a.root-servers.net=referral com., www.example.com@a.gtld-servers.net=referral example.com., www.example.com@ns1.example.com=answer]
        A resolver NOERROR 10200 µs []
        A browser NOERROR 0 µs []
    "#]]
    .assert_eq(&summary(&r));
    // The resolver's copy has aged by the 1 s gap (and the 10.2 ms in between).
    assert_eq!(answers(&r, 1), ["www.example.com. 298 IN A 192.0.2.80"]);
    let s = &r.result["served_from"];
    assert_eq!(
        (
            s["browser"].as_u64(),
            s["resolver"].as_u64(),
            s["authoritative"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
}

#[test]
fn cname_into_a_cdn_restarts_in_another_zone() {
    let r = preset("cdn");
    expect_test::expect![[r#"
        A authoritative NOERROR 230200 µs [blog.example.com@a.root-servers.net=referral com., blog.example.com@a.gtld-servers.net=referral example.com., blog.example.com@ns1.example.com=CNAME, example.cdn.net@a.root-servers.net=referral net., example.cdn.net@a.gtld-servers.net=referral cdn.net., example.cdn.net@ns1.cdn.net=CNAME and answer]
        A authoritative NOERROR 70200 µs [edge-ams.cdn.net@ns1.cdn.net=answer]
    "#]]
    .assert_eq(&summary(&r));
    assert_eq!(
        answers(&r, 0),
        [
            "blog.example.com. 3600 IN CNAME example.cdn.net.",
            "example.cdn.net. 300 IN CNAME edge-ams.cdn.net.",
            "edge-ams.cdn.net. 20 IN A 203.0.113.10",
            "edge-ams.cdn.net. 20 IN A 203.0.113.11",
        ],
        "the CNAME chain first, in order"
    );
    assert!(hop_labels(&r).contains(&"CNAME blog.example.com. → example.cdn.net.".to_string()));
}

#[test]
fn nxdomain_then_the_negative_cached_repeat() {
    let r = preset("nxdomain");
    expect_test::expect![[r#"
        A authoritative NXDOMAIN 120200 µs [nope.example.com@a.root-servers.net=referral com., nope.example.com@a.gtld-servers.net=referral example.com., nope.example.com@ns1.example.com=NXDOMAIN]
        A resolver NXDOMAIN 10200 µs []
    "#]]
    .assert_eq(&summary(&r));
    let soa = |i: usize| lookups(&r)[i]["authority"][0].as_str().unwrap().to_string();
    // RFC 2308 §3: the server sends the SOA with TTL min(3600, MINIMUM 300) = 300.
    assert_eq!(soa(0), "example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300");
    // RFC 2308 §6: from the cache, the SOA's TTL has counted down.
    assert!(soa(1).starts_with("example.com. 298 IN SOA"), "{}", soa(1));
    assert!(hop_labels(&r).contains(&"NXDOMAIN".to_string()));
}

#[test]
fn mx_then_the_preferred_mail_host() {
    let r = preset("mx");
    expect_test::expect![[r#"
        MX authoritative NOERROR 120000 µs [example.com@a.root-servers.net=referral com., example.com@a.gtld-servers.net=referral example.com., example.com@ns1.example.com=answer]
        A authoritative NOERROR 70200 µs [mail.example.com@ns1.example.com=answer]
    "#]]
    .assert_eq(&summary(&r));
    assert_eq!(
        answers(&r, 0),
        [
            "example.com. 3600 IN MX 10 mail.example.com.",
            "example.com. 3600 IN MX 20 mx.example.org."
        ]
    );
    assert_eq!(answers(&r, 1), ["mail.example.com. 3600 IN A 192.0.2.25"]);
}

#[test]
fn reverse_lookup_resolves_the_out_of_zone_server_first() {
    let r = preset("reverse");
    expect_test::expect![[r#"
        PTR authoritative NOERROR 290000 µs [80.2.0.192.in-addr.arpa@a.root-servers.net=referral arpa., 80.2.0.192.in-addr.arpa@a.ns.arpa=referral in-addr.arpa., 80.2.0.192.in-addr.arpa@a.in-addr-servers.arpa=referral 2.0.192.in-addr.arpa., ns1.example.com@a.root-servers.net=referral com., ns1.example.com@a.gtld-servers.net=referral example.com., ns1.example.com@ns1.example.com=answer, 80.2.0.192.in-addr.arpa@ns1.example.com=answer]
    "#]]
    .assert_eq(&summary(&r));
    assert_eq!(
        answers(&r, 0),
        ["80.2.0.192.in-addr.arpa. 86400 IN PTR www.example.com."]
    );
}

#[test]
fn a_dead_server_costs_one_timeout_and_is_avoided_next_time() {
    let r = preset("dead_ns");
    expect_test::expect![[r#"
        A authoritative NOERROR 920200 µs [www.example.com@a.root-servers.net=referral com., www.example.com@a.gtld-servers.net=referral example.com., www.example.com@ns1.example.com=timeout, www.example.com@ns2.example.com=answer]
        MX authoritative NOERROR 70000 µs [example.com@ns2.example.com=answer]
    "#]]
    .assert_eq(&summary(&r));
    assert_eq!(r.result["timeouts"], 1);
    let drops: Vec<&Event> = r
        .events
        .iter()
        .filter(|e| matches!(e, Event::Drop { .. }))
        .collect();
    assert_eq!(drops.len(), 1, "the query to the dead server is lost there");
    let q = &lookups(&r)[0]["queries"][2];
    assert_eq!(q["rtt_us"], Value::Null, "a timeout has no round trip");
}

#[test]
fn out_of_bailiwick_name_servers() {
    let r = preset("out_of_bailiwick");
    expect_test::expect![[r#"
        A authoritative NOERROR 230200 µs [www.example.org@a.root-servers.net=referral org., www.example.org@b0.org.afilias-nst.org=referral example.org., ns1.example-dns.net@a.root-servers.net=referral net., ns1.example-dns.net@a.gtld-servers.net=referral example-dns.net., ns1.example-dns.net@ns1.example-dns.net=answer, www.example.org@ns1.example-dns.net=answer]
    "#]]
    .assert_eq(&summary(&r));
}

#[test]
fn srv_txt_and_aaaa() {
    let r = preset("services");
    assert_eq!(
        answers(&r, 0),
        ["_sip._tcp.example.com. 3600 IN SRV 10 60 5060 sip.example.com."]
    );
    assert_eq!(
        answers(&r, 1),
        ["example.com. 3600 IN TXT \"v=spf1 mx ip4:192.0.2.0/24 -all\""]
    );
    assert_eq!(
        answers(&r, 2),
        ["www.example.com. 300 IN AAAA 2001:db8::80"]
    );
    let started: Vec<&str> = lookups(&r)
        .iter()
        .map(|l| l["started_at"].as_str().unwrap())
        .collect();
    assert_eq!(started, [".", "example.com.", "example.com."]);
}

#[test]
fn loops_end_in_servfail_with_the_reason() {
    let r = preset("cname_loop");
    assert_eq!(r.result["rcode"], "SERVFAIL");
    let why = lookups(&r)[0]["failure"].as_str().unwrap();
    assert_eq!(
        why,
        "CNAME loop: ping.example.com. → pong.example.org. → ping.example.com."
    );
    assert!(
        r.steps
            .iter()
            .any(|s| s.text.contains("answers SERVFAIL: CNAME loop")),
        "a step explains it"
    );

    let r = preset("referral_loop");
    assert_eq!(r.result["rcode"], "SERVFAIL");
    let why = lookups(&r)[0]["failure"].as_str().unwrap();
    assert!(
        why.starts_with("referral loop: ns1.example.com, asked as a server for loop.example.com"),
        "{why}"
    );
    assert!(r
        .steps
        .iter()
        .any(|s| s.text.contains("Following it would loop forever")));
}

#[test]
fn propagation_takes_one_ttl_for_everyone_and_about_half_a_ttl_for_half() {
    let r = preset("propagation");
    let pops = r.result["populations"].as_array().unwrap();
    assert_eq!(pops.len(), 2);
    for pop in pops {
        let ttl_us = pop["ttl_s"].as_u64().unwrap() * 1_000_000;
        let all = pop["all_after_change_us"].as_u64().unwrap();
        let half = pop["half_after_change_us"].as_u64().unwrap();
        assert!(
            all <= ttl_us,
            "no copy outlives one TTL after the change: {all} > {ttl_us}"
        );
        assert!(
            all > ttl_us * 9 / 10,
            "with 200 resolvers some copy was nearly fresh: {all}"
        );
        assert!(
            half > ttl_us / 4 && half < ttl_us * 3 / 4,
            "half switch near half a TTL: {half} of {ttl_us}"
        );
        assert!(pop["stale_answers"].as_u64().unwrap() > 0);
    }
    assert!(
        pops[1]["stale_answers"].as_u64() > pops[0]["stale_answers"].as_u64(),
        "the longer TTL serves more stale answers"
    );
    // Two series on one chart, each from 0 % to 100 %.
    let chart: Vec<_> = r
        .series
        .iter()
        .filter(|s| s.chart == "Clients seeing the new value")
        .collect();
    assert_eq!(chart.len(), 2);
    for s in chart {
        assert_eq!(s.points.first().unwrap().1, 0.0);
        assert_eq!(s.points.last().unwrap().1, 100.0);
        assert!(
            s.points.windows(2).all(|w| w[0].1 <= w[1].1),
            "{}: once switched, a resolver stays switched",
            s.name
        );
    }
}

#[test]
fn caches_show_remaining_ttl_at_the_cursor() {
    let r = preset("cold");
    let idx = RunIndex::new(&r);
    let resolver = r.nodes.iter().position(|n| n.role == "resolver").unwrap();
    let browser = r.nodes.iter().position(|n| n.role == "browser").unwrap();
    let row = |t: u64, node: usize, key: &str| {
        frame_at(&r, &idx, SimTime(t)).tables[node]
            .iter()
            .find(|row| row.key == key)
            .map(|row| {
                (
                    row.value.clone(),
                    row.remaining.map(|d| d.0 / 1_000_000),
                    row.expired,
                )
            })
    };
    // The answer arrived at the resolver at 115.1 ms with TTL 300 s.
    assert_eq!(
        row(100_000_000, resolver, "www.example.com. A"),
        Some(("192.0.2.80".into(), Some(200), false))
    );
    assert_eq!(
        row(1_000, resolver, "www.example.com. A"),
        None,
        "not yet cached"
    );
    // The browser keeps it 60 s at most: expired (but not yet removed) at 100 s.
    assert_eq!(
        row(100_000_000, browser, "www.example.com. A"),
        Some(("A 192.0.2.80".into(), Some(0), true))
    );
    // Referral data is marked as such.
    let ns = row(1_000_000, resolver, "com. NS").unwrap();
    assert_eq!(
        ns.0,
        "a.gtld-servers.net., b.gtld-servers.net. (from a referral)"
    );
}

#[test]
fn name_and_type_lists_and_ptr_from_an_address() {
    let r = run(&[
        ("name", "www.example.com, 2001:db8::80 ,example.com"),
        ("type", "AAAA,PTR,SOA"),
    ]);
    let qs: Vec<String> = lookups(&r)
        .iter()
        .map(|l| {
            format!(
                "{} {}",
                l["name"].as_str().unwrap(),
                l["type"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        qs,
        [
            "www.example.com. AAAA",
            "0.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. PTR",
            "example.com. SOA"
        ]
    );
    // No ip6.arpa zone in the default internet: the arpa servers say so.
    assert_eq!(lookups(&r)[1]["rcode"], "NXDOMAIN");
    assert_eq!(lookups(&r)[2]["answer"][0], "example.com. 3600 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300");
}
