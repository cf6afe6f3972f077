//! The parameter form's state: what each field holds as typed, what is wrong with it, and the
//! last valid scenario (block, params, seed), which is what runs.
//!
//! A reducer like the cursor's (`playback`), kept apart because it changes for other reasons
//! (typing, presets) and must never reset the cursor by itself. An invalid value is shown next
//! to its field and changes nothing else: it never re-runs and is never clamped, so the last
//! valid run stays on screen.

use crate::url_state::SEED;
use hopscope_sim::{BlockSpec, ParamError, ParamKind, ParamSpec, Params};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::Reducible;

/// A complete, valid scenario: the key of the run memo.
#[derive(Clone)]
pub struct Scenario {
    pub block: &'static dyn BlockSpec,
    pub params: Params,
    pub seed: u64,
}

impl PartialEq for Scenario {
    fn eq(&self, other: &Self) -> bool {
        self.block.id() == other.block.id()
            && self.params == other.params
            && self.seed == other.seed
    }
}

impl Scenario {
    /// What the engine worker is asked to run.
    pub fn request(&self) -> crate::engine::client::RunRequest {
        crate::engine::client::RunRequest {
            scenario: self.block.id(),
            params: self.params.to_pairs(),
            seed: self.seed,
        }
    }

    /// Whether `run` is this scenario's run (and not an older one still on screen).
    pub fn produced(&self, run: &hopscope_sim::Run) -> bool {
        run.scenario == self.block.id()
            && run.seed == self.seed
            && run.params == self.params.to_json()
    }

    /// The preset whose values are exactly these parameters, if any.
    pub fn preset(&self) -> Option<&'static str> {
        let specs = self.block.params();
        self.block
            .presets()
            .iter()
            .find(|p| {
                crate::engine::checks::parse_params(specs, p.values, false)
                    .is_ok_and(|params| params == self.params)
            })
            .map(|p| p.id)
    }
}

impl std::fmt::Debug for Scenario {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scenario")
            .field("block", &self.block.id())
            .field("params", &self.params)
            .field("seed", &self.seed)
            .finish()
    }
}

#[derive(Clone)]
pub struct ScenarioForm {
    pub block: &'static dyn BlockSpec,
    /// The text of every parameter field, in the order the block declares them; a documents
    /// parameter has one entry per document (one empty entry when it has none).
    pub drafts: Vec<(&'static str, String)>,
    pub seed_text: String,
    /// What is wrong with the drafts, by the key of the field to show it beside (`seed` for the
    /// seed). A rule across fields is shown beside the field its error names.
    pub errors: BTreeMap<String, ParamError>,
    /// The parameters whose field reads differently from the default (a bad text counts): what
    /// a collapsed group of the form counts as changed.
    pub changed: BTreeSet<&'static str>,
    /// The last valid scenario.
    pub current: Rc<Scenario>,
}

impl PartialEq for ScenarioForm {
    fn eq(&self, other: &Self) -> bool {
        self.block.id() == other.block.id()
            && self.drafts == other.drafts
            && self.seed_text == other.seed_text
            && self.errors == other.errors
            && self.changed == other.changed
            && self.current == other.current
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FormAction {
    SetParam {
        key: String,
        text: String,
    },
    SetSeed(String),
    /// All the documents of a documents parameter (zone files) at once, replacing its own; none
    /// means its default.
    SetDocuments {
        key: String,
        docs: Vec<String>,
    },
    /// The block's defaults, then the preset's values (the seed stays).
    ApplyPreset(String),
    /// Every field back to its default (the seed stays).
    Reset,
}

impl ScenarioForm {
    pub fn new(block: &'static dyn BlockSpec, params: Params, seed: u64) -> ScenarioForm {
        let drafts = drafts_of(block.params(), &params.to_pairs());
        let current = Rc::new(Scenario {
            block,
            params,
            seed,
        });
        let mut form = ScenarioForm {
            block,
            drafts,
            seed_text: seed.to_string(),
            errors: BTreeMap::new(),
            changed: BTreeSet::new(),
            current,
        };
        form.mark_changed();
        form
    }

    /// Recomputes [`ScenarioForm::changed`]: each field's (first) text and the default, both
    /// read by the engine.
    fn mark_changed(&mut self) {
        let defaults = crate::engine::checks::defaults(self.block.params());
        self.changed = self
            .block
            .params()
            .iter()
            .filter(|spec| {
                let default = defaults
                    .values()
                    .find(|(k, _)| *k == spec.key)
                    .map(|(_, v)| v);
                crate::engine::checks::parse_value(spec, self.draft(spec.key))
                    .ok()
                    .as_ref()
                    != default
            })
            .map(|spec| spec.key)
            .collect();
    }

    /// The documents of a documents parameter, as typed (empty ones left out).
    pub fn documents(&self, key: &str) -> Vec<&str> {
        self.drafts
            .iter()
            .filter(|(k, text)| *k == key && !text.is_empty())
            .map(|(_, text)| text.as_str())
            .collect()
    }

    pub fn draft(&self, key: &str) -> &str {
        self.drafts
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The preset whose values are exactly the running parameters, if any.
    pub fn active_preset(&self) -> Option<&'static str> {
        self.current.preset()
    }

    pub fn apply(&self, action: FormAction) -> ScenarioForm {
        let mut next = self.clone();
        match action {
            FormAction::SetParam { key, text } => {
                match next.drafts.iter_mut().find(|(k, _)| *k == key) {
                    Some(slot) => slot.1 = text,
                    None => return next,
                }
            }
            FormAction::SetSeed(text) => next.seed_text = text,
            FormAction::SetDocuments { key, docs } => {
                let Some(at) = next.drafts.iter().position(|(k, _)| *k == key) else {
                    return next;
                };
                let key = next.drafts[at].0;
                next.drafts.retain(|(k, _)| *k != key);
                let docs = if docs.is_empty() {
                    vec![String::new()]
                } else {
                    docs
                };
                next.drafts
                    .splice(at..at, docs.into_iter().map(|text| (key, text)));
            }
            FormAction::ApplyPreset(id) => {
                let Some(preset) = self.block.presets().iter().find(|p| p.id == id) else {
                    return next;
                };
                next.drafts = drafts_of(self.block.params(), preset.values);
            }
            FormAction::Reset => {
                next.drafts = drafts_of::<&str, &str>(self.block.params(), &[]);
            }
        }
        next.validate();
        next
    }

    /// Rebuilds `errors` from the drafts and, when there is none, makes them current.
    fn validate(&mut self) {
        self.mark_changed();
        self.errors.clear();
        let specs = self.block.params();
        for (key, text) in &self.drafts {
            let spec = specs.iter().find(|s| s.key == *key);
            if let Some(Err(e)) = spec.map(|s| crate::engine::checks::parse_value(s, text)) {
                self.errors.insert(key.to_string(), e);
            }
        }
        let seed = self
            .seed_text
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|_| self.seed_text.trim().bytes().all(|b| b.is_ascii_digit()));
        if seed.is_none() {
            self.errors.insert(
                SEED.to_string(),
                ParamError::new(
                    SEED,
                    self.seed_text.clone(),
                    "an integer from 0 to 18446744073709551615",
                ),
            );
        }
        // Rules across fields are checked even while another field is bad: that field counts
        // with its last valid value, so "4 backends, 3 weights" shows up at once.
        let running = self.current.params.to_pairs();
        let usable: Vec<(&str, &str)> = self
            .drafts
            .iter()
            .map(|(k, text)| match self.errors.contains_key(*k) {
                true => (
                    *k,
                    running
                        .iter()
                        .find(|(rk, _)| rk == k)
                        .map_or("", |(_, v)| v.as_str()),
                ),
                false => (*k, text.as_str()),
            })
            .collect();
        // The engine reads the whole set and applies the block's rules across fields.
        let params = match crate::engine::checks::parse_params(specs, &usable, true) {
            Ok(p) => p,
            Err(e) => {
                self.errors.entry(e.key.clone()).or_insert(e);
                return;
            }
        };
        if !self.errors.is_empty() {
            return;
        }
        let scenario = Scenario {
            block: self.block,
            params,
            seed: seed.unwrap_or_default(),
        };
        if scenario != *self.current {
            self.current = Rc::new(scenario);
        }
    }
}

/// One draft per parameter, in spec order: its value among `pairs` (the last one given), else
/// its default; a documents parameter gets one draft per document given.
fn drafts_of<K: AsRef<str>, V: AsRef<str>>(
    specs: &'static [ParamSpec],
    pairs: &[(K, V)],
) -> Vec<(&'static str, String)> {
    let mut drafts = Vec::new();
    for spec in specs {
        let mut given: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k.as_ref() == spec.key)
            .map(|(_, v)| v.as_ref())
            .collect();
        if !matches!(spec.kind, ParamKind::Documents { .. }) {
            given = given.split_off(given.len().saturating_sub(1));
        }
        if given.is_empty() {
            given.push(spec.default);
        }
        drafts.extend(given.into_iter().map(|text| (spec.key, text.to_string())));
    }
    drafts
}

impl Reducible for ScenarioForm {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::TOY;

    fn form() -> ScenarioForm {
        ScenarioForm::new(&TOY, Params::defaults(TOY.params()).expect("defaults"), 1)
    }

    fn set(form: &ScenarioForm, key: &str, text: &str) -> ScenarioForm {
        form.apply(FormAction::SetParam {
            key: key.into(),
            text: text.into(),
        })
    }

    fn errors(form: &ScenarioForm) -> Vec<String> {
        form.errors.values().map(|e| e.to_string()).collect()
    }

    #[test]
    fn a_valid_edit_becomes_current() {
        let f = set(&form(), "rate", "80");
        assert!(f.errors.is_empty());
        assert_eq!(f.current.params.float("rate"), 80.0);
        assert_eq!(f.draft("rate"), "80");
    }

    #[test]
    fn an_invalid_edit_keeps_the_last_valid_scenario() {
        let start = form();
        let f = set(&start, "backends", "0");
        assert_eq!(
            errors(&f),
            [r#"backends="0": expected an integer from 1 to 32"#]
        );
        assert!(Rc::ptr_eq(&f.current, &start.current), "no re-run");
        assert_eq!(
            f.draft("backends"),
            "0",
            "the typed text stays in the field"
        );
        let f = f.apply(FormAction::SetSeed("x1".into()));
        assert_eq!(f.errors.len(), 2);
    }

    #[test]
    fn a_rule_across_fields_shows_beside_the_field_it_names() {
        let f = set(&form(), "backends", "4");
        assert_eq!(f.errors.keys().collect::<Vec<_>>(), ["weights"]);
        assert_eq!(
            errors(&f),
            [r#"weights="1,1,1": expected 4 weights (one per backend), got 3"#]
        );
        let f = set(&f, "weights", "1,1,1,2");
        assert!(f.errors.is_empty());
        assert_eq!(f.current.params.int("backends"), 4);
    }

    #[test]
    fn a_rule_across_fields_shows_while_another_field_is_bad() {
        let f = set(&set(&form(), "requests", "-5"), "backends", "4");
        assert_eq!(f.errors.keys().collect::<Vec<_>>(), ["requests", "weights"]);
        let f = set(&f, "weights", "1,1,1,1");
        assert_eq!(f.errors.keys().collect::<Vec<_>>(), ["requests"]);
        assert_eq!(
            f.current.params.int("backends"),
            3,
            "nothing runs while a field is bad"
        );
        let f = set(&f, "requests", "50");
        assert!(f.errors.is_empty());
        assert_eq!(
            (
                f.current.params.int("backends"),
                f.current.params.int("requests")
            ),
            (4, 50)
        );
    }

    #[test]
    fn presets_start_from_the_defaults() {
        let f = set(&form(), "clients", "7").apply(FormAction::ApplyPreset("no_queue".into()));
        assert!(f.errors.is_empty());
        assert_eq!(f.draft("clients"), "50");
        assert_eq!(f.draft("queue"), "0");
        assert_eq!(f.active_preset(), Some("no_queue"));
        assert_eq!(set(&f, "queue", "1").active_preset(), None);
        assert_eq!(f.apply(FormAction::Reset).active_preset(), Some("healthy"));
    }

    #[test]
    fn the_seed_is_part_of_the_scenario() {
        let f = form().apply(FormAction::SetSeed(" 42 ".into()));
        assert_eq!(f.current.seed, 42);
        let f = f.apply(FormAction::SetSeed("-3".into()));
        assert_eq!(
            errors(&f),
            [r#"seed="-3": expected an integer from 0 to 18446744073709551615"#]
        );
        assert_eq!(f.current.seed, 42);
    }

    mod documents {
        use super::*;
        use hopscope_sim::dns::internet::DEFAULT_ZONES;
        use hopscope_sim::registry;

        fn dns_form() -> ScenarioForm {
            let dns = *registry::specs()
                .iter()
                .find(|b| b.id() == "dns")
                .expect("the DNS block is registered");
            ScenarioForm::new(dns, Params::defaults(dns.params()).expect("defaults"), 1)
        }

        fn zones() -> Vec<String> {
            DEFAULT_ZONES.iter().map(|(_, z)| z.to_string()).collect()
        }

        fn set_docs(form: &ScenarioForm, docs: Vec<String>) -> ScenarioForm {
            form.apply(FormAction::SetDocuments {
                key: "zone".into(),
                docs,
            })
        }

        #[test]
        fn all_documents_are_set_at_once_and_run() {
            let mut docs = zones();
            docs[10] = docs[10].replace("192.0.2.80", "203.0.113.7");
            let f = set_docs(&dns_form(), docs.clone());
            assert!(f.errors.is_empty(), "{:?}", f.errors);
            assert_eq!(f.current.params.docs("zone"), docs);
            assert_eq!(f.documents("zone").len(), 16);
            // The other fields keep their place and text.
            let keys: Vec<&str> = f.drafts.iter().map(|(k, _)| *k).collect();
            assert_eq!(keys.iter().filter(|k| **k == "zone").count(), 16);
            assert_eq!(keys[..3], ["mode", "name", "type"]);
            assert_eq!(f.draft("name"), "www.example.com");
            // A form opened on those parameters (a permalink) holds the same documents.
            let again = ScenarioForm::new(f.block, f.current.params.clone(), 1);
            assert_eq!(again.drafts, f.drafts);
            // No documents: the default again, with one empty draft.
            let back = set_docs(&f, Vec::new());
            assert!(back.current.params.docs("zone").is_empty());
            assert_eq!(back.drafts, dns_form().drafts);
            assert_eq!(f.apply(FormAction::Reset).drafts, dns_form().drafts);
            assert_eq!(
                f.apply(FormAction::ApplyPreset("warm".into()))
                    .documents("zone")
                    .len(),
                0
            );
        }

        #[test]
        fn zones_that_do_not_parse_keep_the_last_valid_run() {
            let start = dns_form();
            let mut docs = zones();
            docs[10] = docs[10].replace("192.0.2.80", "192.0.2.800");
            let f = set_docs(&start, docs);
            assert_eq!(f.errors.keys().collect::<Vec<_>>(), ["zone"]);
            assert!(
                f.errors["zone"].allowed.contains("line 22, column 17"),
                "{}",
                f.errors["zone"]
            );
            assert!(Rc::ptr_eq(&f.current, &start.current), "no re-run");
        }
    }
}
