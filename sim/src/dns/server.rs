//! An authoritative name server: answers a question from the zones it serves, following RFC 1034
//! §4.3.2 (steps 2, 3 and 6; it has no cache and does no recursion, so steps 4 and 5 do not
//! apply and a question outside its zones is REFUSED, as authoritative-only servers do).
//!
//! - Step 2: pick the served zone that is the nearest ancestor of QNAME.
//! - Step 3a: answer with the records of QTYPE (AA set). At an alias, add the CNAME and restart
//!   at step 1 with the canonical name, as far as the server's own zones reach (RFC 1034
//!   §6.2.7: one server can answer a chain that spans two of its zones).
//! - Step 3b: at a zone cut, a referral: the cut's NS records in the authority section, the
//!   addresses of those servers it holds in the additional section, AA clear.
//! - Step 3c: a name error (NXDOMAIN) with the zone's SOA in the authority section. After an
//!   alias the code describes the last name of the chain (RFC 6604 §2.1; RFC 2308 §2.1).
//! - No data of QTYPE: NOERROR, empty answer, the SOA in the authority section (RFC 2308 §2.2,
//!   "TYPE 2" NODATA as §2.2.1 recommends).
//! - The SOA of a negative answer carries TTL min(SOA TTL, MINIMUM) (RFC 2308 §3).
//! - Step 6: addresses of the hosts named by NS, MX and SRV answers go in the additional
//!   section (RFC 1035 §3.3.9, §3.3.11; RFC 2782).

use super::message::{Message, Question, Rcode};
use super::name::Name;
use super::record::{RType, Record};
use super::zone::{Found, Zone};

/// Bound on the aliases one response follows (a zone that aliases itself must not hang the
/// server; RFC 1034 §5.3.3's first priority, "bound the amount of work", applies here too).
pub const MAX_SERVER_CHAIN: usize = 16;

/// The nearest ancestor of `name` among `served` zones (RFC 1034 §4.3.2 step 2).
pub fn nearest_zone<'z>(zones: &'z [Zone], served: &[usize], name: &Name) -> Option<&'z Zone> {
    served
        .iter()
        .filter_map(|&i| zones.get(i))
        .filter(|z| name.is_in(&z.origin))
        .max_by_key(|z| z.origin.depth())
}

/// The response of a server that serves `served` (indices into `zones`) to `q`.
pub fn answer(zones: &[Zone], served: &[usize], q: &Question) -> Message {
    let mut msg = Message::empty(Rcode::NoError);
    let mut qname = q.name.clone();
    let mut first = true;
    loop {
        let Some(zone) = nearest_zone(zones, served, &qname) else {
            if first {
                msg.rcode = Rcode::Refused;
            }
            break;
        };
        match zone.lookup(&qname, q.rtype) {
            Found::Answer(rrs) => {
                msg.aa |= first;
                for r in &rrs {
                    if let Some(target) = r.rdata.additional_target() {
                        add_addresses(zones, served, target, &mut msg.additional);
                    }
                }
                msg.answer.extend(rrs);
                break;
            }
            Found::Cname(c) => {
                msg.aa |= first;
                first = false;
                let target = c.cname_target().cloned().unwrap_or_else(Name::root);
                let looped = msg.answer.iter().any(|r| r.owner == target) || target == q.name;
                msg.answer.push(c);
                if looped || msg.answer.len() >= MAX_SERVER_CHAIN {
                    break;
                }
                qname = target;
            }
            Found::Referral { ns, glue, .. } => {
                msg.authority = ns;
                msg.additional = glue;
                break;
            }
            Found::NoData => {
                msg.aa |= first;
                msg.authority.push(zone.negative_soa());
                break;
            }
            Found::NxDomain => {
                msg.aa |= first;
                msg.rcode = Rcode::NxDomain;
                msg.authority.push(zone.negative_soa());
                break;
            }
        }
    }
    msg
}

/// Step 6: addresses of `target` from local data only.
fn add_addresses(zones: &[Zone], served: &[usize], target: &Name, out: &mut Vec<Record>) {
    if let Some(z) = nearest_zone(zones, served, target) {
        for rtype in [RType::A, RType::Aaaa] {
            if let Found::Answer(rrs) = z.lookup(target, rtype) {
                for r in rrs {
                    if !out.contains(&r) {
                        out.push(r);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dns::zone::tests::{RFC1034_EDU, RFC1034_ROOT};

    fn n(s: &str) -> Name {
        Name::parse_user(s).unwrap()
    }

    /// RFC 1034 §6: C.ISI.EDU serves the root and EDU zones; A.ISI.EDU serves the root, MIL
    /// and ISI.EDU (which the RFC does not list; a minimal one stands in for it).
    fn rfc1034_zones() -> Vec<Zone> {
        vec![
            Zone::parse(RFC1034_ROOT, "root").unwrap(),
            Zone::parse(RFC1034_EDU, "edu").unwrap(),
            Zone::parse(
                "$ORIGIN ISI.EDU.\n$TTL 86400\n@ SOA VENERA hm 1 2 3 4 86400\n@ NS VAXA\n@ NS A\n@ NS VENERA\nA A 26.3.0.103\nC A 10.0.0.52\nVAXA A 10.2.0.27\nVENERA A 10.1.0.52\n",
                "isi",
            )
            .unwrap(),
        ]
    }

    fn ask(zones: &[Zone], served: &[usize], name: &str, rtype: RType) -> String {
        answer(zones, served, &Question::new(n(name), rtype)).to_text()
    }

    #[test]
    fn rfc_1034_section_6_2_responses() {
        let zones = rfc1034_zones();
        let c_isi = [0, 1];
        let a_isi = [0, 2];
        // §6.2.1
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: sri-nic.arpa. 86400 IN A 26.0.0.73
            answer: sri-nic.arpa. 86400 IN A 10.0.0.51
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "SRI-NIC.ARPA", RType::A));
        // §6.2.3: the MX answer carries the exchange's addresses in the additional section.
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: sri-nic.arpa. 86400 IN MX 0 sri-nic.arpa.
            additional: sri-nic.arpa. 86400 IN A 26.0.0.73
            additional: sri-nic.arpa. 86400 IN A 10.0.0.51
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "SRI-NIC.ARPA", RType::Mx));
        // §6.2.4 (with RFC 2308's SOA for negative caching added to the authority section).
        expect_test::expect![[r#"
            rcode NOERROR, aa
            authority: . 86400 IN SOA sri-nic.arpa. hostmaster.sri-nic.arpa. 870611 1800 300 604800 86400
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "SRI-NIC.ARPA", RType::Ns));
        // §6.2.5
        expect_test::expect![[r#"
            rcode NXDOMAIN, aa
            authority: . 86400 IN SOA sri-nic.arpa. hostmaster.sri-nic.arpa. 870611 1800 300 604800 86400
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "SIR-NIC.ARPA", RType::A));
        // §6.2.6: a referral to MIL, not authoritative.
        expect_test::expect![[r#"
            rcode NOERROR
            authority: mil. 86400 IN NS sri-nic.arpa.
            authority: mil. 86400 IN NS a.isi.edu.
            additional: sri-nic.arpa. 86400 IN A 26.0.0.73
            additional: sri-nic.arpa. 86400 IN A 10.0.0.51
            additional: a.isi.edu. 86400 IN A 26.3.0.103
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "BRL.MIL", RType::A));
        // §6.2.7: A.ISI.EDU serves both ARPA (in the root zone) and ISI.EDU, so it answers the
        // alias and the canonical name's address in one response.
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: usc-isic.arpa. 86400 IN CNAME c.isi.edu.
            answer: c.isi.edu. 86400 IN A 10.0.0.52
        "#]]
        .assert_eq(&ask(&zones, &a_isi, "USC-ISIC.ARPA", RType::A));
        // §6.2.7, second form: C.ISI.EDU has the EDU zone, where ISI.EDU is delegated, so it
        // answers the alias and refers onward for the canonical name.
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: usc-isic.arpa. 86400 IN CNAME c.isi.edu.
            authority: isi.edu. 172800 IN NS vaxa.isi.edu.
            authority: isi.edu. 172800 IN NS a.isi.edu.
            authority: isi.edu. 172800 IN NS venera.isi.edu.
            additional: vaxa.isi.edu. 172800 IN A 10.2.0.27
            additional: vaxa.isi.edu. 172800 IN A 128.9.0.33
            additional: a.isi.edu. 172800 IN A 26.3.0.103
            additional: venera.isi.edu. 172800 IN A 10.1.0.52
            additional: venera.isi.edu. 172800 IN A 128.9.0.32
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "USC-ISIC.ARPA", RType::A));
        // §6.2.8: QTYPE=CNAME is answered by the CNAME itself.
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: usc-isic.arpa. 86400 IN CNAME c.isi.edu.
        "#]]
        .assert_eq(&ask(&zones, &c_isi, "USC-ISIC.ARPA", RType::Cname));
    }

    #[test]
    fn questions_outside_every_served_zone_are_refused() {
        let zones = rfc1034_zones();
        expect_test::expect![[r#"
            rcode REFUSED
        "#]]
        .assert_eq(&ask(&zones, &[2], "www.example.com", RType::A));
    }

    #[test]
    fn a_self_referencing_alias_stops() {
        let zones = vec![Zone::parse(
            "$ORIGIN l.test.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\na CNAME b\nb CNAME a\n",
            "l",
        )
        .unwrap()];
        expect_test::expect![[r#"
            rcode NOERROR, aa
            answer: a.l.test. 60 IN CNAME b.l.test.
            answer: b.l.test. 60 IN CNAME a.l.test.
        "#]]
        .assert_eq(&ask(&zones, &[0], "a.l.test", RType::A));
    }
}
