//! The caching block's own panels (issue 5): each eviction policy's insides at the cursor, drawn
//! the way its paper draws it, the miss-ratio curve computed in the engine worker with a
//! progress bar, and a trace typed in the page.
//! The generic "Inside the nodes" panel lists the same lists plainly; these give them shape.

mod insides;
mod mrc;
mod mrc_chart;
mod trace;

use super::ExtrasProps;
use insides::Insides;
use mrc::MrcPanel;
use trace::TraceEditor;
use yew::prelude::*;

/// The block's panels (`blocks::PANELS`).
pub fn panel(props: ExtrasProps) -> Html {
    html! {
        <>
            <Insides run={props.run.clone()} frame={props.frame} />
            <MrcPanel run={props.run.clone()} />
            <TraceEditor run={props.run} on_form={props.on_form} />
        </>
    }
}
