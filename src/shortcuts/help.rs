//! The keyboard shortcuts dialog: a native modal `<dialog>` (focus moves into it and stays
//! there, Esc closes it), which gives focus back to whatever had it before it opened.

use super::KEYS;
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShortcutsHelpProps {
    pub open: bool,
    pub on_close: Callback<()>,
}

#[component]
pub fn ShortcutsHelp(props: &ShortcutsHelpProps) -> Html {
    let dialog_ref = use_node_ref();
    // Whatever had focus when the dialog opened, to give it back on close.
    let opener = use_mut_ref(|| None::<HtmlElement>);
    {
        let (dialog_ref, opener) = (dialog_ref.clone(), opener.clone());
        use_effect_with(props.open, move |open| {
            if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                if *open && !dialog.open() {
                    *opener.borrow_mut() = web_sys::window()
                        .and_then(|w| w.document())
                        .and_then(|d| d.active_element())
                        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
                    let _ = dialog.show_modal();
                } else if !*open && dialog.open() {
                    dialog.close();
                }
            }
        });
    }
    // Esc (or the close button) closes the dialog: tell the owner and restore focus.
    {
        let (dialog_ref, opener, on_close) =
            (dialog_ref.clone(), opener.clone(), props.on_close.clone());
        use_effect_with((), move |_| {
            let listener = dialog_ref.cast::<HtmlDialogElement>().map(|dialog| {
                EventListener::new(&dialog, "close", move |_| {
                    on_close.emit(());
                    if let Some(el) = opener.borrow_mut().take() {
                        let _ = el.focus();
                    }
                })
            });
            move || drop(listener)
        });
    }
    let close = {
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dialog) = dialog_ref.cast::<HtmlDialogElement>() {
                dialog.close();
            }
        })
    };
    html! {
        <dialog ref={dialog_ref} class="shortcuts-dialog" data-testid="shortcuts-dialog" aria-labelledby="shortcuts-title">
            <div class="dialog-head">
                <h2 id="shortcuts-title">{ "Keyboard shortcuts" }</h2>
                <button type="button" class="icon-button subtle" data-testid="shortcuts-close" aria-label="Close" onclick={close}>
                    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z" /></svg>
                </button>
            </div>
            <dl class="shortcut-list">
                { for KEYS.iter().map(|(keys, what)| html! {
                    <div class="shortcut-row">
                        <dt>{ for keys.split(" / ").enumerate().map(|(i, k)| html! {
                            <>{ if i > 0 { " / " } else { "" } }<kbd>{ k }</kbd></>
                        }) }</dt>
                        <dd>{ *what }</dd>
                    </div>
                }) }
            </dl>
            <p class="dialog-note muted">{ "Shortcuts wait while you type in a field. Tab moves through every control." }</p>
        </dialog>
    }
}
