//! The embed flags of a playground URL (`#/lb?…&embed=1&panels=topology,narration&autoplay=1`):
//! what an `<iframe>` of Hopscope shows and does on its own. Parsed and checked like the rest of
//! the URL state (a bad value is a `ParamError` in the page's banner, never a panic); formatted
//! back only when the page is embedded, so a full page's address never carries them.

use std::fmt;

pub const EMBED: &str = "embed";
pub const PANELS: &str = "panels";
pub const AUTOPLAY: &str = "autoplay";
pub const LOOP: &str = "loop";
pub const THEME: &str = "theme";
/// Restricts which host page may drive the embed through `postMessage` (see `docs/embedding.md`).
pub const ORIGIN: &str = "origin";
/// Every key this module owns, in the order they are formatted.
pub const KEYS: [&str; 6] = [EMBED, PANELS, AUTOPLAY, LOOP, THEME, ORIGIN];

/// A part of the compact view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Topology,
    Controls,
    Narration,
    Charts,
}

impl Panel {
    pub const ALL: [Panel; 4] = [
        Panel::Topology,
        Panel::Controls,
        Panel::Narration,
        Panel::Charts,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Panel::Topology => "topology",
            Panel::Controls => "controls",
            Panel::Narration => "narration",
            Panel::Charts => "charts",
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// A set of panels, kept in [`Panel::ALL`] order whatever order the URL gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Panels(u8);

impl Panels {
    /// Topology, controls and narration: what fits a 600×400 frame without scrolling.
    pub const DEFAULT: Panels = Panels(0b0111);
    pub const ALLOWED: &'static str =
        "one or more of topology, controls, narration, charts, separated by commas";

    pub fn empty() -> Panels {
        Panels(0)
    }

    pub fn has(self, panel: Panel) -> bool {
        self.0 & panel.bit() != 0
    }

    pub fn with(self, panel: Panel, on: bool) -> Panels {
        match on {
            true => Panels(self.0 | panel.bit()),
            false => Panels(self.0 & !panel.bit()),
        }
    }

    /// `topology,controls`: no empty set, no unknown or repeated name.
    pub fn parse(text: &str) -> Option<Panels> {
        let mut set = Panels::empty();
        for name in text.split(',') {
            let panel = Panel::ALL.into_iter().find(|p| p.name() == name.trim())?;
            if set.has(panel) {
                return None;
            }
            set = set.with(panel, true);
        }
        (set != Panels::empty()).then_some(set)
    }
}

impl Default for Panels {
    fn default() -> Self {
        Panels::DEFAULT
    }
}

impl fmt::Display for Panels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Panel::ALL
            .into_iter()
            .filter(|p| self.has(*p))
            .map(Panel::name)
            .collect();
        f.write_str(&names.join(","))
    }
}

/// The colour scheme an embed asks for; `Auto` follows the reader's system setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::Auto, Theme::Light, Theme::Dark];
    pub const ALLOWED: &'static str = "one of auto, light, dark";

    pub fn name(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(text: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.name() == text.trim())
    }
}

/// What the URL asked an embed to be.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EmbedFlags {
    /// `embed=1`: the compact view without the site's chrome. The other flags only matter then.
    pub on: bool,
    pub panels: Panels,
    pub autoplay: bool,
    /// When playing reaches the end, start again from 0.
    pub looping: bool,
    pub theme: Theme,
    /// The only origin allowed to drive the embed (`https://example.com`); any when `None`.
    pub origin: Option<String>,
}

impl EmbedFlags {
    pub fn is_key(key: &str) -> bool {
        KEYS.contains(&key)
    }

    /// Takes `key=value` for one of [`KEYS`]; `Err` says what is allowed instead.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), &'static str> {
        const SWITCH: &str = "1 (on) or 0 (off)";
        match key {
            EMBED => self.on = parse_switch(value).ok_or(SWITCH)?,
            PANELS => self.panels = Panels::parse(value).ok_or(Panels::ALLOWED)?,
            AUTOPLAY => self.autoplay = parse_switch(value).ok_or(SWITCH)?,
            LOOP => self.looping = parse_switch(value).ok_or(SWITCH)?,
            THEME => self.theme = Theme::parse(value).ok_or(Theme::ALLOWED)?,
            ORIGIN => {
                self.origin = Some(parse_origin(value).ok_or(
                    "a web origin: http:// or https://, a host and an optional :port, no path (e.g. https://example.com)",
                )?)
            }
            _ => return Err("an embed flag"),
        }
        Ok(())
    }

    /// `&embed=1&…` with every flag that differs from its default; empty when not embedded.
    pub fn to_query(&self) -> String {
        if !self.on {
            return String::new();
        }
        let mut out = format!("&{EMBED}=1");
        if self.panels != Panels::DEFAULT {
            out.push_str(&format!("&{PANELS}={}", self.panels));
        }
        if self.autoplay {
            out.push_str(&format!("&{AUTOPLAY}=1"));
        }
        if self.looping {
            out.push_str(&format!("&{LOOP}=1"));
        }
        if self.theme != Theme::Auto {
            out.push_str(&format!("&{THEME}={}", self.theme.name()));
        }
        if let Some(origin) = &self.origin {
            out.push_str(&format!("&{ORIGIN}={}", super::percent_encode(origin)));
        }
        out
    }
}

/// Whether a raw (still %-encoded) query turns embed mode on: the page shell asks before any
/// block is known, to leave out the site's header and footer.
pub fn query_is_embed(query: &str) -> bool {
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .rfind(|(k, _)| *k == EMBED)
        .is_some_and(|(_, v)| parse_switch(v) == Some(true))
}

fn parse_switch(text: &str) -> Option<bool> {
    match text.trim() {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// `scheme://host[:port]` with scheme http or https, as browsers write `MessageEvent.origin`.
fn parse_origin(text: &str) -> Option<String> {
    let text = text.trim();
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (rest, None),
    };
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (host_ok && port_ok).then(|| text.strip_suffix('/').unwrap_or(text).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::BlockSpec;

    #[test]
    fn panels_parse_in_any_order_and_format_in_one() {
        let p = Panels::parse("charts,topology").unwrap();
        assert!(p.has(Panel::Charts) && p.has(Panel::Topology) && !p.has(Panel::Controls));
        assert_eq!(p.to_string(), "topology,charts");
        assert_eq!(Panels::DEFAULT.to_string(), "topology,controls,narration");
        for bad in ["", "topology,", "maps", "topology,topology", "Topology"] {
            assert_eq!(Panels::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn flags_are_checked_and_round_trip() {
        let mut f = EmbedFlags::default();
        for (k, v) in [
            ("embed", "1"),
            ("panels", "topology,controls,narration,charts"),
            ("autoplay", "1"),
            ("loop", "1"),
            ("theme", "dark"),
            ("origin", "https://blog.example.org:8443"),
        ] {
            f.set(k, v).unwrap();
        }
        assert_eq!(
            f.to_query(),
            "&embed=1&panels=topology,controls,narration,charts&autoplay=1&loop=1&theme=dark&origin=https%3A%2F%2Fblog.example.org%3A8443"
        );
        let mut g = EmbedFlags::default();
        assert_eq!(g.set("autoplay", "yes"), Err("1 (on) or 0 (off)"));
        assert_eq!(g.set("theme", "blue"), Err(Theme::ALLOWED));
        assert_eq!(g.set("panels", "map"), Err(Panels::ALLOWED));
        assert_eq!(g, EmbedFlags::default(), "a refused value changes nothing");
        assert_eq!(g.to_query(), "", "a full page carries no embed flags");
    }

    #[test]
    fn origins_are_web_origins_only() {
        for good in [
            "https://example.com",
            "http://127.0.0.1:8000",
            "https://example.com/",
        ] {
            assert!(parse_origin(good).is_some(), "{good}");
        }
        assert_eq!(
            parse_origin("https://example.com/").as_deref(),
            Some("https://example.com")
        );
        for bad in [
            "example.com",
            "https://",
            "https://example.com/blog",
            "ftp://example.com",
            "https://exa mple.com",
            "https://example.com:port",
            "*",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_url_parser_takes_embed_flags_and_names_bad_ones() {
        let specs = crate::fixture::TOY.params();
        let (state, errors) = super::super::parse_query(
            "seed=3&embed=1&panels=topology,charts&loop=1&theme=night&autoplay=2&origin=https%3A%2F%2Fa.example",
            specs,
        );
        assert_eq!(state.seed, Some(3));
        assert!(state.embed.on && state.embed.looping && !state.embed.autoplay);
        assert_eq!(state.embed.panels.to_string(), "topology,charts");
        assert_eq!(state.embed.origin.as_deref(), Some("https://a.example"));
        let named: Vec<String> = errors
            .iter()
            .map(|e| format!("{}={}: {}", e.key, e.value, e.allowed))
            .collect();
        assert_eq!(
            named,
            [
                "theme=night: one of auto, light, dark",
                "autoplay=2: 1 (on) or 0 (off)"
            ]
        );
    }

    #[test]
    fn the_shell_sees_embed_mode_in_a_raw_query() {
        assert!(query_is_embed("seed=1&embed=1"));
        assert!(query_is_embed("?embed=1&t=0"));
        assert!(!query_is_embed("seed=1&embed=0"));
        assert!(!query_is_embed("seed=1&embedded=1"));
        assert!(!query_is_embed(""));
    }
}
