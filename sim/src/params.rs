//! Parameters: each block declares typed specs; every input path (CLI `--set`, URL, form)
//! parses text through the same specs, so a value means the same thing everywhere and a bad one
//! gets the same message everywhere.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What values a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// An integer in `min..=max`.
    Int { min: i64, max: i64 },
    /// A finite number in `min..=max`.
    Float { min: f64, max: f64 },
    /// One of the listed words.
    Choice(&'static [&'static str]),
    /// A comma-separated list of numbers, each in `min..=max`, at most `max_len` long.
    FloatList { min: f64, max: f64, max_len: usize },
    /// A comma-separated list of `min_len..=max_len` numbers in `min..=max` (integers only when
    /// `integer`); the empty text is the empty list when `min_len` is 0.
    List {
        min: f64,
        max: f64,
        min_len: usize,
        max_len: usize,
        integer: bool,
    },
    /// Free text on one line (a domain name, a comma-separated list of names): at most
    /// `max_len` characters and no control characters. The block's `check` judges the content.
    Text { max_len: usize },
    /// Zero or more multi-line documents (zone files, access traces), each at most `max_len`
    /// characters, at most `max_docs` of them. Each override of the key *adds* a document, so a
    /// key can be repeated (`--set zone=a.zone --set zone=b.zone`); the first override replaces
    /// the default, and an empty one adds nothing. The CLI reads each value as a file path.
    Documents { max_docs: usize, max_len: usize },
}

/// The declaration of one parameter, from which the UI builds its form field.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamSpec {
    /// The name in `--set`, the URL and the form, e.g. `backends`.
    pub key: &'static str,
    pub label: &'static str,
    /// Unit shown beside the field, e.g. `ms`, `req/s` (empty when none).
    pub unit: &'static str,
    /// One sentence on what it changes.
    pub help: &'static str,
    pub kind: ParamKind,
    /// The default, written as a person would type it.
    pub default: &'static str,
}

impl ParamSpec {
    /// A spec in one call, for blocks' `static` spec tables.
    pub const fn new(
        key: &'static str,
        label: &'static str,
        unit: &'static str,
        help: &'static str,
        kind: ParamKind,
        default: &'static str,
    ) -> ParamSpec {
        ParamSpec {
            key,
            label,
            unit,
            help,
            kind,
            default,
        }
    }
}

/// A parsed parameter value.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ParamValue {
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<f64>),
    /// The documents of a [`ParamKind::Documents`] parameter, in the order given.
    Docs(Vec<String>),
}

impl fmt::Display for ParamValue {
    /// The canonical text form: parsing it again gives the same value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Int(v) => write!(f, "{v}"),
            ParamValue::Float(v) => write!(f, "{v}"),
            ParamValue::Text(v) => f.write_str(v),
            ParamValue::List(vs) => {
                for (i, v) in vs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            // Several documents have no single-string form; `Params::to_pairs` gives one pair per
            // document instead. This is their total size, for logs.
            ParamValue::Docs(docs) => write!(
                f,
                "{} document{} ({} characters)",
                docs.len(),
                if docs.len() == 1 { "" } else { "s" },
                docs.iter().map(|d| d.chars().count()).sum::<usize>()
            ),
        }
    }
}

/// A bad parameter: which key, what was given, what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamError {
    pub key: String,
    pub value: String,
    /// What is allowed, e.g. `an integer from 1 to 64`.
    pub allowed: String,
}

impl ParamError {
    pub fn new(
        key: impl Into<String>,
        value: impl Into<String>,
        allowed: impl Into<String>,
    ) -> Self {
        ParamError {
            key: key.into(),
            value: value.into(),
            allowed: allowed.into(),
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={:?}: expected {}",
            self.key,
            shorten(&self.value),
            self.allowed
        )
    }
}

impl std::error::Error for ParamError {}

/// Keeps messages one readable line even when someone pastes a novel into a field.
fn shorten(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

fn fmt_num(v: f64) -> String {
    format!("{v}")
}

impl ParamKind {
    /// What is allowed, as a phrase for error messages and form hints.
    pub fn allowed(&self) -> String {
        match *self {
            ParamKind::Int { min, max } => format!("an integer from {min} to {max}"),
            ParamKind::Float { min, max } => {
                format!("a number from {} to {}", fmt_num(min), fmt_num(max))
            }
            ParamKind::Choice(words) => format!("one of {}", words.join(", ")),
            ParamKind::FloatList { min, max, max_len } => {
                format!(
                    "a comma-separated list of up to {max_len} numbers from {} to {}",
                    fmt_num(min),
                    fmt_num(max)
                )
            }
            ParamKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            } => {
                let what = if integer { "integers" } else { "numbers" };
                let count = if min_len == 0 {
                    format!("up to {max_len}")
                } else if min_len == max_len {
                    format!("{max_len}")
                } else {
                    format!("{min_len} to {max_len}")
                };
                let empty = if min_len == 0 { " (or nothing)" } else { "" };
                format!(
                    "a comma-separated list of {count} {what} from {} to {}{empty}",
                    fmt_num(min),
                    fmt_num(max)
                )
            }
            ParamKind::Text { max_len } => {
                format!("text on one line of up to {max_len} characters")
            }
            ParamKind::Documents { max_docs, max_len } => {
                format!("up to {max_docs} documents of up to {max_len} characters each")
            }
        }
    }
}

impl ParamSpec {
    /// Parses `text` for this parameter. Surrounding spaces are ignored; nothing is clamped.
    pub fn parse(&self, text: &str) -> Result<ParamValue, ParamError> {
        let err = || ParamError::new(self.key, text, self.kind.allowed());
        let t = text.trim();
        match self.kind {
            ParamKind::Int { min, max } => {
                let v: i64 = t.parse().map_err(|_| err())?;
                if (min..=max).contains(&v) {
                    Ok(ParamValue::Int(v))
                } else {
                    Err(err())
                }
            }
            ParamKind::Float { min, max } => {
                let v = parse_finite(t).ok_or_else(err)?;
                if v >= min && v <= max {
                    Ok(ParamValue::Float(v))
                } else {
                    Err(err())
                }
            }
            ParamKind::Choice(words) => words
                .iter()
                .find(|w| **w == t)
                .map(|w| ParamValue::Text(w.to_string()))
                .ok_or_else(err),
            ParamKind::FloatList { min, max, max_len } => {
                let items: Vec<&str> = t.split(',').map(str::trim).collect();
                if t.is_empty() || items.len() > max_len {
                    return Err(err());
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match parse_finite(item) {
                        Some(v) if v >= min && v <= max => out.push(v),
                        _ => {
                            return Err(ParamError::new(
                                self.key,
                                text,
                                format!(
                                    "{} (item {} is {:?})",
                                    self.kind.allowed(),
                                    i + 1,
                                    shorten(item)
                                ),
                            ))
                        }
                    }
                }
                Ok(ParamValue::List(out))
            }
            ParamKind::List {
                min,
                max,
                min_len,
                max_len,
                integer,
            } => {
                if t.is_empty() {
                    return if min_len == 0 {
                        Ok(ParamValue::List(Vec::new()))
                    } else {
                        Err(err())
                    };
                }
                let items: Vec<&str> = t.split(',').map(str::trim).collect();
                if items.len() < min_len || items.len() > max_len {
                    return Err(err());
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let v = if integer {
                        item.parse::<i64>().ok().map(|v| v as f64)
                    } else {
                        parse_finite(item)
                    };
                    match v {
                        Some(v) if v >= min && v <= max => out.push(v),
                        _ => {
                            return Err(ParamError::new(
                                self.key,
                                text,
                                format!(
                                    "{} (item {} is {:?})",
                                    self.kind.allowed(),
                                    i + 1,
                                    shorten(item)
                                ),
                            ))
                        }
                    }
                }
                Ok(ParamValue::List(out))
            }
            ParamKind::Text { max_len } => {
                if t.chars().count() > max_len || t.chars().any(char::is_control) {
                    Err(err())
                } else {
                    Ok(ParamValue::Text(t.to_string()))
                }
            }
            // A document keeps its spaces and line breaks: they carry meaning (an owner name
            // inherited from the previous line starts with a blank).
            ParamKind::Documents { max_len, .. } => {
                if text.chars().count() > max_len {
                    Err(err())
                } else if t.is_empty() {
                    Ok(ParamValue::Docs(Vec::new()))
                } else {
                    Ok(ParamValue::Docs(vec![text.to_string()]))
                }
            }
        }
    }
}

/// Rust's float parser also takes `inf`, `NaN` and `1e999`; a parameter never should.
fn parse_finite(t: &str) -> Option<f64> {
    let v: f64 = t.parse().ok()?;
    v.is_finite().then_some(v)
}

/// A complete, validated set of values for one block's specs.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    values: BTreeMap<&'static str, ParamValue>,
}

impl Params {
    /// A set parsed elsewhere, value by value: how the page rebuilds the `Params` the engine
    /// parsed for it (`src/engine/checks.rs`). Keys not among `specs` are left out; nothing is
    /// checked, so the values must come from [`Params::parse`] over the same specs.
    pub fn from_parsed(
        specs: &'static [ParamSpec],
        values: impl IntoIterator<Item = (String, ParamValue)>,
    ) -> Params {
        let values = values
            .into_iter()
            .filter_map(|(k, v)| specs.iter().find(|s| s.key == k).map(|s| (s.key, v)))
            .collect();
        Params { values }
    }

    /// Every key with its value, in key order.
    pub fn values(&self) -> impl Iterator<Item = (&'static str, &ParamValue)> + '_ {
        self.values.iter().map(|(k, v)| (*k, v))
    }

    /// The defaults, overridden by `overrides` (key, text) in order. Unknown keys and bad values
    /// are errors; the first one found is returned.
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(
        specs: &'static [ParamSpec],
        overrides: &[(K, V)],
    ) -> Result<Params, ParamError> {
        let mut values = BTreeMap::new();
        for spec in specs {
            values.insert(spec.key, spec.parse(spec.default)?);
        }
        // Documents keys already given once: later overrides append instead of replacing.
        let mut appending: Vec<&'static str> = Vec::new();
        for (key, text) in overrides {
            let (key, text) = (key.as_ref(), text.as_ref());
            let spec = specs.iter().find(|s| s.key == key).ok_or_else(|| {
                let known: Vec<&str> = specs.iter().map(|s| s.key).collect();
                ParamError::new(
                    key,
                    text,
                    format!("a known parameter, one of: {}", known.join(", ")),
                )
            })?;
            let value = spec.parse(text)?;
            match (spec.kind, value) {
                (ParamKind::Documents { max_docs, .. }, ParamValue::Docs(new)) => {
                    let mut docs = match values.remove(spec.key) {
                        Some(ParamValue::Docs(docs)) if appending.contains(&spec.key) => docs,
                        _ => {
                            appending.push(spec.key);
                            Vec::new()
                        }
                    };
                    docs.extend(new);
                    if docs.len() > max_docs {
                        return Err(ParamError::new(spec.key, text, spec.kind.allowed()));
                    }
                    values.insert(spec.key, ParamValue::Docs(docs));
                }
                (_, value) => {
                    values.insert(spec.key, value);
                }
            }
        }
        Ok(Params { values })
    }

    /// The defaults of `specs` (which the registry test checks are valid).
    pub fn defaults(specs: &'static [ParamSpec]) -> Result<Params, ParamError> {
        Params::parse::<&str, &str>(specs, &[])
    }

    fn get(&self, key: &str) -> &ParamValue {
        // Keys come from the block's own specs; a missing one is a bug in the block, not input.
        self.values
            .get(key)
            .unwrap_or_else(|| panic!("parameter {key} is not declared"))
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.get(key) {
            ParamValue::Int(v) => *v,
            other => panic!("parameter {key} is {other:?}, not an integer"),
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.get(key) {
            ParamValue::Float(v) => *v,
            ParamValue::Int(v) => *v as f64,
            other => panic!("parameter {key} is {other:?}, not a number"),
        }
    }

    pub fn text(&self, key: &str) -> &str {
        match self.get(key) {
            ParamValue::Text(v) => v,
            other => panic!("parameter {key} is {other:?}, not text"),
        }
    }

    pub fn list(&self, key: &str) -> &[f64] {
        match self.get(key) {
            ParamValue::List(v) => v,
            other => panic!("parameter {key} is {other:?}, not a list"),
        }
    }

    pub fn docs(&self, key: &str) -> &[String] {
        match self.get(key) {
            ParamValue::Docs(v) => v,
            other => panic!("parameter {key} is {other:?}, not documents"),
        }
    }

    /// Every value in canonical text form, in key order (for URLs and forms). A documents
    /// parameter gives one pair per document (none when it has none), in order.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (k, v) in &self.values {
            match v {
                ParamValue::Docs(docs) => {
                    out.extend(docs.iter().map(|d| (k.to_string(), d.clone())));
                }
                v => out.push((k.to_string(), v.to_string())),
            }
        }
        out
    }

    /// Every value as JSON, for the run document.
    pub fn to_json(&self) -> BTreeMap<String, serde_json::Value> {
        self.values
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    serde_json::to_value(v).expect("plain values serialise"),
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SPECS: &[ParamSpec] = &[
        ParamSpec {
            key: "n",
            label: "N",
            unit: "",
            help: "",
            kind: ParamKind::Int { min: 1, max: 64 },
            default: "3",
        },
        ParamSpec {
            key: "rate",
            label: "Rate",
            unit: "req/s",
            help: "",
            kind: ParamKind::Float { min: 0.1, max: 1e6 },
            default: "50",
        },
        ParamSpec {
            key: "mode",
            label: "Mode",
            unit: "",
            help: "",
            kind: ParamKind::Choice(&["exp", "const"]),
            default: "exp",
        },
        ParamSpec {
            key: "w",
            label: "W",
            unit: "",
            help: "",
            kind: ParamKind::FloatList {
                min: 0.0,
                max: 100.0,
                max_len: 4,
            },
            default: "1,1",
        },
    ];

    fn check(key: &str, text: &str, expect: expect_test::Expect) {
        let got = match Params::parse(SPECS, &[(key, text)]) {
            Ok(p) => format!(
                "ok {}",
                p.to_pairs()
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Err(e) => format!("error {e}"),
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn parse_cases() {
        use expect_test::expect;
        check("n", " 7 ", expect!["ok mode=exp n=7 rate=50 w=1,1"]);
        check(
            "n",
            "0",
            expect![[r#"error n="0": expected an integer from 1 to 64"#]],
        );
        check(
            "n",
            "2.5",
            expect![[r#"error n="2.5": expected an integer from 1 to 64"#]],
        );
        check(
            "n",
            "",
            expect![[r#"error n="": expected an integer from 1 to 64"#]],
        );
        check(
            "rate",
            "NaN",
            expect![[r#"error rate="NaN": expected a number from 0.1 to 1000000"#]],
        );
        check(
            "rate",
            "inf",
            expect![[r#"error rate="inf": expected a number from 0.1 to 1000000"#]],
        );
        check("rate", "2e3", expect!["ok mode=exp n=3 rate=2000 w=1,1"]);
        check(
            "mode",
            "lognormal",
            expect![[r#"error mode="lognormal": expected one of exp, const"#]],
        );
        check(
            "w",
            "1, 2.5,3",
            expect!["ok mode=exp n=3 rate=50 w=1,2.5,3"],
        );
        check(
            "w",
            "1,x",
            expect![[
                r#"error w="1,x": expected a comma-separated list of up to 4 numbers from 0 to 100 (item 2 is "x")"#
            ]],
        );
        check(
            "w",
            "1,2,3,4,5",
            expect![[
                r#"error w="1,2,3,4,5": expected a comma-separated list of up to 4 numbers from 0 to 100"#
            ]],
        );
        check(
            "bogus",
            "1",
            expect![[r#"error bogus="1": expected a known parameter, one of: n, rate, mode, w"#]],
        );
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "9".repeat(500);
        let e = Params::parse(SPECS, &[("n", long.as_str())]).unwrap_err();
        assert!(e.to_string().len() < 140, "{e}");
        assert_eq!(e.value, long, "the full value stays available to callers");
    }

    #[test]
    fn canonical_text_round_trips() {
        let p = Params::parse(SPECS, &[("rate", "0.30000000000000004"), ("w", "0.1,2")]).unwrap();
        let again = Params::parse(SPECS, &p.to_pairs()).unwrap();
        assert_eq!(p, again);
    }

    static TEXT_SPECS: &[ParamSpec] = &[
        ParamSpec {
            key: "name",
            label: "Name",
            unit: "",
            help: "",
            kind: ParamKind::Text { max_len: 12 },
            default: "www.a.b",
        },
        ParamSpec {
            key: "zone",
            label: "Zones",
            unit: "",
            help: "",
            kind: ParamKind::Documents {
                max_docs: 2,
                max_len: 40,
            },
            default: "",
        },
    ];

    fn check_text(overrides: &[(&str, &str)], expect: expect_test::Expect) {
        let got = match Params::parse(TEXT_SPECS, overrides) {
            Ok(p) => format!("ok {:?}", p.to_pairs()),
            Err(e) => format!("error {e}"),
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn text_and_documents() {
        use expect_test::expect;
        check_text(&[], expect![[r#"ok [("name", "www.a.b")]"#]]);
        check_text(&[("name", " x.y ")], expect![[r#"ok [("name", "x.y")]"#]]);
        check_text(
            &[("name", "a\nb")],
            expect![[r#"error name="a\nb": expected text on one line of up to 12 characters"#]],
        );
        check_text(
            &[("name", "www.example.com")],
            expect![[
                r#"error name="www.example.com": expected text on one line of up to 12 characters"#
            ]],
        );
        check_text(
            &[("name", "line\nbreak")],
            expect![[
                r#"error name="line\nbreak": expected text on one line of up to 12 characters"#
            ]],
        );
        check_text(
            &[("zone", "$ORIGIN a.\n@ SOA x")],
            expect![[r#"ok [("name", "www.a.b"), ("zone", "$ORIGIN a.\n@ SOA x")]"#]],
        );
        check_text(
            &[("zone", "one\n"), ("name", "n"), ("zone", "  two")],
            expect![[r#"ok [("name", "n"), ("zone", "one\n"), ("zone", "  two")]"#]],
        );
        check_text(&[("zone", "")], expect![[r#"ok [("name", "www.a.b")]"#]]);
        check_text(
            &[("zone", "a"), ("zone", "b"), ("zone", "c")],
            expect![[r#"error zone="c": expected up to 2 documents of up to 40 characters each"#]],
        );
        check_text(
            &[("zone", &"x".repeat(41))],
            expect![[
                r#"error zone="xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": expected up to 2 documents of up to 40 characters each"#
            ]],
        );
    }

    #[test]
    fn documents_round_trip_through_pairs_and_serialise_as_arrays() {
        let p = Params::parse(TEXT_SPECS, &[("zone", "a\n b"), ("zone", "c")]).unwrap();
        assert_eq!(p.docs("zone"), ["a\n b", "c"]);
        assert_eq!(Params::parse(TEXT_SPECS, &p.to_pairs()).unwrap(), p);
        assert_eq!(
            serde_json::to_string(&p.to_json()).unwrap(),
            r#"{"name":"www.a.b","zone":["a\n b","c"]}"#
        );
    }
}

#[cfg(test)]
mod list_tests {
    use super::*;

    static SPECS: &[ParamSpec] = &[ParamSpec {
        key: "caps",
        label: "Caps",
        unit: "",
        help: "",
        kind: ParamKind::List {
            min: 1.0,
            max: 9.0,
            min_len: 0,
            max_len: 3,
            integer: true,
        },
        default: "",
    }];

    fn check(text: &str, expect: expect_test::Expect) {
        let got = match Params::parse(SPECS, &[("caps", text)]) {
            Ok(p) => format!("ok {:?}", p.list("caps")),
            Err(e) => format!("error {e}"),
        };
        expect.assert_eq(&got);
    }

    #[test]
    fn list_cases() {
        use expect_test::expect;
        check("", expect!["ok []"]);
        check(" 2, 3 ", expect!["ok [2.0, 3.0]"]);
        check(
            "2,3.5",
            expect![[
                r#"error caps="2,3.5": expected a comma-separated list of up to 3 integers from 1 to 9 (or nothing) (item 2 is "3.5")"#
            ]],
        );
        check(
            "1,2,3,4",
            expect![[
                r#"error caps="1,2,3,4": expected a comma-separated list of up to 3 integers from 1 to 9 (or nothing)"#
            ]],
        );
        check(
            "0",
            expect![[
                r#"error caps="0": expected a comma-separated list of up to 3 integers from 1 to 9 (or nothing) (item 1 is "0")"#
            ]],
        );
        assert_eq!(
            Params::defaults(SPECS).unwrap().to_pairs(),
            vec![("caps".to_string(), String::new())]
        );
    }
}
