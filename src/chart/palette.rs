//! The colours a chart is painted in, per theme. A `<canvas>` is not styled by CSS, so the
//! chart gets its palette passed in; the light one matches the style sheet's light variables,
//! the dark one its dark variables, and each series colour keeps at least 3:1 contrast against
//! its background.

use crate::theme::Theme;
use plotters::style::RGBColor;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
    /// Line colours in legend order; they repeat after eight series.
    pub series: [RGBColor; 8],
}

pub const LIGHT: Palette = Palette {
    background: RGBColor(0xff, 0xff, 0xff),
    text: RGBColor(0x5b, 0x64, 0x75),
    grid: RGBColor(0xea, 0xec, 0xf1),
    axis: RGBColor(0xc9, 0xce, 0xd8),
    series: [
        RGBColor(0x3b, 0x5b, 0xdb),
        RGBColor(0x0c, 0x94, 0x88),
        RGBColor(0xd9, 0x77, 0x06),
        RGBColor(0x7c, 0x3a, 0xed),
        RGBColor(0xe1, 0x1d, 0x48),
        RGBColor(0x08, 0x91, 0xb2),
        RGBColor(0x65, 0xa3, 0x0d),
        RGBColor(0x6b, 0x72, 0x80),
    ],
};

/// On the dark theme's surface colour (`--surface: #161b26`).
pub const DARK: Palette = Palette {
    background: RGBColor(0x16, 0x1b, 0x26),
    text: RGBColor(0xa9, 0xb1, 0xc0),
    grid: RGBColor(0x26, 0x2d, 0x3b),
    axis: RGBColor(0x3d, 0x46, 0x57),
    series: [
        RGBColor(0x84, 0x9c, 0xff),
        RGBColor(0x2d, 0xd4, 0xbf),
        RGBColor(0xfb, 0xbf, 0x24),
        RGBColor(0xc4, 0xa1, 0xff),
        RGBColor(0xfb, 0x71, 0x85),
        RGBColor(0x22, 0xd3, 0xee),
        RGBColor(0xa3, 0xe6, 0x35),
        RGBColor(0xa1, 0xa8, 0xb5),
    ],
};

impl Palette {
    pub fn of(theme: Theme) -> &'static Palette {
        match theme {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }

    pub fn series_color(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance and contrast ratio.
    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let s = v as f64 / 255.0;
            if s <= 0.03928 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn lines_and_text_stand_out_from_their_background() {
        for p in [&LIGHT, &DARK] {
            for (i, c) in p.series.iter().enumerate() {
                let r = contrast(*c, p.background);
                assert!(r >= 3.0, "series {i} {c:?}: contrast {r:.2} < 3");
            }
            let r = contrast(p.text, p.background);
            assert!(r >= 4.5, "text contrast {r:.2} < 4.5");
        }
        assert_eq!(Palette::of(Theme::Dark), &DARK);
        assert_eq!(LIGHT.series_color(9), LIGHT.series[1], "colours repeat");
    }
}
