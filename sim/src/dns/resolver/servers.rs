//! Steps 2 and 3 of RFC 1034 §5.3.3: which servers to ask, in what order, and finding the
//! address of a server named without glue.

use super::{zone_phrase, Ctx, Fail, Network, Resolver, Who};
use crate::dns::cache::Rank;
use crate::dns::message::Question;
use crate::dns::name::Name;
use crate::dns::record::{RData, RType};
use crate::kernel::time::SimTime;
use std::net::Ipv4Addr;

impl Resolver {
    /// Step 2: the closest cached delegation above or at `sname`, else the root hints.
    pub(super) fn best_servers(&mut self, now: SimTime, sname: &Name) -> (Name, Vec<Name>) {
        let mut at = sname.clone();
        loop {
            if let Some(ns) = self.cache.get(now, &at, RType::Ns, Rank::Glue) {
                let names: Vec<Name> = ns
                    .iter()
                    .filter_map(|r| match &r.rdata {
                        RData::Ns(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect();
                if !names.is_empty() {
                    return (at, names);
                }
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        (
            Name::root(),
            self.hints.iter().map(|(n, _)| n.clone()).collect(),
        )
    }

    /// A known IPv4 address of server `ns`: cached (any rank) or from the hints.
    pub(super) fn known_address(&mut self, now: SimTime, ns: &Name) -> Option<Ipv4Addr> {
        if let Some(rrs) = self.cache.get(now, ns, RType::A, Rank::Glue) {
            if let Some(RData::A(a)) = rrs.first().map(|r| &r.rdata) {
                return Some(*a);
            }
        }
        self.hints
            .iter()
            .find(|(n, _)| n == ns)
            .and_then(|(_, a)| a.first().copied())
    }

    /// Step 3's SLIST order: servers with known addresses first, unresponsive ones last,
    /// otherwise in the order of the NS records.
    pub(super) fn order(
        &mut self,
        now: SimTime,
        servers: &[Name],
    ) -> Vec<(Name, Option<Ipv4Addr>)> {
        let mut list: Vec<(u8, usize, Name, Option<Ipv4Addr>)> = servers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let addr = self.known_address(now, s);
                let dead = self.unresponsive.get(s).is_some_and(|until| *until > now);
                let class = match (dead, addr.is_some()) {
                    (false, true) => 0,
                    (false, false) => 1,
                    (true, _) => 2,
                };
                (class, i, s.clone(), addr)
            })
            .collect();
        list.sort_by_key(|(class, i, _, _)| (*class, *i));
        list.into_iter().map(|(_, _, s, a)| (s, a)).collect()
    }

    /// Looks up the address of a server named without glue.
    pub(super) fn address_by_lookup(
        &mut self,
        net: &mut dyn Network,
        ctx: &mut Ctx,
        ns: &Name,
        zone: &Name,
        depth: usize,
    ) -> Result<Ipv4Addr, String> {
        let (nsb, zb) = (ns.bare(), zone_phrase(zone));
        if ns.is_in(zone) {
            return Err(format!(
                "{nsb} lies inside {zb} and no glue gave its address"
            ));
        }
        if ctx.ns_stack.contains(ns) {
            return Err(format!("finding {nsb}'s address needs {nsb} itself"));
        }
        if depth >= self.cfg.max_ns_depth {
            return Err(format!(
                "finding {nsb}'s address needs more than {} nested lookups",
                self.cfg.max_ns_depth
            ));
        }
        if net.narrating() {
            net.narrate(ctx.now, Who::Resolver, format!(
                "The servers for {zb} are named but no address came with them: {nsb} lies outside the zone that referred (out of bailiwick, so no glue). The resolver first looks up {nsb} itself."
            ));
        }
        ctx.ns_stack.push(ns.clone());
        let found = self.lookup(net, ctx, &Question::new(ns.clone(), RType::A), depth + 1);
        ctx.ns_stack.pop();
        match found {
            Ok(f) => {
                let addr = f.records.iter().find_map(|r| match r.rdata {
                    RData::A(a) => Some(a),
                    _ => None,
                });
                match addr {
                    Some(a) => {
                        if net.narrating() {
                            net.narrate(
                                ctx.now,
                                Who::Resolver,
                                format!(
                                    "Now the resolver knows {nsb} is at {a}, and returns to {zb}."
                                ),
                            );
                        }
                        Ok(a)
                    }
                    None => Err(format!("{nsb} has no address ({})", f.rcode)),
                }
            }
            Err(Fail(why)) => Err(format!("could not find {nsb}'s address: {why}")),
        }
    }
}
