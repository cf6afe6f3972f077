//! Checking zone files as a person types them, with the engine's own parser (`Zone::parse`,
//! `Internet::from_texts`), so the page accepts exactly what the CLI accepts: each zone's first
//! error with its line and column, then whether the zones fit together as an internet (one root
//! zone, one zone per origin, addresses for the root hints). The parser runs in the engine's
//! bundle ([`verdict`], asked through `engine::checks`), not in the page's.

use crate::engine::checks::{ask, Answer, Question};
use hopscope_sim::dns::internet::{Internet, InternetError};
use hopscope_sim::dns::zone::{Zone, ZoneError};
use serde::{Deserialize, Serialize};

/// What is wrong with a set of zone texts.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct ZoneCheck {
    /// Each zone's first error, by index.
    pub errors: Vec<Option<ZoneError>>,
    /// Why zones that parse one by one do not make an internet, and the zone at fault if one is.
    pub setup: Option<(Option<usize>, String)>,
}

impl ZoneCheck {
    pub fn ok(&self) -> bool {
        self.setup.is_none() && self.errors.iter().all(Option::is_none)
    }
}

thread_local! {
    /// Asked of the engine once (its bundle holds them; the page's does not).
    static DEFAULT_TEXTS: Vec<String> = match ask(Question::DefaultZones) {
        Answer::DefaultZones(texts) => texts,
        _ => Vec::new(),
    };
}

/// The default internet's zone texts, in order.
pub fn default_texts() -> Vec<String> {
    DEFAULT_TEXTS.with(Clone::clone)
}

/// The zones a run uses: its `zone` documents, or the default internet when it has none.
pub fn running_texts(docs: &[String]) -> Vec<String> {
    if docs.is_empty() {
        default_texts()
    } else {
        docs.to_vec()
    }
}

/// What to set the `zone` parameter to for these texts: nothing when they are exactly the
/// default internet, so its address stays short and the run says `zones: default`.
pub fn documents_for(texts: &[String]) -> Vec<String> {
    if texts == default_texts() {
        Vec::new()
    } else {
        texts.to_vec()
    }
}

/// A zone's name on its tab: its first `$ORIGIN`, else its position.
pub fn label(text: &str, index: usize) -> String {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("$ORIGIN"))
        .filter_map(|rest| rest.split_whitespace().next())
        .next()
        .map(str::to_string)
        .unwrap_or_else(|| format!("zone {}", index + 1))
}

/// Every zone's first error and whether they fit together, as the engine judges them (nothing
/// is reported when the engine could not be asked: the run's own check still stops bad zones).
pub fn check(texts: &[String]) -> ZoneCheck {
    match ask(Question::Zones {
        texts: texts.to_vec(),
    }) {
        Answer::Zones(check) => check,
        _ => ZoneCheck::default(),
    }
}

/// Parses every zone and, when all parse, checks that they fit together: the engine's side of
/// [`check`].
pub fn verdict(texts: &[String]) -> ZoneCheck {
    let labelled: Vec<(String, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (label(t, i), t.as_str()))
        .collect();
    let errors: Vec<Option<ZoneError>> = labelled
        .iter()
        .map(|(label, text)| Zone::parse(text, label).err())
        .collect();
    let setup = match errors.iter().all(Option::is_none) {
        true => match Internet::from_texts(&labelled) {
            Ok(_) => None,
            Err(InternetError::Setup { index, message }) => Some((index, message)),
            Err(InternetError::Zone { index, error }) => Some((Some(index), error.to_string())),
        },
        false => None,
    };
    ZoneCheck { errors, setup }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn edited(index: usize, from: &str, to: &str) -> Vec<String> {
        let mut texts = default_texts();
        assert!(texts[index].contains(from), "zone {index} has {from:?}");
        texts[index] = texts[index].replacen(from, to, 1);
        texts
    }

    #[test]
    fn the_default_internet_checks_and_is_sent_as_nothing() {
        let texts = default_texts();
        assert!(check(&texts).ok());
        assert!(documents_for(&texts).is_empty());
        assert_eq!(running_texts(&[]), texts);
        let labels: Vec<String> = texts.iter().enumerate().map(|(i, t)| label(t, i)).collect();
        assert_eq!(labels[..3], [".", "com.", "net."]);
        assert_eq!(labels[10], "example.com.");
        assert_eq!(label("; nothing yet\n", 3), "zone 4");
    }

    #[test]
    fn an_error_names_its_zone_line_and_column() {
        let texts = edited(10, "192.0.2.80", "192.0.2.800");
        let c = check(&texts);
        assert!(!c.ok());
        assert_eq!(c.errors.iter().flatten().count(), 1);
        let e = c.errors[10].as_ref().expect("example.com fails");
        assert_eq!((e.line, e.col), (22, 17));
        expect![[r#"example.com. line 22, column 17: expected an IPv4 address like 192.0.2.1 (RFC 1035 §3.4.1), found "192.0.2.800""#]]
            .assert_eq(&e.to_string());
        assert_eq!(documents_for(&texts).len(), 16, "an edit sends every zone");
    }

    #[test]
    fn zones_that_parse_but_do_not_fit_together_are_reported() {
        let mut texts = default_texts();
        texts.remove(0);
        let c = check(&texts);
        assert!(c.errors.iter().all(Option::is_none));
        let (index, message) = c.setup.expect("no root zone");
        assert_eq!(index, None);
        assert!(message.contains("a root zone"), "{message}");

        let mut texts = default_texts();
        texts.push(texts[10].clone());
        let (index, message) = check(&texts).setup.expect("example.com twice");
        assert_eq!(index, Some(16));
        assert!(message.contains("example.com. is given twice"), "{message}");
    }
}
