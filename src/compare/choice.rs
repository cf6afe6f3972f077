//! What compare mode compares: one parameter (the *key*) and the value run B uses for it; run
//! A is the form's scenario. Kept as a small reducer so the toggle, the pickers and the URL
//! (`&compare=algorithm:least_connections`) all change it the same way, and tested natively.
//!
//! B is always "A with one value changed", so it follows every edit of the form; the seed is
//! A's, and the engine draws arrivals from their own random stream, so both runs see the same
//! traffic (ARCHITECTURE.md, "Random streams are per purpose").

use crate::engine::checks::{parse_params, parse_value};
use crate::scenario_form::Scenario;
use crate::url_state::{percent_encode, COMPARE};
use hopscope_sim::{BlockSpec, ParamError, ParamKind, ParamSpec, Params};
use std::rc::Rc;
use yew::Reducible;

#[derive(Clone, Debug, PartialEq)]
pub struct Compare {
    pub on: bool,
    /// The parameter B differs in; `None` for a block with nothing to compare by.
    pub spec: Option<&'static ParamSpec>,
    /// B's value as typed.
    pub text: String,
    /// The last typed value that parsed (canonical text); `None` until one was chosen.
    pub value: Option<String>,
    /// What is wrong with `text` on its own.
    pub error: Option<ParamError>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    /// Turns compare mode on; `default` is B's value unless one was chosen before.
    Start {
        default: String,
    },
    Stop,
    /// Compares by another parameter, starting from `value`.
    SetKey {
        spec: &'static ParamSpec,
        value: String,
    },
    SetValue(String),
}

/// The parameters one can compare by: all but multi-document ones, which have no one-line form.
pub fn comparable(specs: &'static [ParamSpec]) -> impl Iterator<Item = &'static ParamSpec> {
    specs
        .iter()
        .filter(|s| !matches!(s.kind, ParamKind::Documents { .. }))
}

/// The parameter compare mode starts with: the first choice (an algorithm, a policy), else the
/// first comparable parameter.
pub fn default_spec(specs: &'static [ParamSpec]) -> Option<&'static ParamSpec> {
    comparable(specs)
        .find(|s| matches!(s.kind, ParamKind::Choice(_)))
        .or_else(|| comparable(specs).next())
}

/// A's value of `key`, as canonical text (empty when it has none).
pub fn value_of(params: &Params, key: &str) -> String {
    params
        .to_pairs()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// B's first value for `spec` when A's parameters are `a`: the first value a preset gives the
/// key that differs from A's (the block's own stories say which comparisons are interesting),
/// else the first other choice, else the default; of those, the first B can run with A's other
/// values. A's own value when there is no other.
pub fn default_value(block: &dyn BlockSpec, spec: &ParamSpec, a: &Params) -> String {
    let own = value_of(a, spec.key);
    let canonical = |v: &str| parse_value(spec, v).ok().map(|p| p.to_string());
    let mut candidates: Vec<String> = block
        .presets()
        .iter()
        .flat_map(|p| p.values.iter())
        .filter(|(k, _)| *k == spec.key)
        .filter_map(|(_, v)| canonical(v))
        .collect();
    if let ParamKind::Choice(words) = spec.kind {
        candidates.extend(words.iter().map(|w| w.to_string()));
    }
    candidates.extend(canonical(spec.default));
    candidates.retain(|v| *v != own);
    candidates
        .iter()
        .find(|v| b_params(block, a, spec, v).is_ok())
        .or(candidates.first())
        .cloned()
        .unwrap_or(own)
}

/// B's parameters: A's with `key` set to `value`, checked by the block's rules across fields.
pub fn b_params(
    block: &dyn BlockSpec,
    a: &Params,
    spec: &ParamSpec,
    value: &str,
) -> Result<Params, ParamError> {
    let mut pairs: Vec<(String, String)> = a
        .to_pairs()
        .into_iter()
        .filter(|(k, _)| k != spec.key)
        .collect();
    pairs.push((spec.key.to_string(), value.to_string()));
    parse_params(block.params(), &pairs, true)
}

/// Scenario B for scenario A (same block and seed), or why it cannot run.
pub fn scenario_b(a: &Scenario, spec: &ParamSpec, value: &str) -> Result<Scenario, ParamError> {
    b_params(a.block, &a.params, spec, value).map(|params| Scenario {
        block: a.block,
        params,
        seed: a.seed,
    })
}

impl Compare {
    /// Compare mode off, ready to compare by the block's default parameter.
    pub fn off(block: &dyn BlockSpec) -> Compare {
        Compare {
            on: false,
            spec: default_spec(block.params()),
            text: String::new(),
            value: None,
            error: None,
        }
    }

    fn on(spec: &'static ParamSpec, value: String) -> Compare {
        Compare {
            on: true,
            spec: Some(spec),
            text: value.clone(),
            value: Some(value),
            error: None,
        }
    }

    /// The `compare` value of a URL (`KEY:VALUE`) for a block whose scenario A has `a`. A bad
    /// key or value is reported (under the key `compare`) and falls back to the default
    /// comparison, so the link still opens in compare mode.
    pub fn from_url(
        block: &dyn BlockSpec,
        a: &Params,
        text: Option<&str>,
    ) -> (Compare, Vec<ParamError>) {
        let off = Compare::off(block);
        let Some(text) = text else {
            return (off, Vec::new());
        };
        let keys: Vec<&str> = comparable(block.params()).map(|s| s.key).collect();
        let Some(fallback) = off.spec else {
            let e = ParamError::new(COMPARE, text, "nothing: this block has no parameters");
            return (off, vec![e]);
        };
        let default_of =
            |spec: &'static ParamSpec| Compare::on(spec, default_value(block, spec, a));
        let (key, value) = text.split_once(':').unwrap_or((text, ""));
        let Some(spec) = comparable(block.params()).find(|s| s.key == key) else {
            let allowed = format!("PARAMETER:VALUE, PARAMETER one of: {}", keys.join(", "));
            return (
                default_of(fallback),
                vec![ParamError::new(COMPARE, text, allowed)],
            );
        };
        let checked = parse_value(spec, value)
            .map_err(|_| format!("{key}:VALUE with VALUE {}", spec.kind.allowed()));
        let checked = checked.and_then(|v| {
            let v = v.to_string();
            match b_params(block, a, spec, &v) {
                Ok(_) => Ok(v),
                Err(e) => Err(format!("a value B can run with: {e}")),
            }
        });
        match checked {
            Ok(v) => (Compare::on(spec, v), Vec::new()),
            Err(allowed) => (
                default_of(spec),
                vec![ParamError::new(COMPARE, text, allowed)],
            ),
        }
    }

    /// The parameter and B's value (the last good one), when on.
    pub fn chosen(&self) -> Option<(&'static ParamSpec, String)> {
        let spec = self.spec.filter(|_| self.on)?;
        Some((spec, self.value.clone().unwrap_or(spec.default.to_string())))
    }

    /// The URL's `compare=KEY:VALUE` pair, when on.
    pub fn to_query(&self) -> Option<String> {
        let (spec, value) = self.chosen()?;
        Some(format!(
            "{COMPARE}={}:{}",
            percent_encode(spec.key),
            percent_encode(&value)
        ))
    }

    pub fn apply(&self, action: CompareAction) -> Compare {
        let mut next = self.clone();
        match action {
            CompareAction::Start { default } => {
                next.on = next.spec.is_some();
                if next.value.is_none() {
                    next.text = default.clone();
                    next.value = Some(default);
                    next.error = None;
                }
            }
            CompareAction::Stop => next.on = false,
            CompareAction::SetKey { spec, value } => {
                let fresh = Compare {
                    spec: Some(spec),
                    value: None,
                    ..self.clone()
                };
                next = fresh.apply(CompareAction::SetValue(value));
            }
            CompareAction::SetValue(text) => {
                if let Some(spec) = self.spec {
                    match parse_value(spec, &text) {
                        Ok(v) => {
                            next.value = Some(v.to_string());
                            next.error = None;
                        }
                        Err(e) => next.error = Some(e),
                    }
                }
                next.text = text;
            }
        }
        next
    }
}

impl Reducible for Compare {
    type Action = CompareAction;

    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::TOY;
    use hopscope_sim::registry;

    fn defaults() -> Params {
        Params::defaults(TOY.params()).expect("defaults")
    }

    fn url(text: Option<&str>) -> String {
        let (c, errors) = Compare::from_url(&TOY, &defaults(), text);
        let mut out = format!("{:?}", c.to_query());
        for e in errors {
            out.push_str(&format!("\n{e}"));
        }
        out
    }

    #[test]
    fn the_url_names_the_key_and_b_value_and_falls_back_when_bad() {
        assert_eq!(url(None), "None");
        assert_eq!(
            url(Some("algorithm:random")),
            r#"Some("compare=algorithm:random")"#
        );
        assert_eq!(url(Some("rate:80")), r#"Some("compare=rate:80")"#);
        assert_eq!(
            url(Some("algorithm:bogus")),
            "Some(\"compare=algorithm:random\")\ncompare=\"algorithm:bogus\": expected algorithm:VALUE with VALUE one of round_robin, random"
        );
        assert_eq!(
            url(Some("nope:1")),
            "Some(\"compare=algorithm:random\")\ncompare=\"nope:1\": expected PARAMETER:VALUE, PARAMETER one of: algorithm, backends, weights, requests, rate, service, queue, link_ms, clients"
        );
        // A value that parses but breaks a rule across fields with A's other values.
        assert_eq!(
            url(Some("backends:4")),
            "Some(\"compare=backends:3\")\ncompare=\"backends:4\": expected a value B can run with: weights=\"1,1,1\": expected 4 weights (one per backend), got 3"
        );
    }

    #[test]
    fn values_with_separators_survive_the_round_trip() {
        let spec = comparable(TOY.params())
            .find(|s| s.key == "weights")
            .expect("weights");
        let c = Compare::off(&TOY).apply(CompareAction::SetKey {
            spec,
            value: "2, 1,1".into(),
        });
        let c = c.apply(CompareAction::Start {
            default: String::new(),
        });
        let q = c.to_query().expect("on");
        assert_eq!(q, "compare=weights:2,1,1");
        let (back, errors) =
            Compare::from_url(&TOY, &defaults(), q.strip_prefix("compare=")).clone();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(back.value.as_deref(), Some("2,1,1"));
    }

    #[test]
    fn the_reducer_keeps_the_last_good_value_and_remembers_it_when_off() {
        let c = Compare::off(&TOY);
        assert_eq!(c.spec.map(|s| s.key), Some("algorithm"), "the first choice");
        assert_eq!(c.to_query(), None);
        let c = c.apply(CompareAction::Start {
            default: "random".into(),
        });
        assert_eq!(c.to_query().as_deref(), Some("compare=algorithm:random"));
        let c = c.apply(CompareAction::SetValue("bogus".into()));
        assert_eq!(c.text, "bogus");
        assert_eq!(
            c.value.as_deref(),
            Some("random"),
            "the last good value runs"
        );
        assert!(c.error.is_some());
        let c = c.apply(CompareAction::Stop).apply(CompareAction::Start {
            default: "round_robin".into(),
        });
        assert_eq!(c.value.as_deref(), Some("random"), "remembered");
    }

    #[test]
    fn b_is_a_with_one_value_changed() {
        let a = Scenario {
            block: &TOY,
            params: defaults(),
            seed: 7,
        };
        let c = Compare::off(&TOY);
        assert!(c.chosen().is_none(), "off");
        let c = c.apply(CompareAction::Start {
            default: "random".into(),
        });
        let (spec, value) = c.chosen().expect("on");
        let b = scenario_b(&a, spec, &value).expect("runs");
        assert_eq!(b.seed, 7);
        assert_eq!(b.params.text("algorithm"), "random");
        assert_eq!(b.params.int("backends"), a.params.int("backends"));
    }

    #[test]
    fn defaults_come_from_presets_then_other_choices() {
        let spec = default_spec(TOY.params()).expect("a choice");
        assert_eq!(default_value(&TOY, spec, &defaults()), "random");
        // Every block's default comparison runs, whatever its first choice is.
        for block in registry::specs() {
            let Some(spec) = default_spec(block.params()) else {
                continue;
            };
            let a = Params::defaults(block.params()).expect("defaults");
            let v = default_value(*block, spec, &a);
            assert_ne!(
                v,
                value_of(&a, spec.key),
                "{}: B differs from A",
                block.id()
            );
            if let Err(e) = b_params(*block, &a, spec, &v) {
                panic!("{}: compare by {} = {v}: {e}", block.id(), spec.key);
            }
        }
        let lb = registry::specs()
            .iter()
            .find(|b| b.id() == "lb")
            .expect("lb");
        let spec = default_spec(lb.params()).expect("algorithm");
        let a = Params::defaults(lb.params()).expect("defaults");
        assert_eq!(
            (spec.key, default_value(*lb, spec, &a).as_str()),
            ("algorithm", "least_connections")
        );
    }
}
