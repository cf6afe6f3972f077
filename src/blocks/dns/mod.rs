//! The DNS block's own panels (issue 3): what `dig` would print for the lookup at the cursor,
//! with the resolver's queries as a waterfall, and the zone files of the internet it resolves
//! against, editable, checked as they are typed and carried in the permalink.

mod lookup;
mod lookup_card;
pub(crate) mod zone_check;
mod zone_editor;

use super::ExtrasProps;
use lookup_card::LookupCard;
use yew::prelude::*;
use zone_editor::ZoneEditor;

/// The block's panels (`blocks::PANELS`).
pub fn panel(props: ExtrasProps) -> Html {
    html! {
        <>
            <LookupCard run={props.run.clone()} frame={props.frame} t={props.t} />
            <ZoneEditor run={props.run} on_form={props.on_form} />
        </>
    }
}

#[cfg(test)]
mod tests {
    use crate::run_data::{RunData, SharedRun};
    use hopscope_sim::view::frame_at;
    use hopscope_sim::{registry, run_scenario, SimTime};
    use std::rc::Rc;
    use yew::{Callback, LocalServerRenderer};

    fn dns_run(values: &[(&str, &str)]) -> SharedRun {
        let dns = *registry::blocks()
            .iter()
            .find(|b| b.id() == "dns")
            .expect("dns is registered");
        SharedRun(Rc::new(RunData::new(
            run_scenario(dns, values, 1).expect("valid scenario"),
        )))
    }

    fn card(run: &SharedRun, t: SimTime) -> String {
        let frame = Rc::new(frame_at(&run.run, &run.index, t));
        let props = super::lookup_card::LookupCardProps {
            run: run.clone(),
            frame,
            t,
        };
        futures::executor::block_on(
            LocalServerRenderer::<super::LookupCard>::with_props(props).render(),
        )
    }

    #[test]
    fn the_card_follows_the_cursor_through_a_lookup() {
        let run = dns_run(&[]);
        let midway = card(&run, SimTime(70_100));
        assert!(midway.contains(r#"data-status="resolving""#), "{midway}");
        assert!(midway.contains("resolving… 70.1 ms so far"), "{midway}");
        assert_eq!(midway.matches(r#"data-testid="wf-query""#).count(), 3);
        assert_eq!(midway.matches("is-flying").count(), 1, "the query to ns1");
        let end = card(&run, run.run.duration);
        assert!(end.contains(r#"data-status="NOERROR""#), "{end}");
        assert!(end.contains("192.0.2.80") && end.contains("answered from authoritative servers"));
        assert_eq!(end.matches("is-done").count(), 3);
    }

    #[test]
    fn a_propagation_run_has_no_card_and_the_editor_shows_every_zone() {
        let run = dns_run(&[("mode", "propagation"), ("resolvers", "5")]);
        assert!(
            !card(&run, SimTime(0)).contains("<section"),
            "no lookups, no card"
        );
        let props = super::zone_editor::ZoneEditorProps {
            run,
            on_form: Callback::noop(),
        };
        let html = futures::executor::block_on(
            LocalServerRenderer::<super::ZoneEditor>::with_props(props).render(),
        );
        assert_eq!(html.matches(r#"data-testid="zone-tab""#).count(), 16);
        assert!(
            html.contains("All 16 zones parse and are in use."),
            "{html}"
        );
        assert!(html.contains("$ORIGIN ."), "the root zone is shown first");
    }
}
