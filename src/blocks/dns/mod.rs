//! The DNS block's own panels (issue 3): what `dig` would print for the lookup at the cursor,
//! with the resolver's queries as a waterfall, and the zone files of the internet it resolves
//! against, editable, checked as they are typed and carried in the permalink.

mod lookup;
mod lookup_card;
mod zone_check;
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
