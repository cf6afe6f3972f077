//! A small block for the app's own tests (compiled for tests only), so they check the app's
//! behaviour with stable parameters and messages while the real blocks in `sim/` evolve.
//! Registry-wide tests elsewhere cover the real blocks.

use hopscope_sim::{
    Block, BlockSpec, Event, Node, ParamError, ParamKind, ParamSpec, Params, Point, Preset, Run,
    Series, SimTime, Step,
};

pub struct Toy;

pub static TOY: Toy = Toy;

static SPECS: &[ParamSpec] = &[
    ParamSpec {
        key: "algorithm",
        label: "Algorithm",
        unit: "",
        help: "How to pick.",
        kind: ParamKind::Choice(&["round_robin", "random"]),
        default: "round_robin",
    },
    ParamSpec {
        key: "backends",
        label: "Backends",
        unit: "",
        help: "How many.",
        kind: ParamKind::Int { min: 1, max: 32 },
        default: "3",
    },
    ParamSpec {
        key: "weights",
        label: "Weights",
        unit: "",
        help: "One per backend.",
        kind: ParamKind::FloatList {
            min: 0.0,
            max: 1000.0,
            max_len: 32,
        },
        default: "1,1,1",
    },
    ParamSpec {
        key: "requests",
        label: "Requests",
        unit: "",
        help: "How many.",
        kind: ParamKind::Int {
            min: 1,
            max: 1_000_000,
        },
        default: "4",
    },
    ParamSpec {
        key: "rate",
        label: "Rate",
        unit: "req/s",
        help: "Arrivals.",
        kind: ParamKind::Float {
            min: 0.01,
            max: 1_000_000.0,
        },
        default: "50",
    },
    ParamSpec {
        key: "service",
        label: "Service",
        unit: "",
        help: "Distribution.",
        kind: ParamKind::Choice(&["exp", "lognormal", "const"]),
        default: "exp",
    },
    ParamSpec {
        key: "queue",
        label: "Queue",
        unit: "requests",
        help: "Room.",
        kind: ParamKind::Int {
            min: 0,
            max: 1_000_000,
        },
        default: "4",
    },
    ParamSpec {
        key: "link_ms",
        label: "Link",
        unit: "ms",
        help: "Latency.",
        kind: ParamKind::Float {
            min: 0.0,
            max: 60_000.0,
        },
        default: "5",
    },
    ParamSpec {
        key: "clients",
        label: "Clients",
        unit: "IPs",
        help: "Population.",
        kind: ParamKind::Int {
            min: 1,
            max: 65_536,
        },
        default: "50",
    },
];

static PRESETS: &[Preset] = &[
    Preset {
        id: "healthy",
        title: "Healthy",
        story: "Defaults.",
        values: &[],
    },
    Preset {
        id: "no_queue",
        title: "No queue",
        story: "Rejects at once.",
        values: &[("queue", "0"), ("rate", "80")],
    },
];

impl BlockSpec for Toy {
    fn id(&self) -> &'static str {
        "toy"
    }
    fn title(&self) -> &'static str {
        "Toy"
    }
    fn summary(&self) -> &'static str {
        "A block for tests."
    }
    fn params(&self) -> &'static [ParamSpec] {
        SPECS
    }
    fn presets(&self) -> &'static [Preset] {
        PRESETS
    }
}

impl Block for Toy {
    fn check(&self, p: &Params) -> Result<(), ParamError> {
        let n = p.int("backends") as usize;
        let w = p.list("weights");
        let text = || {
            w.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        };
        if w.len() != n {
            return Err(ParamError::new(
                "weights",
                text(),
                format!("{n} weights (one per backend), got {}", w.len()),
            ));
        }
        if w.iter().all(|v| *v == 0.0) {
            return Err(ParamError::new(
                "weights",
                text(),
                "at least one weight above 0",
            ));
        }
        Ok(())
    }

    /// Clients → balancer → backends; request `i` leaves at `10·i` µs and each hop takes 10 µs.
    fn simulate(&self, p: &Params, _seed: u64) -> Run {
        let backends = p.int("backends") as u32;
        let node = |id: u32, name: String, role: &str, col: u32, row: u32| Node {
            id,
            label: name.replace('-', " "),
            name,
            role: role.into(),
            col,
            row,
            detail: String::new(),
        };
        let mut nodes = vec![
            node(0, "clients".into(), "client", 0, 0),
            node(1, "lb".into(), "lb", 1, 0),
        ];
        nodes.extend(
            (0..backends).map(|b| node(2 + b, format!("backend-{}", b + 1), "backend", 2, b)),
        );
        let mut events = Vec::new();
        let mut steps = Vec::new();
        for i in 0..p.int("requests") as u64 {
            let at = 10 * i;
            events.push(Event::Hop {
                at: SimTime(at),
                arrive: SimTime(at + 10),
                from: 0,
                to: 1,
                msg: i + 1,
                label: "GET".into(),
            });
            events.push(Event::Hop {
                at: SimTime(at + 10),
                arrive: SimTime(at + 20),
                from: 1,
                to: 2 + (i % backends as u64) as u32,
                msg: i + 1,
                label: "GET".into(),
            });
            steps.push(Step {
                at: SimTime(at + 10),
                text: format!("request {} reaches the balancer", i + 1),
                node: Some(1),
            });
        }
        events.sort_by_key(|e| e.at());
        let duration = events
            .iter()
            .map(|e| {
                if let Event::Hop { arrive, .. } = e {
                    *arrive
                } else {
                    e.at()
                }
            })
            .max()
            .unwrap_or(SimTime::ZERO);
        let line = |chart: &str, name: String, unit: &str| Series {
            chart: chart.into(),
            name,
            unit: unit.into(),
            points: vec![Point(SimTime::ZERO, 0.0), Point(duration, 1.0)],
        };
        let mut series: Vec<Series> = (0..backends)
            .map(|b| {
                line(
                    "In flight per backend",
                    format!("backend {}", b + 1),
                    "requests",
                )
            })
            .collect();
        series.push(line("Latency", "p50".into(), "ms"));
        series.push(line("Drops", "rejected".into(), "requests"));
        Run {
            scenario: String::new(),
            seed: 0,
            params: Default::default(),
            duration,
            nodes,
            events,
            events_until: None,
            steps,
            series,
            result: serde_json::json!({ "served": p.int("requests") }),
        }
    }
}
