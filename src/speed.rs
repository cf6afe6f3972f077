//! Playback speed: a small closed set of multipliers of the run's natural pace.
//!
//! 1× is `hopscope_sim::view::default_pace(run)` virtual microseconds per real second, so a
//! typical hop takes about the same time on screen whatever the block's time scale.

use std::fmt;

/// One of [`Speed::ALL`]; anything else is refused rather than rounded.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
pub struct Speed(f64);

impl Speed {
    pub const ALL: [Speed; 7] = [
        Speed(0.25),
        Speed(0.5),
        Speed(1.0),
        Speed(2.0),
        Speed(4.0),
        Speed(8.0),
        Speed(16.0),
    ];
    pub const NORMAL: Speed = Speed(1.0);
    /// What `parse` accepts, for messages.
    pub const ALLOWED: &'static str = "one of 0.25, 0.5, 1, 2, 4, 8, 16";

    /// A decimal text of one of [`Speed::ALL`]: `2`, `0.25`, `1.0`, `.5`, `016`. Compared as
    /// text in its shortest form, so the page needs no decimal-to-float conversion (its tables
    /// are 15 KB of the page's gzip; the engine does all other number parsing).
    pub fn parse(text: &str) -> Option<Speed> {
        let t = text.trim();
        let t = t.strip_prefix('+').unwrap_or(t);
        let (whole, fraction) = t.split_once('.').unwrap_or((t, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) || (whole.is_empty() && fraction.is_empty()) {
            return None;
        }
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        let shortest = match (whole.is_empty(), fraction.is_empty()) {
            (true, true) => "0".to_string(),
            (true, false) => format!("0.{fraction}"),
            (false, true) => whole.to_string(),
            (false, false) => format!("{whole}.{fraction}"),
        };
        Speed::ALL.into_iter().find(|s| s.to_string() == shortest)
    }

    pub fn factor(self) -> f64 {
        self.0
    }

    /// The next speed up in [`Speed::ALL`], or this one at the top.
    pub fn faster(self) -> Speed {
        Speed::ALL
            .into_iter()
            .find(|s| s.0 > self.0)
            .unwrap_or(self)
    }

    /// The next speed down in [`Speed::ALL`], or this one at the bottom.
    pub fn slower(self) -> Speed {
        Speed::ALL
            .into_iter()
            .rev()
            .find(|s| s.0 < self.0)
            .unwrap_or(self)
    }
}

impl Default for Speed {
    fn default() -> Self {
        Speed::NORMAL
    }
}

/// `0.25`, `0.5`, `1`, `2`…: the option values of the speed menu and the URL.
impl fmt::Display for Speed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_round_trips_and_strangers_are_refused() {
        let texts: Vec<String> = Speed::ALL.iter().map(|s| s.to_string()).collect();
        assert_eq!(texts, ["0.25", "0.5", "1", "2", "4", "8", "16"]);
        for s in Speed::ALL {
            assert_eq!(Speed::parse(&s.to_string()), Some(s));
        }
        for (text, speed) in [
            ("1.0", 1.0),
            (" 2 ", 2.0),
            ("016", 16.0),
            (".5", 0.5),
            ("0.250", 0.25),
            ("+4", 4.0),
            ("8.", 8.0),
        ] {
            assert_eq!(Speed::parse(text), Some(Speed(speed)), "{text}");
        }
        for bad in [
            "3", "", ".", "fast", "NaN", "-1", "1e400", "1e0", "0", "0.125", "1..0", "0x2", "1 6",
        ] {
            assert_eq!(Speed::parse(bad), None, "{bad}");
        }
    }
}
