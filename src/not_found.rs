//! The page for any route that is not a built block: say so and offer the way home.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NotFoundProps {
    /// The path that was asked for, shown as text.
    #[prop_or_default]
    pub path: AttrValue,
}

#[component]
pub fn NotFound(props: &NotFoundProps) -> Html {
    html! {
        <div class="not-found panel" data-testid="not-found">
            <h1>{ "Nothing here yet" }</h1>
            if !props.path.is_empty() {
                <p>{ "There is no playground at " }<code>{ props.path.clone() }</code>{ "." }</p>
            }
            <p>{ "The block may not be built yet, or the link may be mistyped." }</p>
            <a class="button primary" href="#/">{ "Back to all building blocks" }</a>
        </div>
    }
}
