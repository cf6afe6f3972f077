//! Server-side renders of the topology for a two-node run: the snapshot shows the nodes, the
//! link and a packet at the position the geometry gives.

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
    };
    futures::executor::block_on(
        LocalServerRenderer::<Topology>::with_props(props)
            .hydratable(false)
            .render(),
    )
}

/// The `transform` of every packet, by message.
fn packets(html: &str) -> Vec<String> {
    html.split("data-testid=\"packet\"")
        .skip(1)
        .map(|rest| {
            let msg = rest
                .split("data-msg=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("?");
            let at = rest
                .split("transform=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or("?");
            format!("#{msg} {at}")
        })
        .collect()
}

#[test]
fn nodes_links_and_a_packet_halfway() {
    let html = render_at(5);
    assert!(html.starts_with("<svg"), "{html}");
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
    assert_eq!(packets(&html), ["#7 translate(300 69)"]);
    assert!(html.contains(">GET #7<"), "the packet is labelled: {html}");
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
    assert!(packets(&html).is_empty());
    let html = render_at(25);
    assert!(!html.contains(r#"data-testid="drop""#), "the flash is over");
    // The response runs right to left on the other lane, half way at t = 25.
    assert_eq!(packets(&html), ["#7 translate(300 51)"]);
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
    .map(|(class, y, text)| format!("{class} {} {text}", num(y)))
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
