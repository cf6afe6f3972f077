//! Server-side renders of the topology for a two-node run (the nodes and the link), where the
//! canvas puts its packets and what it says it drew, and the compact drawing of a big run.

use super::*;
use crate::run_data::RunData;
use hopscope_sim::view::{frame_at, RunIndex};
use hopscope_sim::{Event, Node, Run, SimTime, Step};
use yew::LocalServerRenderer;

fn tiny_run() -> Run {
    let node = |id: u32, col: u32, name: &str, role: &str| Node {
        id,
        name: name.into(),
        label: name.replace('-', " "),
        role: role.into(),
        col,
        row: 0,
        detail: format!("{role} <b>{id}</b>"),
    };
    Run {
        scenario: "tiny".into(),
        seed: 1,
        params: Default::default(),
        duration: SimTime(40),
        nodes: vec![
            node(0, 0, "client", "client"),
            node(1, 1, "server-1", "backend"),
        ],
        events: vec![
            Event::Hop {
                at: SimTime(0),
                arrive: SimTime(10),
                from: 0,
                to: 1,
                msg: 7,
                label: "GET".into(),
            },
            Event::Gauge {
                at: SimTime(10),
                node: 1,
                name: "busy".into(),
                value: 1.0,
            },
            Event::Drop {
                at: SimTime(12),
                node: 1,
                msg: 8,
                reason: "queue full".into(),
            },
            Event::Hop {
                at: SimTime(20),
                arrive: SimTime(30),
                from: 1,
                to: 0,
                msg: 7,
                label: "200".into(),
            },
        ],
        events_until: None,
        steps: vec![Step {
            at: SimTime(0),
            text: "a request leaves".into(),
            node: Some(0),
        }],
        series: vec![],
        result: serde_json::Value::Null,
    }
}

fn render_at(t: u64) -> String {
    let data = RunData::new(tiny_run());
    let frame = frame_at(&data.run, &RunIndex::new(&data.run), SimTime(t));
    let props = TopologyProps {
        run: SharedRun(Rc::new(data)),
        frame: Rc::new(frame),
        highlight: Some(0),
        fit_height: false,
    };
    futures::executor::block_on(
        LocalServerRenderer::<Topology>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

/// Where the canvas draws each packet of the tiny run at `t` (unmeasured, wide drawing), as
/// `data-packets` says it: `hop msg x y label`.
fn packets_at(t: u64, reduced: bool) -> String {
    let data = RunData::new(tiny_run());
    let frame = frame_at(&data.run, &RunIndex::new(&data.run), SimTime(t));
    let g = Geometry::for_width(&data.layout, None);
    let mut spots = Vec::new();
    packets::place(&frame, &g, reduced, true, None, &mut spots);
    packets::exposed(&frame, &spots)
}

#[test]
fn nodes_links_and_a_packet_halfway() {
    let html = render_at(5);
    assert!(html.starts_with(r#"<div class="topology-wrap""#), "{html}");
    assert!(
        html.contains(r#"<canvas data-testid="packets" aria-hidden="true""#),
        "{html}"
    );
    assert!(html.contains("1 messages in flight"), "{html}");
    assert!(html.contains(r#"viewBox="0 0 600 120""#), "{html}");
    assert!(
        html.contains(r#"data-testid="node" data-node="client" transform="translate(150 60)""#),
        "{html}"
    );
    assert!(
        html.contains(r#"data-node="server-1" transform="translate(450 60)""#),
        "{html}"
    );
    assert_eq!(html.matches("class=\"link\"").count(), 1);
    // Half way from the client's card edge (246) to the server's (354), on the lane below.
    assert_eq!(packets_at(5, false), "0 7 300 69 GET");
    assert!(
        !html.contains("data-testid=\"packet\""),
        "packets are not SVG elements"
    );
    assert!(
        html.contains("is-highlighted"),
        "the step's node stands out"
    );
}

#[test]
fn gauges_drops_and_the_way_back() {
    let html = render_at(15);
    assert!(html.contains(">busy 1<"), "{html}");
    assert!(
        html.contains(r#"data-testid="drop""#) && html.contains(">dropped #8<"),
        "a drop has a mark, not only a colour: {html}"
    );
    assert_eq!(packets_at(15, false), "");
    let html = render_at(25);
    assert!(!html.contains(r#"data-testid="drop""#), "the flash is over");
    // The response runs right to left on the other lane, half way at t = 25.
    assert_eq!(packets_at(25, false), "3 7 300 51 200");
    // With reduced motion it waits at its sender's edge (354) for the whole hop.
    assert_eq!(packets_at(25, true), "3 7 354 51 200");
}

#[test]
fn text_from_the_run_is_escaped() {
    let html = render_at(0);
    assert!(html.contains("client &lt;b&gt;0&lt;/b&gt;"), "{html}");
    assert!(!html.contains("<b>"));
}

#[test]
fn long_details_wrap_onto_the_room_there_is() {
    let wide = Geometry::new(&[(0.5, 0.5)]);
    assert_eq!(
        wrap("capacity 2, queue 4, weight 1", 21, 2),
        ["capacity 2, queue 4,", "weight 1"]
    );
    assert_eq!(
        wrap("capacity 2, queue 4, weight 1", 12, 1),
        ["capacity 2,…"]
    );
    assert_eq!(wrap("", 12, 2), Vec::<String>::new());
    assert_eq!(wrap("supercalifragilistic", 8, 2), ["superca…"]);
    let lines: Vec<String> = card_lines(
        wide.line_chars(0),
        wide.detail_lines(),
        "backend 1",
        "capacity 2, queue 4, weight 1",
        "busy 2 · queued 1",
    )
    .into_iter()
    .map(|l| format!("{} {} {}", l.class, num(l.y), l.text))
    .collect();
    assert_eq!(
        lines,
        [
            "node-label -17.3 backend 1",
            "node-detail -2.5 capacity 2, queue 4,",
            "node-detail 11.5 weight 1",
            "node-gauges 26.3 busy 2 · queued 1"
        ]
    );
}

#[test]
fn a_label_a_little_too_long_is_drawn_smaller_and_whole_a_much_longer_one_cut() {
    // Within 14 characters: full size.
    assert_eq!(label_fit("backend 1", 14), ("backend 1".to_string(), None));
    // 18 characters, and `ns1.example.com`, 15.6 wide with its two `m`s: smaller, whole.
    for label in ["a.root-servers.net", "ns1.example.com"] {
        let (text, px) = label_fit(label, 14);
        assert_eq!(text, label);
        let want = 13.5 * 0.97 * 14.0 / glyph_width(label);
        assert!((px.unwrap() - want).abs() < 1e-9, "{label}: {px:?}");
        assert!(px.unwrap() > 10.0, "{label}: {px:?}");
    }
    // Twice too wide: cut at the smallest size, where 14 × 0.97 / 0.72 = 18.9 characters fit.
    let (text, px) = label_fit("an-unusually-long-name.example.com", 14);
    assert_eq!(px, Some(13.5 * 0.72));
    assert_eq!(text, "an-unusually-long…");
}

#[test]
fn a_crashed_node_says_so_in_words_and_outline() {
    let mut run = tiny_run();
    run.events.insert(
        1,
        Event::Gauge {
            at: SimTime(5),
            node: 1,
            name: "alive".into(),
            value: 0.0,
        },
    );
    let data = RunData::new(run);
    let render = |t: u64| {
        let frame = frame_at(&data.run, &RunIndex::new(&data.run), SimTime(t));
        let props = TopologyProps {
            run: SharedRun(Rc::new(RunData::new(data.run.clone()))),
            frame: Rc::new(frame),
            highlight: None,
            fit_height: false,
        };
        futures::executor::block_on(
            LocalServerRenderer::<Topology>::with_props(props)
                .hydratable(false)
                .render(),
        )
    };
    let before = render(2);
    assert!(!before.contains("node-status"), "{before}");
    let after = render(15);
    assert!(
        after.contains(">DOWN<"),
        "a badge, not only a colour: {after}"
    );
    assert!(after.contains("is-down"), "{after}");
    assert!(
        after.contains("down: crashed"),
        "the tooltip says it: {after}"
    );
}

/// A client, a balancer and `backends` backends, with `hops` requests in flight from the
/// balancer at t = 5 (request `k` to backend `k % backends`) and `busy` gauges rising by backend.
fn big_run(backends: u32, hops: u32) -> Run {
    let node = |id: u32, col: u32, row: u32, name: String, role: &str| Node {
        id,
        label: name.replace('-', " "),
        name,
        role: role.into(),
        col,
        row,
        detail: role.into(),
    };
    let mut run = tiny_run();
    run.nodes = vec![
        node(0, 0, 0, "client".into(), "client"),
        node(1, 1, 0, "lb".into(), "lb"),
    ];
    run.nodes
        .extend((0..backends).map(|b| node(2 + b, 2, b, format!("backend-{b}"), "backend")));
    run.events = (0..hops)
        .map(|k| Event::Hop {
            at: SimTime(0),
            arrive: SimTime(10),
            from: 1,
            to: 2 + k % backends,
            msg: u64::from(k),
            label: "GET".into(),
        })
        .chain((0..backends).map(|b| Event::Gauge {
            at: SimTime(1),
            node: 2 + b,
            name: "busy".into(),
            value: f64::from(b % 5),
        }))
        .collect();
    run.events.sort_by_key(|e| e.at());
    run.steps[0].node = None;
    run
}

fn render(run: Run, t: u64, highlight: Option<NodeId>) -> String {
    let data = RunData::new(run);
    let frame = frame_at(&data.run, &RunIndex::new(&data.run), SimTime(t));
    let props = TopologyProps {
        run: SharedRun(Rc::new(data)),
        frame: Rc::new(frame),
        highlight,
        fit_height: false,
    };
    futures::executor::block_on(
        LocalServerRenderer::<Topology>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

#[test]
fn a_hundred_backends_are_marks_with_their_load_and_one_detail_slot() {
    let html = render(big_run(100, 1000), 5, None);
    assert_eq!(
        html.matches(r#"data-testid="node""#).count(),
        102,
        "every node is there"
    );
    assert_eq!(
        html.matches(" mark\"").count() + html.matches(" mark ").count(),
        100
    );
    assert_eq!(
        html.matches("class=\"node-shape\"").count(),
        2,
        "two full cards"
    );
    assert!(html.contains("1000 messages in flight"));
    assert!(
        html.contains("100 × backend · point at one for its details"),
        "{html}"
    );
    assert_eq!(
        html.matches("class=\"link fan\"").count(),
        1,
        "one path for 100 links"
    );
    // backend-4 is the busiest (busy 4): its mark is full; backend-2 half full; backend-0 empty.
    let mark = |name: &str| {
        let at = html.find(&format!("data-node=\"{name}\"")).unwrap();
        html[at..at + 600].split("</g>").next().unwrap().to_string()
    };
    assert!(
        mark("backend-4").contains(r#"y="-7" width="14" height="14" rx="2" class="mark-load""#),
        "{}",
        mark("backend-4")
    );
    assert!(
        mark("backend-2").contains(r#"y="0" width="14" height="7" rx="2" class="mark-load""#),
        "{}",
        mark("backend-2")
    );
    assert!(
        !mark("backend-0").contains("mark-load"),
        "{}",
        mark("backend-0")
    );
    assert!(
        mark("backend-3").contains("backend 3 (backend) — busy 3"),
        "its tooltip says the load"
    );

    // The step's backend is shown in full in the slot, and stands out in the grid.
    let html = render(big_run(100, 10), 5, Some(2 + 42));
    assert!(
        html.contains(r#"data-testid="node-detail" data-node="backend-42""#),
        "{html}"
    );
    assert!(!html.contains("point at one"));
    let at = html
        .find(r#"data-testid="node" data-node="backend-42""#)
        .unwrap();
    assert!(
        html[at..]
            .split('>')
            .next()
            .unwrap()
            .contains("is-highlighted"),
        "{html}"
    );
}

#[test]
fn every_packet_is_placed_and_a_thousand_are_dots() {
    let data = RunData::new(big_run(100, 1000));
    let frame = frame_at(&data.run, &RunIndex::new(&data.run), SimTime(5));
    let g = Geometry::for_width(&data.layout, Some(852.0));
    let mut spots = Vec::new();
    packets::place(&frame, &g, false, false, Some(3), &mut spots);
    assert_eq!(spots.len(), 1000, "1,000 in flight means 1,000 drawn");
    assert_eq!(spots[0].half_w, spots[0].half_h, "a dot");
    let hovered = spots
        .iter()
        .find(|s| frame.packets[s.index].event == 3)
        .unwrap();
    assert!(
        hovered.half_w > 20.0,
        "the hovered one is a pill: {hovered:?}"
    );
    // Packets to one backend share a spot; those to its neighbour in the grid sit one pitch away.
    assert_eq!((spots[0].x, spots[0].y), (spots[100].x, spots[100].y));
    assert_ne!(spots[0].y, spots[11].y);
    let exposed = packets::exposed(&frame, &spots);
    assert_eq!(exposed.lines().count(), packets::EXPOSE_MAX);
    assert!(exposed.lines().all(|l| l.ends_with(" GET")), "{exposed}");
}

#[test]
fn the_pointer_finds_the_nearest_packet() {
    let spot = |index, x, y| packets::Spot {
        index,
        x,
        y,
        half_w: 20.0,
        half_h: 9.0,
    };
    let spots = [
        spot(0, 100.0, 50.0),
        spot(1, 130.0, 50.0),
        spot(2, 100.0, 90.0),
    ];
    assert_eq!(packets::hit(&spots, 101.0, 52.0).map(|s| s.index), Some(0));
    assert_eq!(
        packets::hit(&spots, 118.0, 50.0).map(|s| s.index),
        Some(1),
        "the nearer of two"
    );
    assert_eq!(
        packets::hit(&spots, 100.0, 70.0).map(|s| s.index),
        None,
        "between rows"
    );
    assert_eq!(
        packets::hit(&spots, 152.0, 50.0).map(|s| s.index),
        Some(1),
        "with slack"
    );
    // A 900×312 drawing in an 852×400 box: scaled to fit, centred vertically.
    let g = Geometry::new(&[(0.25, 0.5), (0.75, 0.5)]);
    let (scale, ox, oy) = packets::Placement { w: 300.0, h: 400.0 }.fit(&g);
    assert_eq!((scale, ox), (0.5, 0.0));
    assert_eq!(oy, (400.0 - g.height * 0.5) / 2.0);
}
