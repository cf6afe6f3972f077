//! The lookups of a DNS run, read from its result document (`sim/src/dns/lookups/report.rs`),
//! and what a person sees of one at the cursor: `dig`'s output and the resolver's queries as a
//! waterfall. Pure functions over plain data, tested natively; the components only draw them.

use hopscope_sim::{SimDuration, SimTime};
use serde_json::Value;

/// One query the recursive resolver sent.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub server: String,
    pub address: String,
    pub qname: String,
    pub qtype: String,
    /// `referral com.`, `answer`, `NXDOMAIN`, `timeout`, …
    pub outcome: String,
    pub sent: SimTime,
    /// `None` when the server never answered (it is down: the resolver timed out).
    pub rtt: Option<SimDuration>,
}

/// One lookup: a name asked by one client, from the browser down and back.
#[derive(Clone, Debug, PartialEq)]
pub struct Lookup {
    pub name: String,
    pub qtype: String,
    pub client: u64,
    pub start: SimTime,
    pub rcode: String,
    /// Records in presentation format, the CNAME chain first.
    pub answer: Vec<String>,
    /// The SOA of a negative answer.
    pub authority: Vec<String>,
    /// `browser`, `os`, `resolver` or `authoritative`.
    pub served_from: String,
    pub latency: SimDuration,
    pub queries: Vec<Query>,
    /// The zone whose servers the resolver asked first (`.` from the root hints).
    pub started_at: Option<String>,
    /// Why a SERVFAIL.
    pub failure: Option<String>,
}

impl Lookup {
    pub fn end(&self) -> SimTime {
        self.start + self.latency
    }
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_string()
}

fn texts(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn micros(v: &Value, key: &str) -> Option<u64> {
    v[key].as_u64()
}

/// The lookups of a run's result; none for a propagation run.
pub fn lookups(result: &Value) -> Vec<Lookup> {
    let Some(all) = result["lookups"].as_array() else {
        return Vec::new();
    };
    all.iter()
        .map(|l| Lookup {
            name: text(l, "name"),
            qtype: text(l, "type"),
            client: l["client"].as_u64().unwrap_or(1),
            start: SimTime(micros(l, "start_us").unwrap_or(0)),
            rcode: text(l, "rcode"),
            answer: texts(l, "answer"),
            authority: texts(l, "authority"),
            served_from: text(l, "served_from"),
            latency: SimDuration(micros(l, "latency_us").unwrap_or(0)),
            queries: l["queries"]
                .as_array()
                .map(|qs| {
                    qs.iter()
                        .map(|q| Query {
                            server: text(q, "server"),
                            address: text(q, "address"),
                            qname: text(q, "qname"),
                            qtype: text(q, "qtype"),
                            outcome: text(q, "outcome"),
                            sent: SimTime(micros(q, "sent_us").unwrap_or(0)),
                            rtt: micros(q, "rtt_us").map(SimDuration),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            started_at: l["started_at"].as_str().map(str::to_string),
            failure: l["failure"].as_str().map(str::to_string),
        })
        .collect()
}

/// The lookup the cursor is in: the last one started by `t` (the first before any started).
pub fn at_cursor(lookups: &[Lookup], t: SimTime) -> Option<usize> {
    if lookups.is_empty() {
        return None;
    }
    Some(lookups.iter().rposition(|l| l.start <= t).unwrap_or(0))
}

/// Where the answer came from, as a person says it.
pub fn served_from_text(l: &Lookup) -> String {
    match l.served_from.as_str() {
        "browser" => "the browser's cache".into(),
        "os" => "the OS stub resolver's cache".into(),
        "resolver" => "the recursive resolver's cache".into(),
        _ => match l.queries.len() {
            1 => "the name servers, after 1 query".into(),
            n => format!("the name servers, after {n} queries"),
        },
    }
}

/// `dig`'s output for a finished lookup (header, question, answer and authority sections, query
/// time), columns aligned as dig aligns them with tabs.
pub fn dig_text(l: &Lookup) -> String {
    let rows: Vec<Vec<&str>> = l
        .answer
        .iter()
        .chain(&l.authority)
        .map(|r| r.splitn(5, ' ').collect())
        .collect();
    let width = |col: usize| {
        rows.iter()
            .filter_map(|r| r.get(col))
            .map(|s| s.chars().count())
            .chain((col == 0).then_some(l.name.chars().count() + 1))
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2), width(3)];
    let line = |r: &Vec<&str>| {
        let mut s = String::new();
        for (i, field) in r.iter().enumerate() {
            if i < 4 {
                s.push_str(&format!("{field:<w$}  ", w = widths[i]));
            } else {
                s.push_str(field);
            }
        }
        s.trim_end().to_string()
    };
    let mut out = format!(
        ";; ->>HEADER<<- opcode: QUERY, status: {}\n;; flags: qr rd ra; QUERY: 1, ANSWER: {}, AUTHORITY: {}, ADDITIONAL: 0\n\n;; QUESTION SECTION:\n{}\n",
        l.rcode,
        l.answer.len(),
        l.authority.len(),
        question_line(l, widths)
    );
    let (answer, authority) = rows.split_at(l.answer.len());
    for (title, section) in [("ANSWER", answer), ("AUTHORITY", authority)] {
        if !section.is_empty() {
            out.push_str(&format!("\n;; {title} SECTION:\n"));
            for r in section {
                out.push_str(&line(r));
                out.push('\n');
            }
        }
    }
    if let Some(why) = &l.failure {
        out.push_str(&format!("\n; SERVFAIL: {why}\n"));
    }
    out.push_str(&format!(
        "\n;; Query time: {} msec\n;; ANSWERED FROM: {}",
        (l.latency.as_millis_f64()).round(),
        served_from_text(l)
    ));
    out
}

fn question_line(l: &Lookup, widths: [usize; 4]) -> String {
    // dig prints the question with a leading `;` and no TTL column.
    let owner = format!(";{}", l.name);
    format!(
        "{owner:<w0$}  {:<w1$}  {:<w2$}  {}",
        "",
        "IN",
        l.qtype,
        w0 = widths[0],
        w1 = widths[1],
        w2 = widths[2]
    )
}

/// What the card shows while the answer is still on its way: the question and the progress.
pub fn pending_text(l: &Lookup, t: SimTime) -> String {
    let sent = l.queries.iter().filter(|q| q.sent <= t).count();
    let queries = match sent {
        0 => String::new(),
        1 => ", 1 query to name servers".to_string(),
        n => format!(", {n} queries to name servers"),
    };
    format!(
        ";; QUESTION SECTION:\n;{}  IN  {}\n\n;; resolving… {} so far{queries}",
        l.name,
        l.qtype,
        t.since(l.start)
    )
}

/// Whether a cache row (`frame.tables`) holds a negative answer (RFC 2308): the resolver's
/// `name does not exist (SOA …)` and `no MX records (SOA …)`, a stub's `NXDOMAIN`, `NODATA …`.
pub fn is_negative(value: &str) -> bool {
    value.starts_with("name does not exist")
        || value.starts_with("no ") && value.contains(" records")
        || value.starts_with("NXDOMAIN")
        || value.starts_with("NODATA")
}

/// A query as the waterfall draws it, in percent of the lookup's duration.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub left: f64,
    pub width: f64,
    /// How much of the bar the cursor has reached, 0 to 1.
    pub done: f64,
    pub timed_out: bool,
}

/// Query bars over the lookup's time, `t` the cursor; an unanswered query lasts `timeout`.
pub fn bars(l: &Lookup, timeout: SimDuration, t: SimTime) -> Vec<Bar> {
    let span = l.latency.0.max(1) as f64;
    l.queries
        .iter()
        .map(|q| {
            let length = q.rtt.unwrap_or(timeout).0;
            let from = q.sent.0.saturating_sub(l.start.0) as f64;
            let left = (100.0 * from / span).clamp(0.0, 100.0);
            let width = (100.0 * length as f64 / span).clamp(0.0, 100.0 - left);
            let done = match length {
                0 => f64::from(u8::from(t >= q.sent)),
                n => (t.0.saturating_sub(q.sent.0) as f64 / n as f64).clamp(0.0, 1.0),
            };
            Bar {
                left,
                width,
                done,
                timed_out: q.rtt.is_none(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use hopscope_sim::registry;

    fn run(values: &[(&str, &str)]) -> Vec<Lookup> {
        let dns = *registry::blocks()
            .iter()
            .find(|b| b.id() == "dns")
            .expect("dns is registered");
        let run = hopscope_sim::run_scenario(dns, values, 1).expect("valid scenario");
        lookups(&run.result)
    }

    #[test]
    fn a_cold_lookup_reads_like_dig() {
        let ls = run(&[]);
        assert_eq!(ls.len(), 1);
        expect![[r#"
            ;; ->>HEADER<<- opcode: QUERY, status: NOERROR
            ;; flags: qr rd ra; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 0

            ;; QUESTION SECTION:
            ;www.example.com.       IN  A

            ;; ANSWER SECTION:
            www.example.com.   300  IN  A  192.0.2.80

            ;; Query time: 120 msec
            ;; ANSWERED FROM: the name servers, after 3 queries"#]]
        .assert_eq(&dig_text(&ls[0]));
        let servers: Vec<&str> = ls[0].queries.iter().map(|q| q.server.as_str()).collect();
        assert_eq!(
            servers,
            [
                "a.root-servers.net.",
                "a.gtld-servers.net.",
                "ns1.example.com."
            ]
        );
        assert_eq!(ls[0].started_at.as_deref(), Some("."));
    }

    #[test]
    fn a_negative_answer_carries_the_soa_and_its_repeat_comes_from_the_cache() {
        let ls = run(&[
            ("name", "nope.example.com,nope.example.com"),
            ("clients", "2"),
        ]);
        expect![[r#"
            ;; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN
            ;; flags: qr rd ra; QUERY: 1, ANSWER: 0, AUTHORITY: 1, ADDITIONAL: 0

            ;; QUESTION SECTION:
            ;nope.example.com.       IN  A

            ;; AUTHORITY SECTION:
            example.com.        298  IN  SOA  ns1.example.com. hostmaster.example.com. 2024060101 7200 3600 1209600 300

            ;; Query time: 10 msec
            ;; ANSWERED FROM: the recursive resolver's cache"#]]
        .assert_eq(&dig_text(&ls[1]));
        assert!(ls[1].queries.is_empty());
        assert_eq!(at_cursor(&ls, SimTime(0)), Some(0));
        assert_eq!(at_cursor(&ls, ls[1].start), Some(1));
        assert_eq!(at_cursor(&[], SimTime(5)), None);
    }

    #[test]
    fn a_cname_chain_and_a_servfail_explain_themselves() {
        let ls = run(&[("name", "blog.example.com")]);
        assert!(
            ls[0].answer[0].starts_with("blog.example.com. ")
                && ls[0].answer[0].contains(" CNAME "),
            "the chain comes first: {:?}",
            ls[0].answer
        );
        let ls = run(&[("name", "ping.example.com")]);
        assert_eq!(ls[0].rcode, "SERVFAIL");
        assert!(
            dig_text(&ls[0]).contains("\n; SERVFAIL: "),
            "{}",
            dig_text(&ls[0])
        );
    }

    #[test]
    fn negative_cache_rows_are_told_apart() {
        for v in [
            "name does not exist (SOA example.com.)",
            "no MX records (SOA example.com.)",
            "NXDOMAIN",
            "NODATA (no MX)",
        ] {
            assert!(is_negative(v), "{v}");
        }
        for v in [
            "192.0.2.80",
            "a.gtld-servers.net., b.gtld-servers.net. (from a referral)",
            "A 192.0.2.80",
            "\"v=spf1 mx ip4:192.0.2.0/24 -all\"",
        ] {
            assert!(!is_negative(v), "{v}");
        }
        let ls = run(&[]);
        let early = ls[0].queries[1].sent + SimDuration(1000);
        expect![[r#"
            ;; QUESTION SECTION:
            ;www.example.com.  IN  A

            ;; resolving… 26.1 ms so far, 2 queries to name servers"#]]
        .assert_eq(&pending_text(&ls[0], early));
    }

    #[test]
    fn bars_follow_the_cursor_and_a_timeout_lasts_the_timeout() {
        let ls = run(&[("down", "ns1.example.com")]);
        let l = &ls[0];
        let timeout = SimDuration(800_000);
        let at_end = bars(l, timeout, l.end());
        assert!(at_end.iter().all(|b| b.done == 1.0));
        let dead: Vec<&Bar> = at_end.iter().filter(|b| b.timed_out).collect();
        assert_eq!(dead.len(), 1, "{at_end:?}");
        assert!(dead[0].width > 50.0, "the timeout dominates: {dead:?}");
        assert!(at_end.iter().all(|b| b.left + b.width <= 100.0 + 1e-9));
        let first = &l.queries[0];
        let half = first.sent + SimDuration(first.rtt.expect("root answers").0 / 2);
        let mid = bars(l, timeout, half);
        assert_eq!(mid[0].done, 0.5);
        assert_eq!(mid[1].done, 0.0);
    }
}
