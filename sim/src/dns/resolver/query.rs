//! Step 3 of RFC 1034 §5.3.3: "Send them queries until one returns a response", one server after
//! another, with a timeout for each.

use super::{zone_phrase, Ctx, Fail, Network, Resolver, SentQuery, Step, Who, DEAD_SERVER_MEMORY};
use crate::dns::cache::Negative;
use crate::dns::message::Question;
use crate::dns::name::Name;
use crate::dns::record::RType;

impl Resolver {
    /// Step 3: asks the servers for `zone` in turn until one gives a usable response.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn query_zone(
        &mut self,
        net: &mut dyn Network,
        ctx: &mut Ctx,
        zone: &Name,
        servers: &[Name],
        sname: &Name,
        qtype: RType,
        depth: usize,
    ) -> Result<Step, Fail> {
        let question = Question::new(sname.clone(), qtype);
        let mut problems: Vec<String> = Vec::new();
        let mut looped: Option<String> = None;
        for (ns, addr) in self.order(ctx.now, servers) {
            let addr = match addr {
                Some(a) => a,
                None => match self.address_by_lookup(net, ctx, &ns, zone, depth) {
                    Ok(a) => a,
                    Err(why) => {
                        problems.push(why);
                        continue;
                    }
                },
            };
            if ctx.queries.len() as u32 >= self.cfg.max_queries {
                return Err(Fail(format!(
                    "it sent {} queries for one lookup, its limit",
                    self.cfg.max_queries
                )));
            }
            self.next_id += 1;
            let sent = ctx.now;
            if net.narrating() {
                net.narrate(
                    sent,
                    Who::Server(ns.clone()),
                    format!(
                        "The resolver asks {} ({addr}), a server for {}: {question}.",
                        ns.bare(),
                        zone_phrase(zone)
                    ),
                );
            }
            let reply = net.exchange(sent, &ns, addr, &question, self.next_id);
            let Some((arrived, msg)) = reply else {
                ctx.now = sent + self.cfg.timeout;
                self.unresponsive
                    .insert(ns.clone(), ctx.now + DEAD_SERVER_MEMORY);
                ctx.queries.push(SentQuery {
                    server: ns.clone(),
                    address: addr,
                    question: question.clone(),
                    sent,
                    replied: None,
                    outcome: "timeout".into(),
                });
                if net.narrating() {
                    net.narrate(ctx.now, Who::Server(ns.clone()), format!(
                        "No reply from {} within the {} timeout: the server is down. The resolver remembers that for up to 5 minutes (RFC 2308 §7.2) and tries the next server for {}.",
                        ns.bare(),
                        self.cfg.timeout,
                        zone_phrase(zone)
                    ));
                }
                problems.push(format!("{} did not answer", ns.bare()));
                continue;
            };
            ctx.now = arrived;
            self.unresponsive.remove(&ns);
            let digested = self.digest(net, ctx.now, zone, &ns, &question, &msg);
            let outcome = match &digested {
                Ok(Step::Answer { chain, .. }) if !chain.is_empty() => {
                    "CNAME and answer".to_string()
                }
                Ok(Step::Answer { .. }) => "answer".to_string(),
                Ok(Step::Negative {
                    kind: Negative::NxDomain,
                    ..
                }) => "NXDOMAIN".to_string(),
                Ok(Step::Negative {
                    kind: Negative::NoData,
                    ..
                }) => "NODATA".to_string(),
                Ok(Step::Referral { zone, .. }) => format!("referral {zone}"),
                Ok(Step::Alias { .. }) => "CNAME".to_string(),
                Err((_, short, _)) => short.clone(),
            };
            ctx.queries.push(SentQuery {
                server: ns.clone(),
                address: addr,
                question: question.clone(),
                sent,
                replied: Some(arrived),
                outcome,
            });
            self.flush(net, ctx.now);
            match digested {
                Ok(step) => return Ok(step),
                Err((why, _, is_loop)) => {
                    if is_loop {
                        looped = Some(why.clone());
                    }
                    problems.push(why);
                }
            }
        }
        Err(Fail(match looped {
            Some(why) => format!("referral loop: {why}"),
            None if problems.is_empty() => {
                format!("no server for {} could be asked", zone_phrase(zone))
            }
            None => format!(
                "no server for {} gave a usable answer ({})",
                zone_phrase(zone),
                problems.join("; ")
            ),
        }))
    }
}
