//! The bit anatomy of one decoded ID: its bits, most significant first, grouped into its fields
//! (each field coloured *and* named under a bracket, so colour is never the only carrier), a
//! readout saying which field the hovered or focused bit belongs to, and every field decoded
//! (the engine's `Field`: bit range, raw value, meaning in words).

use hopscope_sim::ids::{Decoded, Field};
use std::rc::Rc;
use web_sys::Element;
use yew::prelude::*;

/// Field colours cycle through this many classes (`idf-0` …); neighbours always differ.
const COLOURS: usize = 5;

#[derive(Properties, PartialEq)]
pub struct AnatomyProps {
    pub decoded: Rc<Decoded>,
}

/// "bit 0" or "bits 1–41", counted from the most significant bit as RFC 9562 draws them.
pub fn bit_range(f: &Field) -> String {
    if f.width == 1 {
        format!("bit {}", f.offset)
    } else {
        format!("bits {}–{}", f.offset, f.offset + f.width - 1)
    }
}

/// A field's raw value as a person reads it: random bits in hex (their decimal says nothing),
/// everything else (times, ids, counters) in decimal.
pub fn raw_text(f: &Field) -> String {
    if f.meaning.starts_with("random") {
        let digits = f.width.div_ceil(4) as usize;
        format!("0x{:0digits$x}", f.raw)
    } else {
        f.raw.to_string()
    }
}

/// What the readout says about bit `bit` of `d`.
pub fn readout(d: &Decoded, bit: u32) -> Option<String> {
    let f = d.field_at(bit)?;
    let value = (d.value >> (d.width - 1 - bit)) & 1;
    Some(format!(
        "Bit {bit} (a {value}) belongs to the {}, {}: {}",
        f.label,
        bit_range(f),
        f.meaning
    ))
}

/// The bit a pointer or focus event is about: a bit cell's own, or a field's first bit.
fn bit_of(e: &Event) -> Option<u32> {
    let el = e.target_dyn_into::<Element>()?;
    let el = el.closest("[data-bit], [data-offset]").ok()??;
    el.get_attribute("data-bit")
        .or_else(|| el.get_attribute("data-offset"))?
        .parse()
        .ok()
}

#[component]
pub fn Anatomy(props: &AnatomyProps) -> Html {
    let d = &props.decoded;
    let state = use_state_eq(|| None::<u32>);
    let hover = {
        let active = state.clone();
        Callback::from(move |e: MouseEvent| active.set(bit_of(&e)))
    };
    let focus = {
        let active = state.clone();
        Callback::from(move |e: FocusEvent| active.set(bit_of(&e)))
    };
    let leave = {
        let active = state.clone();
        Callback::from(move |_: MouseEvent| active.set(None))
    };
    let blur = {
        let active = state.clone();
        Callback::from(move |_: FocusEvent| active.set(None))
    };
    let active = *state;
    let bits = d.bits();
    let bits = bits.as_bytes();
    let active_field = active.and_then(|b| d.field_at(b)).map(|f| f.offset);
    let readout_text = active.and_then(|b| readout(d, b)).unwrap_or_else(|| {
        "Point at a bit, or tab to a field, to see which field it belongs to.".into()
    });

    let field = |(i, f): (usize, &Field)| {
        let on = active_field == Some(f.offset);
        // Bits in nibbles (4-bit groups counted from the most significant bit, so a UUID's
        // nibbles are its hex digits); a long field wraps between nibbles, never inside one.
        let end = f.offset + f.width;
        let starts = std::iter::once(f.offset)
            .chain((f.offset / 4 + 1..).map(|n| n * 4).take_while(|&b| b < end));
        let nibbles = starts.map(|start| {
            let stop = ((start / 4 + 1) * 4).min(end);
            html! {
                <span class="nib">{ for (start..stop).map(|b| html! {
                    <span class={classes!("bit", (active == Some(b)).then_some("is-active"))}
                        data-bit={b.to_string()}>{ char::from(bits[b as usize]) }</span>
                }) }</span>
            }
        });
        html! {
            <div class={classes!("bit-field", format!("idf-{}", i % COLOURS), on.then_some("is-active"))}
                data-testid="bit-field" data-field={f.key.to_string()} data-offset={f.offset.to_string()} data-width={f.width.to_string()}
                tabindex="0" role="listitem" aria-label={format!("{}, {}: {}", f.label, bit_range(f), f.meaning)}>
                <span class="bit-cells" aria-hidden="true"><span class="bit-run">{ for nibbles }</span></span>
                <span class="bit-name" aria-hidden="true">{ f.key.to_string() }</span>
            </div>
        }
    };
    let row = |(i, f): (usize, &Field)| {
        html! {
            <div class={classes!("field-row", format!("idf-{}", i % COLOURS), (active_field == Some(f.offset)).then_some("is-active"))}
                data-testid="field-row" data-field={f.key.to_string()}>
                <span class="field-swatch" aria-hidden="true"></span>
                <div class="field-text">
                    <div class="field-title">
                        <strong>{ f.label.to_string() }</strong>
                        <span class="muted">{ format!(" · {} · raw ", bit_range(f)) }</span>
                        <code class="field-raw">{ raw_text(f) }</code>
                    </div>
                    <div class="field-meaning" data-testid="field-meaning">{ f.meaning.clone() }</div>
                </div>
            </div>
        }
    };

    html! {
        <div class="anatomy" data-testid="anatomy" data-format={d.format.key()} data-width={d.width.to_string()}>
            <div class="anatomy-head">
                <code class="anatomy-id" data-testid="anatomy-id">{ d.canonical.clone() }</code>
                <span class="anatomy-title">{ d.title.clone() }</span>
                if let Some(utc) = &d.utc {
                    <span class="anatomy-time">{ "made at " }<time datetime={utc.clone()} data-testid="anatomy-utc">{ utc.clone() }</time></span>
                }
            </div>
            <div class="bit-strip" role="list" aria-label={format!("The {} bits, most significant first, by field", d.width)}
                onmouseover={hover} onfocusin={focus} onmouseleave={leave} onfocusout={blur}>
                { for d.fields.iter().enumerate().map(field) }
            </div>
            <p class="bit-readout" data-testid="bit-readout" aria-live="polite">{ readout_text }</p>
            <div class="field-list">{ for d.fields.iter().enumerate().map(row) }</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopscope_sim::ids::decode;
    use yew::LocalServerRenderer;

    fn render(text: &str) -> String {
        let decoded = Rc::new(decode(text).expect("a valid ID"));
        futures::executor::block_on(
            LocalServerRenderer::<Anatomy>::with_props(AnatomyProps { decoded }).render(),
        )
    }

    #[test]
    fn ranges_raw_values_and_readouts() {
        let d = decode("1050118621198921728").unwrap();
        let got: Vec<String> = d
            .fields
            .iter()
            .map(|f| format!("{} {} = {}", f.key, bit_range(f), raw_text(f)))
            .collect();
        expect_test::expect![[r#"
            [
                "unused bit 0 = 0",
                "timestamp bits 1–41 = 250367789554",
                "datacenter bits 42–46 = 10",
                "worker bits 47–51 = 27",
                "sequence bits 52–63 = 0",
            ]
        "#]]
        .assert_debug_eq(&got);
        expect_test::expect![
            "Bit 50 (a 1) belongs to the 5-bit worker, bits 47–51: worker 27 in datacenter 10"
        ]
        .assert_eq(&readout(&d, 50).unwrap());
        assert_eq!(readout(&d, 64), None);

        let v7 = decode("017f22e2-79b0-7cc3-98c4-dc0c0c07398f").unwrap();
        let rand_b = v7.fields.iter().find(|f| f.key == "rand_b").unwrap();
        assert_eq!(raw_text(rand_b), "0x18c4dc0c0c07398f");
    }

    #[test]
    fn every_bit_is_drawn_once_inside_its_named_field() {
        let html = render("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
        assert_eq!(html.matches("data-bit=").count(), 128);
        for (key, offset, width) in [
            ("unix_ts_ms", 0, 48),
            ("ver", 48, 4),
            ("rand_a", 52, 12),
            ("var", 64, 2),
            ("rand_b", 66, 62),
        ] {
            let attrs =
                format!(r#"data-field="{key}" data-offset="{offset}" data-width="{width}""#);
            assert!(html.contains(&attrs), "{attrs}");
            assert!(
                html.contains(&format!(r#"bit-name">{key}</span>"#)),
                "{key}"
            );
        }
        assert!(html.contains("2022-02-22T19:22:22.000Z"));
    }
}
