//! The `<iframe>` snippet the Embed dialog writes: the options a tutorial author picks, the
//! embed URL they make (the scenario's own permalink plus the embed flags), and the HTML, all
//! pure so the round trip URL → `parse_query` is tested natively.

use crate::playback::Timeline;
use crate::speed::Speed;
use crate::url_state::embed::{EmbedFlags, Panels, Theme};
use crate::url_state::{format_hash, format_query};
use hopscope_sim::{ParamSpec, Params, SimTime};

/// Sizes a frame may have, in CSS pixels.
pub const WIDTH_RANGE: (u32, u32) = (240, 2400);
pub const HEIGHT_RANGE: (u32, u32) = (200, 2400);

/// What the author chose in the dialog.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The narrated step the embed opens at (from 0); `None`: the beginning.
    pub start: Option<usize>,
    pub autoplay: bool,
    pub looping: bool,
    pub speed: Speed,
    pub theme: Theme,
    pub panels: Panels,
    pub width: u32,
    pub height: u32,
}

impl EmbedOptions {
    /// The defaults: the page's current step and speed, the compact panels, 600×400.
    pub fn new(start: Option<usize>, speed: Speed) -> EmbedOptions {
        EmbedOptions {
            start,
            autoplay: false,
            looping: false,
            speed,
            theme: Theme::Auto,
            panels: Panels::DEFAULT,
            width: 600,
            height: 400,
        }
    }

    fn flags(&self) -> EmbedFlags {
        EmbedFlags {
            on: true,
            panels: self.panels,
            autoplay: self.autoplay,
            looping: self.looping,
            theme: self.theme,
            origin: None,
        }
    }
}

/// The scenario an embed shows.
pub struct Shown<'a> {
    pub block: &'a str,
    pub specs: &'a [ParamSpec],
    pub params: &'a Params,
    pub seed: u64,
    /// Compare mode's `compare=KEY:VALUE`, when on.
    pub compare: Option<&'a str>,
    pub timeline: &'a Timeline,
}

/// `#/lb?seed=…&…&t=…&step=…&speed=…&compare=…&embed=1&…`: the permalink of the scenario at the
/// start step, plus the embed flags.
pub fn embed_hash(shown: &Shown, options: &EmbedOptions) -> String {
    let start = options
        .start
        .filter(|s| *s < shown.timeline.step_times.len());
    let t = start.map_or(SimTime::ZERO, |s| shown.timeline.step_times[s]);
    let mut query = format_query(
        shown.specs,
        shown.params,
        shown.seed,
        t,
        start,
        options.speed,
    );
    if let Some(pair) = shown.compare {
        query = format!("{query}&{pair}");
    }
    query.push_str(&options.flags().to_query());
    format_hash(shown.block, &query)
}

/// `<iframe src="…" width="600" height="400" title="…" loading="lazy"></iframe>`, attributes
/// escaped for HTML.
pub fn iframe_html(src: &str, options: &EmbedOptions, title: &str) -> String {
    format!(
        r#"<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="border: 1px solid #e4e7ec; border-radius: 8px;"></iframe>"#,
        escape(src),
        options.width,
        options.height,
        escape(title)
    )
}

/// A frame size typed by the author: whole pixels within `range`.
pub fn parse_size(text: &str, range: (u32, u32)) -> Result<u32, String> {
    let allowed = format!("whole pixels from {} to {}", range.0, range.1);
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(allowed);
    }
    text.parse::<u32>()
        .ok()
        .filter(|v| (range.0..=range.1).contains(v))
        .ok_or(allowed)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::TOY;
    use crate::url_state::{parse_query, resolve_params};
    use hopscope_sim::BlockSpec;

    fn timeline() -> Timeline {
        Timeline {
            duration: SimTime(10_000),
            step_times: vec![SimTime(0), SimTime(2_000), SimTime(2_000), SimTime(7_000)],
            pace: 1_000.0,
        }
    }

    #[test]
    fn the_embed_url_reproduces_the_scenario_and_the_flags() {
        let specs = TOY.params();
        let (state, errors) = parse_query(&format!("seed=9&{}", "bogus=1"), specs);
        assert_eq!(errors.len(), 1);
        let (params, _) = resolve_params(&TOY, &state.params);
        let tl = timeline();
        let shown = Shown {
            block: "toy",
            specs,
            params: &params,
            seed: 9,
            compare: None,
            timeline: &tl,
        };
        let mut options = EmbedOptions::new(Some(2), Speed::parse("2").unwrap());
        options.looping = true;
        options.theme = Theme::Dark;
        options.panels = Panels::parse("topology,controls,narration,charts").unwrap();
        let hash = embed_hash(&shown, &options);
        let query = hash.split_once('?').unwrap().1;
        let (back, errors) = parse_query(query, specs);
        assert_eq!(errors, []);
        assert_eq!(back.seed, Some(9));
        assert_eq!(back.step, Some(2), "the start step");
        assert_eq!(back.t, Some(SimTime(2_000)), "at its time");
        assert_eq!(back.speed, Some(options.speed));
        assert!(back.embed.on && back.embed.looping && !back.embed.autoplay);
        assert_eq!(back.embed.theme, Theme::Dark);
        assert_eq!(back.embed.panels, options.panels);
        let (params_back, _) = resolve_params(&TOY, &back.params);
        assert_eq!(params_back, params);
    }

    #[test]
    fn from_the_beginning_and_out_of_range_starts() {
        let params = hopscope_sim::Params::defaults(TOY.params()).unwrap();
        let tl = timeline();
        let shown = Shown {
            block: "toy",
            specs: TOY.params(),
            params: &params,
            seed: 1,
            compare: Some("compare=n:3"),
            timeline: &tl,
        };
        for start in [None, Some(99)] {
            let hash = embed_hash(&shown, &EmbedOptions::new(start, Speed::NORMAL));
            assert!(hash.starts_with("#/toy?seed=1&"), "{hash}");
            assert!(hash.contains("&t=0&speed=1&compare=n:3&embed=1"), "{hash}");
            assert!(!hash.contains("step="), "{hash}");
        }
    }

    #[test]
    fn the_snippet_is_escaped_html() {
        let options = EmbedOptions::new(None, Speed::NORMAL);
        assert_eq!(
            iframe_html(
                "https://x.test/#/lb?a=1&b=\"2\"",
                &options,
                "Hopscope: <LB>"
            ),
            r#"<iframe src="https://x.test/#/lb?a=1&amp;b=&quot;2&quot;" width="600" height="400" title="Hopscope: &lt;LB&gt;" loading="lazy" style="border: 1px solid #e4e7ec; border-radius: 8px;"></iframe>"#
        );
    }

    #[test]
    fn sizes_are_whole_pixels_in_range() {
        assert_eq!(parse_size(" 640 ", WIDTH_RANGE), Ok(640));
        for bad in ["", "10", "abc", "600px", "-600", "1e3", "99999999999"] {
            assert_eq!(
                parse_size(bad, WIDTH_RANGE),
                Err("whole pixels from 240 to 2400".to_string()),
                "{bad}"
            );
        }
    }
}
