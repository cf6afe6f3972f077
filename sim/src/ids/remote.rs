//! The remote generators' half of the scenario: a worker asks the central sequencer, or one of
//! Flickr's two ticket servers, for IDs over the network. Every ask is a call with a hop each way,
//! a FIFO queue at the server (`service_us` per request is its ceiling), and a timeout at the
//! worker; a down server answers nothing. Ticket clients fail over to the other server once;
//! a failed sequencer call fails every request that waited on it.

use super::fleet::Generator;
use super::narrate;
use super::scenario::{Call, Ev, Sim};
use super::sequencer::{Lease, Range};
use crate::kernel::time::SimTime;

impl Sim<'_> {
    /// Hands out leased IDs; asks for a new lease when the worker has requests and none left.
    pub(super) fn drain_lease(&mut self, now: SimTime, w: u32) {
        let wi = w as usize;
        while !self.workers[wi].queue.is_empty() {
            let Some(id) = self.workers[wi].lease.take() else {
                break;
            };
            let r = self.workers[wi].queue.pop_front().expect("not empty");
            self.issue(now, r, u128::from(id), None);
        }
        if !self.workers[wi].queue.is_empty() && self.workers[wi].lease_call.is_none() {
            let c = self.call(now, w, 0, self.cfg.lease, None, 0);
            self.workers[wi].lease_call = Some(c);
        }
    }

    pub(super) fn call(
        &mut self,
        now: SimTime,
        w: u32,
        server: u32,
        n: u64,
        req: Option<u32>,
        attempt: u8,
    ) -> u32 {
        let c = self.calls.len() as u32;
        self.calls.push(Call {
            worker: w,
            server,
            n,
            req,
            attempt,
            done: false,
            ids: None,
            sent: now,
        });
        self.round_trips += 1;
        let node = self.workers.len() as u32 + server;
        let label = match (self.cfg.generator, n) {
            (Generator::Ticket, _) => "REPLACE INTO Tickets64".to_string(),
            (_, 1) => "next ID?".to_string(),
            (_, n) => format!("next {n} IDs?"),
        };
        self.trace
            .hop(now, now + self.cfg.link, w, node, u64::from(c) + 1, label);
        self.sched.at(now + self.cfg.link, Ev::AtServer(c));
        self.sched.at(now + self.cfg.timeout, Ev::Timeout(c));
        c
    }

    pub(super) fn at_server(&mut self, now: SimTime, c: u32) {
        let s = self.calls[c as usize].server as usize;
        let node = self.workers.len() as u32 + s as u32;
        if self.servers[s].is_down(now) {
            self.trace
                .drop_msg(now, node, u64::from(c) + 1, "server down: no answer");
            return;
        }
        let server = &mut self.servers[s];
        let start = now.max(server.busy_until);
        server.busy_until = start + self.cfg.service;
        server.in_system += 1;
        server.load.set(now, f64::from(server.in_system));
        let (done, load) = (server.busy_until, server.in_system);
        self.trace.gauge(now, node, "queued", f64::from(load));
        self.sched.at(done, Ev::ServerDone(c));
    }

    pub(super) fn server_done(&mut self, now: SimTime, c: u32) {
        let s = self.calls[c as usize].server as usize;
        let node = self.workers.len() as u32 + s as u32;
        let server = &mut self.servers[s];
        server.in_system -= 1;
        server.load.set(now, f64::from(server.in_system));
        let load = server.in_system;
        self.trace.gauge(now, node, "queued", f64::from(load));
        if self.servers[s].is_down(now) {
            self.trace.drop_msg(
                now,
                node,
                u64::from(c) + 1,
                "server went down before answering",
            );
            return;
        }
        let n = self.calls[c as usize].n;
        let (first, last) = match self.cfg.generator {
            Generator::Ticket => {
                let t = self.servers[s].ticket.next_ticket();
                (t, t)
            }
            _ => {
                let r = self.sequencer.grant(n);
                (r.first, r.last)
            }
        };
        self.servers[s].granted += last - first + 1;
        self.calls[c as usize].ids = Some((first, last));
        let label = if first == last {
            first.to_string()
        } else {
            format!("{first}–{last}")
        };
        let w = self.calls[c as usize].worker;
        self.trace
            .hop(now, now + self.cfg.link, node, w, u64::from(c) + 1, label);
        self.sched.at(now + self.cfg.link, Ev::Reply(c));
    }

    pub(super) fn reply(&mut self, now: SimTime, c: u32) {
        let (first, last) = self.calls[c as usize].ids.expect("a reply carries IDs");
        let w = self.calls[c as usize].worker;
        if self.calls[c as usize].done {
            self.wasted += last - first + 1;
            self.trace.drop_msg(
                now,
                w,
                u64::from(c) + 1,
                "late reply after the timeout: its IDs are never used",
            );
            narrate::late(self, now, c);
            return;
        }
        self.calls[c as usize].done = true;
        narrate::reply(self, now, c);
        if let Some(r) = self.calls[c as usize].req {
            self.issue(now, r, u128::from(first), None);
        } else {
            let worker = &mut self.workers[w as usize];
            worker.lease = Lease::new(Range { first, last });
            worker.lease_call = None;
            self.drain_lease(now, w);
        }
    }

    pub(super) fn timeout(&mut self, now: SimTime, c: u32) {
        if self.calls[c as usize].done {
            return;
        }
        self.calls[c as usize].done = true;
        self.timeouts += 1;
        let call = &self.calls[c as usize];
        let (w, server, attempt) = (call.worker, call.server, call.attempt);
        if self.cfg.generator == Generator::Ticket && attempt == 0 {
            self.failovers += 1;
            let req = self.calls[c as usize].req.take();
            narrate::failover(self, now, w, server);
            self.call(now, w, 1 - server, 1, req, 1);
            return;
        }
        let failed: Vec<u32> = match self.calls[c as usize].req.take() {
            Some(r) => vec![r],
            None => {
                self.workers[w as usize].lease_call = None;
                self.workers[w as usize].queue.drain(..).collect()
            }
        };
        for &r in &failed {
            self.failures += 1;
            self.workers[w as usize].failures += 1;
            self.failed_s.add(now);
            self.trace
                .drop_msg(now, w, u64::from(r) + 1, "timed out: no ID");
        }
        narrate::timeout(self, now, w, failed.len());
    }
}
