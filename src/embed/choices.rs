//! The Embed dialog's state: the options as typed (text fields kept as typed, with their
//! errors) and the last valid [`EmbedOptions`] the snippet is written from. A plain reducer,
//! tested natively.

use super::snippet::{parse_size, EmbedOptions, HEIGHT_RANGE, WIDTH_RANGE};
use crate::speed::Speed;
use crate::url_state::embed::{Panel, Panels, Theme};
use std::rc::Rc;
use yew::Reducible;

#[derive(Clone, Debug, PartialEq)]
pub struct Choices {
    /// What the snippet is made of: every field's last valid value.
    pub options: EmbedOptions,
    /// The start step as typed, counted from 1 as the page shows it; empty = the beginning.
    pub start_text: String,
    pub width_text: String,
    pub height_text: String,
    /// The panels ticked, even when none is (then `options.panels` keeps the last valid set).
    pub panels: Panels,
    pub start_error: Option<String>,
    pub width_error: Option<String>,
    pub height_error: Option<String>,
    pub panels_error: Option<String>,
    /// How many narrated steps the run has (start steps go from 1 to this).
    pub steps: usize,
    pub preview: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ChoiceAction {
    /// The dialog opens: defaults from the page (its step and speed) for a run of `steps` steps.
    Open {
        step: Option<usize>,
        speed: Speed,
        steps: usize,
    },
    Start(String),
    Autoplay(bool),
    Loop(bool),
    Speed(Speed),
    Theme(Theme),
    Panel(Panel, bool),
    Width(String),
    Height(String),
    Preview(bool),
}

impl Choices {
    pub fn new(step: Option<usize>, speed: Speed, steps: usize) -> Choices {
        let options = EmbedOptions::new(step.filter(|s| *s < steps), speed);
        Choices {
            start_text: options.start.map_or(String::new(), |s| (s + 1).to_string()),
            width_text: options.width.to_string(),
            height_text: options.height.to_string(),
            panels: options.panels,
            options,
            start_error: None,
            width_error: None,
            height_error: None,
            panels_error: None,
            steps,
            preview: false,
        }
    }

    pub fn apply(&self, action: ChoiceAction) -> Choices {
        let mut next = self.clone();
        let o = &mut next.options;
        match action {
            ChoiceAction::Open { step, speed, steps } => return Choices::new(step, speed, steps),
            ChoiceAction::Start(text) => {
                next.start_error = match parse_start(&text, self.steps) {
                    Ok(start) => {
                        o.start = start;
                        None
                    }
                    Err(e) => Some(e),
                };
                next.start_text = text;
            }
            ChoiceAction::Autoplay(on) => o.autoplay = on,
            ChoiceAction::Loop(on) => o.looping = on,
            ChoiceAction::Speed(speed) => o.speed = speed,
            ChoiceAction::Theme(theme) => o.theme = theme,
            ChoiceAction::Panel(panel, on) => {
                next.panels = self.panels.with(panel, on);
                next.panels_error = if next.panels == Panels::empty() {
                    Some("Choose at least one panel.".to_string())
                } else {
                    o.panels = next.panels;
                    None
                };
            }
            ChoiceAction::Width(text) => {
                next.width_error = parse_size(&text, WIDTH_RANGE).map(|w| o.width = w).err();
                next.width_text = text;
            }
            ChoiceAction::Height(text) => {
                next.height_error = parse_size(&text, HEIGHT_RANGE).map(|h| o.height = h).err();
                next.height_text = text;
            }
            ChoiceAction::Preview(on) => next.preview = on,
        }
        next
    }
}

/// `""` → the beginning; `"3"` → step index 2.
fn parse_start(text: &str, steps: usize) -> Result<Option<usize>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let allowed = match steps {
        0 => "empty: this run has no narrated steps".to_string(),
        n => format!("a step from 1 to {n}, or empty for the beginning"),
    };
    text.parse::<usize>()
        .ok()
        .filter(|n| (1..=steps).contains(n))
        .map(|n| Some(n - 1))
        .ok_or(allowed)
}

impl Reducible for Choices {
    type Action = ChoiceAction;

    fn reduce(self: Rc<Self>, action: ChoiceAction) -> Rc<Self> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_their_last_valid_value_and_say_what_is_wrong() {
        let c = Choices::new(Some(3), Speed::NORMAL, 10);
        assert_eq!(c.start_text, "4", "shown from 1");
        assert_eq!(c.options.start, Some(3));
        let c = c.apply(ChoiceAction::Start("11".into()));
        assert_eq!(
            c.start_error.as_deref(),
            Some("a step from 1 to 10, or empty for the beginning")
        );
        assert_eq!(c.options.start, Some(3));
        let c = c.apply(ChoiceAction::Start(" ".into()));
        assert_eq!((c.options.start, c.start_error.clone()), (None, None));
        let c = c.apply(ChoiceAction::Width("800".into()));
        let c = c.apply(ChoiceAction::Height("tall".into()));
        assert_eq!((c.options.width, c.options.height), (800, 400));
        assert_eq!(
            c.height_error.as_deref(),
            Some("whole pixels from 200 to 2400")
        );
    }

    #[test]
    fn at_least_one_panel_stays() {
        let mut c = Choices::new(None, Speed::NORMAL, 0);
        for panel in [Panel::Topology, Panel::Controls, Panel::Narration] {
            c = c.apply(ChoiceAction::Panel(panel, false));
        }
        assert_eq!(
            c.panels_error.as_deref(),
            Some("Choose at least one panel.")
        );
        assert_eq!(c.options.panels.to_string(), "narration");
        c = c.apply(ChoiceAction::Panel(Panel::Charts, true));
        assert_eq!(
            (c.options.panels.to_string(), c.panels_error),
            ("charts".into(), None)
        );
    }
}
