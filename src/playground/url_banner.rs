//! The message shown when the URL asked for something that cannot be: which key, what value,
//! what is allowed, and that the default is used instead.

use hopscope_sim::ParamError;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct UrlBannerProps {
    pub errors: Rc<Vec<ParamError>>,
}

#[component]
pub fn UrlBanner(props: &UrlBannerProps) -> Html {
    let dismissed = use_state(|| false);
    if props.errors.is_empty() || *dismissed {
        return Html::default();
    }
    let dismiss = {
        let dismissed = dismissed.clone();
        Callback::from(move |_: MouseEvent| dismissed.set(true))
    };
    html! {
        <div class="banner banner-warning" data-testid="url-error" role="alert">
            <div class="banner-body">
                <strong>{ "Some values in this link could not be used; the defaults are shown instead." }</strong>
                <ul>
                    { for props.errors.iter().map(|e| {
                        let value: String = if e.value.chars().count() > 60 { format!("{}…", e.value.chars().take(60).collect::<String>()) } else { e.value.clone() };
                        html! { <li><code>{ format!("{}={value}", e.key) }</code>{ format!(": expected {}.", e.allowed) }</li> }
                    }) }
                </ul>
            </div>
            <button type="button" class="icon-button subtle" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
