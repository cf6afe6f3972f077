//! The resolver's network in a lookups run, and the helpers that record hops, steps and table
//! changes.

use crate::dns::cache::Change;
use crate::dns::config::Config;
use crate::dns::internet::{Internet, Tier};
use crate::dns::label;
use crate::dns::message::{Message, Question};
use crate::dns::name::Name;
use crate::dns::resolver::{Network, Who};
use crate::dns::stub::StubCache;
use crate::dns::topology::Topology;
use crate::kernel::run::NodeId;
use crate::kernel::time::{SimDuration, SimTime};
use crate::kernel::trace::Trace;
use std::net::Ipv4Addr;

/// Half of a round trip, and the other half (so the two add up exactly).
pub(super) fn halves(rtt: SimDuration) -> (SimDuration, SimDuration) {
    let a = SimDuration(rtt.0 / 2);
    (a, SimDuration(rtt.0 - a.0))
}

/// The resolver's network: records each exchange with a server as two hops (or a hop and a
/// drop when the server is down).
pub(super) struct Wire<'a> {
    pub(super) trace: &'a mut Trace,
    pub(super) topo: &'a mut Topology,
    pub(super) internet: &'a Internet,
    pub(super) cfg: &'a Config,
    pub(super) resolver: NodeId,
    pub(super) msg: u64,
    pub(super) narrate: bool,
}

impl Wire<'_> {
    fn rtt(&self, server: &Name) -> SimDuration {
        match self.internet.tier(server) {
            Tier::Root => self.cfg.rtt_root,
            Tier::Tld => self.cfg.rtt_tld,
            Tier::Authoritative => self.cfg.rtt_auth,
        }
    }
}

impl Network for Wire<'_> {
    fn exchange(
        &mut self,
        now: SimTime,
        server: &Name,
        _addr: Ipv4Addr,
        q: &Question,
        _id: u64,
    ) -> Option<(SimTime, Message)> {
        let down = self.cfg.down.contains(server);
        let node = self.topo.server(self.internet, server, down);
        let (there, back) = halves(self.rtt(server));
        self.trace.hop(
            now,
            now + there,
            self.resolver,
            node,
            self.msg,
            label::query(q),
        );
        let reply = if down {
            None
        } else {
            self.internet.answer(server, q)
        };
        match reply {
            None => {
                let why = if down {
                    "server down: no reply"
                } else {
                    "no server at this name"
                };
                self.trace.drop_msg(now + there, node, self.msg, why);
                None
            }
            Some(msg) => {
                let at = now + there;
                self.trace.hop(
                    at,
                    at + back,
                    node,
                    self.resolver,
                    self.msg,
                    label::response(q, &msg),
                );
                Some((at + back, msg))
            }
        }
    }

    fn narrating(&self) -> bool {
        self.narrate
    }

    fn narrate(&mut self, at: SimTime, who: Who, text: String) {
        let text = tidy(text);
        let node = match who {
            Who::Resolver => self.resolver,
            Who::Server(name) => {
                let down = self.cfg.down.contains(&name);
                self.topo.server(self.internet, &name, down)
            }
        };
        self.trace.step(at, Some(node), text);
    }

    fn cache_changed(&mut self, at: SimTime, change: Change) {
        record_change(self.trace, at, self.resolver, change);
    }
}

/// Sentences that end in a record (`… mail.example.com.`) get one full stop, not two.
pub(super) fn tidy(text: String) -> String {
    let mut t = text.replace(".. ", ". ").replace("..)", ".)");
    if t.ends_with("..") {
        t.pop();
    }
    t
}

/// Records a narrated step, tidied.
pub(super) fn say(trace: &mut Trace, at: SimTime, node: Option<NodeId>, text: String) {
    trace.step(at, node, tidy(text));
}

pub(super) fn record_change(trace: &mut Trace, at: SimTime, node: NodeId, change: Change) {
    match change {
        Change::Set {
            key,
            value,
            expires,
        } => trace.entry(at, node, key, value, Some(expires)),
        Change::Removed { key, reason } => trace.remove(at, node, key, reason),
    }
}

pub(super) fn flush(trace: &mut Trace, at: SimTime, node: NodeId, cache: &mut StubCache) {
    for c in cache.take_changes() {
        record_change(trace, at, node, c);
    }
}
