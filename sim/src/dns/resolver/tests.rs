//! The resolver against the default internet, with a network that answers instantly from the
//! zones (fixed 10 ms round trips) and logs each exchange.

use super::*;
use crate::dns::cache::CacheConfig;
use crate::dns::internet::Internet;

fn n(s: &str) -> Name {
    Name::parse_user(s).unwrap()
}

struct TestNet {
    down: Vec<Name>,
    log: Vec<String>,
}

impl Network for TestNet {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        if self.down.contains(server) {
            self.log
                .push(format!("{q} @{} → (no reply)", server.bare()));
            return None;
        }
        let msg = Internet::default_internet().answer(server, q)?;
        self.log.push(format!(
            "{q} @{} → {}",
            server.bare(),
            crate::dns::label::response(q, &msg)
        ));
        Some((now + SimDuration::from_millis(10), msg))
    }
}

fn resolver() -> Resolver {
    Resolver::new(
        Internet::default_internet().hints.clone(),
        Cache::new(CacheConfig::default()),
        ResolverConfig::default(),
    )
}

fn show(r: &Resolution, net: &mut TestNet) -> String {
    let mut out = String::new();
    for l in net.log.drain(..) {
        out.push_str(&format!("  {l}\n"));
    }
    out.push_str(&format!("{} in {} µs", r.rcode, r.end.0));
    if r.from_cache {
        out.push_str(", from cache");
    }
    if let Some(z) = &r.started_at {
        out.push_str(&format!(", started at {z}"));
    }
    out.push('\n');
    for rec in &r.answer {
        out.push_str(&format!("{rec}\n"));
    }
    if let Some(s) = &r.soa {
        out.push_str(&format!("authority: {s}\n"));
    }
    if let Some(f) = &r.failure {
        out.push_str(&format!("failure: {f}\n"));
    }
    out
}

fn resolve(res: &mut Resolver, net: &mut TestNet, at_s: u64, name: &str, t: RType) -> String {
    let r = res.resolve(net, SimTime(at_s * 1_000_000), &Question::new(n(name), t));
    let mut s = show(&r, net);
    s = s.replace(
        &format!(" in {} µs", r.end.0),
        &format!(" after {} ms", (r.end.0 - at_s * 1_000_000) / 1000),
    );
    s
}

#[test]
fn cold_then_warm_then_a_sibling_name() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? www.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? www.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? www.example.com @ns1.example.com → www.example.com. A 192.0.2.80
        NOERROR after 30 ms, started at .
        www.example.com. 300 IN A 192.0.2.80
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, "www.example.com", RType::A));
    // 100 s later: from the cache, TTL decremented (RFC 1034 §6.2.1's second response).
    expect_test::expect![[r#"
        NOERROR after 0 ms, from cache
        www.example.com. 200 IN A 192.0.2.80
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        100,
        "www.example.com",
        RType::A,
    ));
    // The example.com servers are cached: one query.
    expect_test::expect![[r#"
          MX? example.com @ns1.example.com → example.com. MX 10 mail.example.com. (+1)
        NOERROR after 10 ms, started at example.com.
        example.com. 3600 IN MX 10 mail.example.com.
        example.com. 3600 IN MX 20 mx.example.org.
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 101, "example.com", RType::Mx));
    // Glue for ns1.example.com is in the cache but never returned as an answer
    // (RFC 2181 §5.4.1): asking for it goes to the authoritative server.
    assert!(res
        .cache
        .get(
            SimTime(102_000_000),
            &n("ns1.example.com"),
            RType::A,
            Rank::Answer
        )
        .is_none());
    expect_test::expect![[r#"
          A? ns1.example.com @ns1.example.com → ns1.example.com. A 192.0.2.53
        NOERROR after 10 ms, started at example.com.
        ns1.example.com. 3600 IN A 192.0.2.53
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        102,
        "ns1.example.com",
        RType::A,
    ));
    // Past the 300 s TTL, www is asked again, from the cached delegation.
    expect_test::expect![[r#"
          A? www.example.com @ns1.example.com → www.example.com. A 192.0.2.80
        NOERROR after 10 ms, started at example.com.
        www.example.com. 300 IN A 192.0.2.80
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        400,
        "www.example.com",
        RType::A,
    ));
}

#[test]
fn alias_into_a_cdn_crosses_zones() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? blog.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? blog.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? blog.example.com @ns1.example.com → CNAME blog.example.com. → example.cdn.net.
          A? example.cdn.net @a.root-servers.net → referral: net. NS a.gtld-servers.net. (+1)
          A? example.cdn.net @a.gtld-servers.net → referral: cdn.net. NS ns1.cdn.net. (+1)
          A? example.cdn.net @ns1.cdn.net → CNAME example.cdn.net. → edge-ams.cdn.net. (+2)
        NOERROR after 60 ms, started at .
        blog.example.com. 3600 IN CNAME example.cdn.net.
        example.cdn.net. 300 IN CNAME edge-ams.cdn.net.
        edge-ams.cdn.net. 20 IN A 203.0.113.10
        edge-ams.cdn.net. 20 IN A 203.0.113.11
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        0,
        "blog.example.com",
        RType::A,
    ));
    // Within 20 s the whole chain comes from the cache.
    expect_test::expect![[r#"
        NOERROR after 0 ms, from cache
        blog.example.com. 3590 IN CNAME example.cdn.net.
        example.cdn.net. 290 IN CNAME edge-ams.cdn.net.
        edge-ams.cdn.net. 10 IN A 203.0.113.10
        edge-ams.cdn.net. 10 IN A 203.0.113.11
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        10,
        "blog.example.com",
        RType::A,
    ));
    // After the edge's 20 s, only the last step is asked again.
    expect_test::expect![[r#"
          A? edge-ams.cdn.net @ns1.cdn.net → edge-ams.cdn.net. A 203.0.113.10 (+1)
        NOERROR after 10 ms, started at cdn.net.
        blog.example.com. 3570 IN CNAME example.cdn.net.
        example.cdn.net. 270 IN CNAME edge-ams.cdn.net.
        edge-ams.cdn.net. 20 IN A 203.0.113.10
        edge-ams.cdn.net. 20 IN A 203.0.113.11
    "#]]
    .assert_eq(&resolve(
        &mut res,
        &mut net,
        30,
        "blog.example.com",
        RType::A,
    ));
}

#[test]
fn out_of_bailiwick_name_servers_are_looked_up_first() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? www.example.org @a.root-servers.net → referral: org. NS b0.org.afilias-nst.org. (+1)
          A? www.example.org @b0.org.afilias-nst.org → referral: example.org. NS ns1.example-dns.net. (+1)
          A? ns1.example-dns.net @a.root-servers.net → referral: net. NS a.gtld-servers.net. (+1)
          A? ns1.example-dns.net @a.gtld-servers.net → referral: example-dns.net. NS ns1.example-dns.net. (+1)
          A? ns1.example-dns.net @ns1.example-dns.net → ns1.example-dns.net. A 198.51.100.10
          A? www.example.org @ns1.example-dns.net → www.example.org. A 192.0.2.100
        NOERROR after 60 ms, started at .
        www.example.org. 3600 IN A 192.0.2.100
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, "www.example.org", RType::A));
}

#[test]
fn reverse_lookup_through_in_addr_arpa() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    let name = Name::reverse("192.0.2.80".parse().unwrap()).to_string();
    expect_test::expect![[r#"
          PTR? 80.2.0.192.in-addr.arpa @a.root-servers.net → referral: arpa. NS a.ns.arpa. (+1)
          PTR? 80.2.0.192.in-addr.arpa @a.ns.arpa → referral: in-addr.arpa. NS a.in-addr-servers.arpa. (+1)
          PTR? 80.2.0.192.in-addr.arpa @a.in-addr-servers.arpa → referral: 2.0.192.in-addr.arpa. NS ns1.example.com. (+1)
          A? ns1.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? ns1.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? ns1.example.com @ns1.example.com → ns1.example.com. A 192.0.2.53
          PTR? 80.2.0.192.in-addr.arpa @ns1.example.com → 80.2.0.192.in-addr.arpa. PTR www.example.com.
        NOERROR after 70 ms, started at .
        80.2.0.192.in-addr.arpa. 86400 IN PTR www.example.com.
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, &name, RType::Ptr));
}

#[test]
fn nxdomain_then_its_negative_cached_repeat() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? nope.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? nope.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? nope.example.com @ns1.example.com → NXDOMAIN
        NXDOMAIN after 30 ms, started at .
        authority: example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, "nope.example.com", RType::A));
    // RFC 2308 §5: cached for min(SOA TTL 3600, MINIMUM 300) = 300 s, for every type.
    expect_test::expect![[r#"
        NXDOMAIN after 0 ms, from cache
        authority: example.com. 240 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 60, "nope.example.com", RType::Aaaa));
    expect_test::expect![[r#"
          A? nope.example.com @ns1.example.com → NXDOMAIN
        NXDOMAIN after 10 ms, started at example.com.
        authority: example.com. 300 IN SOA ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 301, "nope.example.com", RType::A));
    // A name error from .com: its SOA has TTL 900 and MINIMUM 86400, so 900 s.
    expect_test::expect![[r#"
          A? no-such-name.com @a.gtld-servers.net → NXDOMAIN
        NXDOMAIN after 10 ms, started at com.
        authority: com. 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 1717200000 1800 900 604800 86400
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 302, "no-such-name.com", RType::A));
}

#[test]
fn nodata_is_cached_per_type() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    let first = resolve(&mut res, &mut net, 0, "www.example.com", RType::Mx);
    assert!(
        first.contains("@ns1.example.com → NODATA (no MX)"),
        "{first}"
    );
    assert!(first.contains("NOERROR after 30 ms"), "{first}");
    let again = resolve(&mut res, &mut net, 1, "www.example.com", RType::Mx);
    assert!(
        again.starts_with("NOERROR after 0 ms, from cache"),
        "{again}"
    );
    let other_type = resolve(&mut res, &mut net, 2, "www.example.com", RType::A);
    assert!(
        other_type.contains("@ns1.example.com"),
        "a NODATA for MX says nothing of A: {other_type}"
    );
}

#[test]
fn a_dead_name_server_costs_a_timeout_then_the_next_is_asked() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![n("ns1.example.com")],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? www.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? www.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? www.example.com @ns1.example.com → (no reply)
          A? www.example.com @ns2.example.com → www.example.com. A 192.0.2.80
        NOERROR after 830 ms, started at .
        www.example.com. 300 IN A 192.0.2.80
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, "www.example.com", RType::A));
    // Remembered as unresponsive (RFC 2308 §7.2): the next lookup asks ns2 first.
    expect_test::expect![[r#"
          MX? example.com @ns2.example.com → example.com. MX 10 mail.example.com. (+1)
        NOERROR after 10 ms, started at example.com.
        example.com. 3600 IN MX 10 mail.example.com.
        example.com. 3600 IN MX 20 mx.example.org.
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 1, "example.com", RType::Mx));
}

#[test]
fn every_server_down_is_servfail() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![n("ns1.example.com"), n("ns2.example.com")],
        log: vec![],
    };
    let out = resolve(&mut res, &mut net, 0, "www.example.com", RType::A);
    assert!(out.contains("SERVFAIL after 1620 ms"), "{out}");
    assert!(out.contains("failure: no server for example.com gave a usable answer (ns1.example.com did not answer; ns2.example.com did not answer)"), "{out}");
}

#[test]
fn a_cname_loop_across_zones_is_servfail() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    let out = resolve(&mut res, &mut net, 0, "ping.example.com", RType::A);
    assert!(out.contains("SERVFAIL"), "{out}");
    assert!(
        out.contains(
            "failure: CNAME loop: ping.example.com. → pong.example.org. → ping.example.com."
        ),
        "{out}"
    );
}

#[test]
fn a_referral_loop_is_servfail() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    expect_test::expect![[r#"
          A? www.loop.example.com @a.root-servers.net → referral: com. NS a.gtld-servers.net. (+1)
          A? www.loop.example.com @a.gtld-servers.net → referral: example.com. NS ns1.example.com. (+1)
          A? www.loop.example.com @ns1.example.com → referral: loop.example.com. NS ns1.example.com.
          A? www.loop.example.com @ns1.example.com → referral: loop.example.com. NS ns1.example.com.
        SERVFAIL after 40 ms, started at .
        failure: referral loop: ns1.example.com, asked as a server for loop.example.com, refers www.loop.example.com to loop.example.com instead of answering
    "#]]
    .assert_eq(&resolve(&mut res, &mut net, 0, "www.loop.example.com", RType::A));
}

#[test]
fn srv_txt_aaaa_and_a_country_code_tld() {
    let mut res = resolver();
    let mut net = TestNet {
        down: vec![],
        log: vec![],
    };
    let srv = resolve(&mut res, &mut net, 0, "_sip._tcp.example.com", RType::Srv);
    assert!(
        srv.ends_with("_sip._tcp.example.com. 3600 IN SRV 10 60 5060 sip.example.com.\n"),
        "{srv}"
    );
    let txt = resolve(&mut res, &mut net, 1, "example.com", RType::Txt);
    assert!(
        txt.ends_with("example.com. 3600 IN TXT \"v=spf1 mx ip4:192.0.2.0/24 -all\"\n"),
        "{txt}"
    );
    let aaaa = resolve(&mut res, &mut net, 2, "www.example.com", RType::Aaaa);
    assert!(
        aaaa.ends_with("www.example.com. 300 IN AAAA 2001:db8::80\n"),
        "{aaaa}"
    );
    let nl = resolve(&mut res, &mut net, 3, "www.voorbeeld.nl", RType::A);
    assert!(nl.contains("@ns1.dns.nl → referral: voorbeeld.nl."), "{nl}");
    assert!(
        nl.ends_with("www.voorbeeld.nl. 3600 IN A 192.0.2.151\n"),
        "{nl}"
    );
}

/// RFC 1034 §6's own world: C.ISI.EDU serves the root and EDU, A.ISI.EDU the root and ISI.EDU.
struct Rfc1034Net<'a> {
    internet: &'a Internet,
    down: Vec<Name>,
    log: Vec<String>,
}

impl Network for Rfc1034Net<'_> {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        if self.down.contains(server) {
            self.log
                .push(format!("{q} @{} → (no reply)", server.bare()));
            return None;
        }
        let msg = self.internet.answer(server, q)?;
        self.log.push(format!(
            "{q} @{} → {}",
            server.bare(),
            crate::dns::label::response(q, &msg)
        ));
        Some((now + SimDuration::from_millis(10), msg))
    }
}

#[test]
fn rfc_1034_section_6_2_7_alias_answered_whole_or_with_a_referral() {
    use crate::dns::zone::tests::{RFC1034_EDU, RFC1034_ROOT};
    let isi = "$ORIGIN ISI.EDU.\n$TTL 86400\n@ SOA VENERA hm 1 2 3 4 86400\n@ NS VAXA\n@ NS A\n@ NS VENERA\nA A 26.3.0.103\nC A 10.0.0.52\nVAXA A 10.2.0.27\nVENERA A 10.1.0.52\n";
    let internet =
        Internet::from_texts(&[("root", RFC1034_ROOT), ("edu", RFC1034_EDU), ("isi", isi)])
            .unwrap();
    let q = Question::new(n("USC-ISIC.ARPA"), RType::A);
    let run = |down: &[&str]| {
        let mut res = Resolver::new(
            internet.hints.clone(),
            Cache::new(CacheConfig::default()),
            ResolverConfig::default(),
        );
        let mut net = Rfc1034Net {
            internet: &internet,
            down: down.iter().map(|d| n(d)).collect(),
            log: vec![],
        };
        let r = res.resolve(&mut net, SimTime::ZERO, &q);
        let mut out: String = net.log.iter().map(|l| format!("  {l}\n")).collect();
        for rec in &r.answer {
            out.push_str(&format!("{rec}\n"));
        }
        out
    };
    // A.ISI.EDU serves both zones: the alias and the address in one response.
    expect_test::expect![[r#"
          A? usc-isic.arpa @a.isi.edu → CNAME usc-isic.arpa. → c.isi.edu. (+1)
        usc-isic.arpa. 86400 IN CNAME c.isi.edu.
        c.isi.edu. 86400 IN A 10.0.0.52
    "#]]
    .assert_eq(&run(&[]));
    // C.ISI.EDU answers the alias and refers onward to ISI.EDU's servers; the resolver caches
    // that delegation and follows the alias straight to them.
    expect_test::expect![[r#"
          A? usc-isic.arpa @a.isi.edu → (no reply)
          A? usc-isic.arpa @c.isi.edu → CNAME usc-isic.arpa. → c.isi.edu.
          A? c.isi.edu @vaxa.isi.edu → c.isi.edu. A 10.0.0.52
        usc-isic.arpa. 86400 IN CNAME c.isi.edu.
        c.isi.edu. 86400 IN A 10.0.0.52
    "#]]
    .assert_eq(&run(&["A.ISI.EDU"]));
}
