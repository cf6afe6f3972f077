//! The nodes of a DNS run: clients' browsers and OS stubs, the recursive resolver, and the
//! name servers, added as they are first contacted, in columns by level (root, TLD,
//! authoritative).

use super::internet::{Internet, Tier};
use super::name::Name;
use crate::kernel::run::{Node, NodeId};
use std::collections::BTreeMap;

pub const COL_BROWSER: u32 = 0;
pub const COL_OS: u32 = 1;
pub const COL_RESOLVER: u32 = 2;
pub const COL_ROOT: u32 = 3;
pub const COL_TLD: u32 = 4;
pub const COL_AUTH: u32 = 5;

#[derive(Default)]
pub struct Topology {
    pub nodes: Vec<Node>,
    servers: BTreeMap<Name, NodeId>,
    rows: BTreeMap<u32, u32>,
}

impl Topology {
    pub fn add(
        &mut self,
        name: String,
        label: String,
        role: &str,
        col: u32,
        detail: String,
    ) -> NodeId {
        let id = self.nodes.len() as NodeId;
        let row = self.rows.entry(col).or_insert(0);
        self.nodes.push(Node {
            id,
            name,
            label,
            role: role.to_string(),
            col,
            row: *row,
            detail,
        });
        *row += 1;
        id
    }

    /// The node of server `name`, added on first use.
    pub fn server(&mut self, internet: &Internet, name: &Name, down: bool) -> NodeId {
        if let Some(id) = self.servers.get(name) {
            return *id;
        }
        let (role, col) = if !internet.is_server(name) {
            ("authoritative", COL_AUTH)
        } else {
            match internet.tier(name) {
                Tier::Root => ("root", COL_ROOT),
                Tier::Tld => ("tld", COL_TLD),
                Tier::Authoritative => ("authoritative", COL_AUTH),
            }
        };
        let zones: Vec<String> = internet
            .served_by(name)
            .iter()
            .map(|z| z.to_string())
            .collect();
        let mut detail = match internet.address_of(name) {
            Some(a) => format!("{a} · "),
            None => String::new(),
        };
        if zones.is_empty() {
            detail.push_str("serves no zone");
        } else {
            detail.push_str(&format!("serves {}", zones.join(" ")));
        }
        if down {
            detail.push_str(" · down");
        }
        let id = self.add(name.to_string(), name.bare(), role, col, detail);
        self.servers.insert(name.clone(), id);
        id
    }
}
