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

    pub fn parse(text: &str) -> Option<Speed> {
        let v: f64 = text.trim().parse().ok()?;
        Speed::ALL.into_iter().find(|s| s.0 == v)
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
        assert_eq!(Speed::parse("1.0"), Some(Speed::NORMAL));
        for bad in ["3", "", "fast", "NaN", "-1", "1e400"] {
            assert_eq!(Speed::parse(bad), None, "{bad}");
        }
    }
}
