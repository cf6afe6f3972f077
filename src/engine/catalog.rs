//! The blocks' descriptions (titles, parameter specs with their help and defaults, presets, form
//! groups) as the page gets them: from the engine's bundle, which holds them anyway, once at
//! start, instead of a second copy in the page's bundle.
//!
//! Every block's `BlockSpec` lives in `sim/` next to its engine, and the engine needs all of it
//! (the worker parses parameters against the specs; DNS's defaults are whole zone files). The
//! page asks for the list with [`Question::Catalog`](super::checks::Question) and keeps what
//! comes back for the page's lifetime as [`Described`] blocks: `&'static` data built once, so
//! the rest of the page holds `&'static dyn BlockSpec` exactly as it would hold the registry's.
//!
//! When the engine could not start, the catalog is empty and the page says why
//! ([`unavailable`]): without the engine no block could run anyway.

use super::checks::{ask, Answer, Question};
use hopscope_sim::{BlockSpec, ParamKind, ParamSpec, Preset};
use serde::{Deserialize, Serialize};

/// A block's description on the wire (owned text; `BlockSpec`'s is `&'static`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireBlock {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub params: Vec<WireSpec>,
    pub presets: Vec<WirePreset>,
    pub groups: Vec<(String, Vec<String>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WireSpec {
    pub key: String,
    pub label: String,
    pub unit: String,
    pub help: String,
    pub kind: WireKind,
    pub default: String,
}

/// [`ParamKind`], variant for variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WireKind {
    Int {
        min: i64,
        max: i64,
    },
    Float {
        min: f64,
        max: f64,
    },
    Choice(Vec<String>),
    FloatList {
        min: f64,
        max: f64,
        max_len: usize,
    },
    List {
        min: f64,
        max: f64,
        min_len: usize,
        max_len: usize,
        integer: bool,
    },
    Text {
        max_len: usize,
    },
    Documents {
        max_docs: usize,
        max_len: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WirePreset {
    pub id: String,
    pub title: String,
    pub story: String,
    pub values: Vec<(String, String)>,
}

impl WireBlock {
    /// The engine's side: a registered block's description, in full.
    pub fn of(block: &dyn BlockSpec) -> WireBlock {
        let text = |s: &str| s.to_string();
        WireBlock {
            id: text(block.id()),
            title: text(block.title()),
            summary: text(block.summary()),
            params: block
                .params()
                .iter()
                .map(|s| WireSpec {
                    key: text(s.key),
                    label: text(s.label),
                    unit: text(s.unit),
                    help: text(s.help),
                    kind: WireKind::of(&s.kind),
                    default: text(s.default),
                })
                .collect(),
            presets: block
                .presets()
                .iter()
                .map(|p| WirePreset {
                    id: text(p.id),
                    title: text(p.title),
                    story: text(p.story),
                    values: p.values.iter().map(|(k, v)| (text(k), text(v))).collect(),
                })
                .collect(),
            groups: block
                .param_groups()
                .iter()
                .map(|(title, keys)| (text(title), keys.iter().map(|k| text(k)).collect()))
                .collect(),
        }
    }
}

impl WireKind {
    fn of(kind: &ParamKind) -> WireKind {
        match *kind {
            ParamKind::Int { min, max } => WireKind::Int { min, max },
            ParamKind::Float { min, max } => WireKind::Float { min, max },
            ParamKind::Choice(words) => {
                WireKind::Choice(words.iter().map(|w| w.to_string()).collect())
            }
            ParamKind::FloatList { min, max, max_len } => WireKind::FloatList { min, max, max_len },
            ParamKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            } => WireKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            },
            ParamKind::Text { max_len } => WireKind::Text { max_len },
            ParamKind::Documents { max_docs, max_len } => WireKind::Documents { max_docs, max_len },
        }
    }

    fn described(self) -> ParamKind {
        match self {
            WireKind::Int { min, max } => ParamKind::Int { min, max },
            WireKind::Float { min, max } => ParamKind::Float { min, max },
            WireKind::Choice(words) => {
                ParamKind::Choice(leak_all(words.into_iter().map(leak).collect()))
            }
            WireKind::FloatList { min, max, max_len } => ParamKind::FloatList { min, max, max_len },
            WireKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            } => ParamKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            },
            WireKind::Text { max_len } => ParamKind::Text { max_len },
            WireKind::Documents { max_docs, max_len } => ParamKind::Documents { max_docs, max_len },
        }
    }
}

/// A block as the engine described it, kept for the page's lifetime.
#[derive(Debug)]
pub struct Described {
    id: &'static str,
    title: &'static str,
    summary: &'static str,
    params: &'static [ParamSpec],
    presets: &'static [Preset],
    groups: &'static [(&'static str, &'static [&'static str])],
}

impl BlockSpec for Described {
    fn id(&self) -> &'static str {
        self.id
    }
    fn title(&self) -> &'static str {
        self.title
    }
    fn summary(&self) -> &'static str {
        self.summary
    }
    fn params(&self) -> &'static [ParamSpec] {
        self.params
    }
    fn presets(&self) -> &'static [Preset] {
        self.presets
    }
    fn param_groups(&self) -> &'static [(&'static str, &'static [&'static str])] {
        self.groups
    }
}

// The catalog is built once per page and lives as long as the page: leaking it is what makes
// its text `&'static` like the registry's.
fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn leak_all<T>(items: Vec<T>) -> &'static [T] {
    Box::leak(items.into_boxed_slice())
}

impl From<WireBlock> for Described {
    fn from(b: WireBlock) -> Described {
        Described {
            id: leak(b.id),
            title: leak(b.title),
            summary: leak(b.summary),
            params: leak_all(
                b.params
                    .into_iter()
                    .map(|s| ParamSpec {
                        key: leak(s.key),
                        label: leak(s.label),
                        unit: leak(s.unit),
                        help: leak(s.help),
                        kind: s.kind.described(),
                        default: leak(s.default),
                    })
                    .collect(),
            ),
            presets: leak_all(
                b.presets
                    .into_iter()
                    .map(|p| Preset {
                        id: leak(p.id),
                        title: leak(p.title),
                        story: leak(p.story),
                        values: leak_all(
                            p.values
                                .into_iter()
                                .map(|(k, v)| (leak(k), leak(v)))
                                .collect(),
                        ),
                    })
                    .collect(),
            ),
            groups: leak_all(
                b.groups
                    .into_iter()
                    .map(|(title, keys)| {
                        (leak(title), leak_all(keys.into_iter().map(leak).collect()))
                    })
                    .collect(),
            ),
        }
    }
}

thread_local! {
    static BLOCKS: &'static [&'static dyn BlockSpec] = load();
}

fn load() -> &'static [&'static dyn BlockSpec] {
    let described = match ask(Question::Catalog) {
        Answer::Catalog(blocks) => blocks,
        _ => Vec::new(),
    };
    leak_all(
        described
            .into_iter()
            .map(|b| &*Box::leak(Box::new(Described::from(b))) as &'static dyn BlockSpec)
            .collect(),
    )
}

/// Every block, in the registry's order, as the engine describes it; empty when the engine
/// could not start.
pub fn specs() -> &'static [&'static dyn BlockSpec] {
    BLOCKS.with(|b| *b)
}

/// Why the page has no block to show, if it has none: the engine could not start
/// (`engine_failure`), or it described no block (a bug, logged when its answer failed).
pub fn unavailable() -> Option<String> {
    let failed = super::checks::engine_failure().map(|why| format!("it could not start ({why})"));
    failed.or_else(|| {
        specs()
            .is_empty()
            .then(|| "it described no building block".to_string())
    })
}

/// The description of the block with this scenario id.
pub fn find_spec(id: &str) -> Option<&'static dyn BlockSpec> {
    specs().iter().copied().find(|b| b.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the page gets is what the registry holds: every block, field for field, through the
    /// same bincode bytes the browser's engine answers with.
    #[test]
    fn the_catalog_is_the_registry_field_for_field() {
        let registry = hopscope_sim::registry::specs();
        let catalog = specs();
        assert_eq!(catalog.len(), registry.len());
        for (got, want) in catalog.iter().zip(registry) {
            assert_eq!(got.id(), want.id());
            assert_eq!(got.title(), want.title());
            assert_eq!(got.summary(), want.summary());
            assert_eq!(got.params(), want.params(), "{}", want.id());
            assert_eq!(got.presets(), want.presets(), "{}", want.id());
            assert_eq!(got.param_groups(), want.param_groups(), "{}", want.id());
        }
        assert_eq!(find_spec("dns").map(|b| b.id()), Some("dns"));
        assert!(find_spec("nope").is_none());
    }

    #[test]
    fn every_kind_crosses_unchanged() {
        let kinds = [
            ParamKind::Int { min: -3, max: 9 },
            ParamKind::Float { min: 0.5, max: 2.0 },
            ParamKind::Choice(&["a", "b"]),
            ParamKind::FloatList {
                min: 0.0,
                max: 1.0,
                max_len: 4,
            },
            ParamKind::List {
                min: 1.0,
                max: 8.0,
                min_len: 0,
                max_len: 3,
                integer: true,
            },
            ParamKind::Text { max_len: 40 },
            ParamKind::Documents {
                max_docs: 2,
                max_len: 100,
            },
        ];
        for kind in kinds {
            let wire = WireKind::of(&kind);
            let bytes = bincode::serialize(&wire).unwrap();
            let back: WireKind = bincode::deserialize(&bytes).unwrap();
            assert_eq!(back.described(), kind);
        }
    }
}
