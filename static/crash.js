// What a crash of the page's WebAssembly shows: an error panel with what is known and a reset
// button, built with plain DOM calls — after a crash the app cannot render anything any more.
//
// The release bundle is built with `panic = "immediate-abort"` (scripts/env.sh): a panic there
// is a trap (`RuntimeError: unreachable`) that reaches the browser as an uncaught error, with no
// message. Builds that keep panic messages (`trunk serve`'s debug build, a plain stable
// `trunk build --release`) also pass the panic's message here first, from the panic hook
// (src/panic_panel.rs).

let shown = false;

/// Shows the panel once; later crashes (a broken instance trapping again) add nothing.
export function showCrash(message) {
    if (shown) return;
    shown = true;
    const make = (tag, className, text) => {
        const el = document.createElement(tag);
        el.className = className;
        if (text !== undefined) el.textContent = text;
        return el;
    };
    const backdrop = make('div', 'panic-backdrop');
    const panel = make('div', 'panic-panel');
    panel.dataset.testid = 'panic-panel';
    panel.setAttribute('role', 'alertdialog');
    panel.setAttribute('aria-labelledby', 'panic-title');
    const title = make('h2', 'panic-title', 'Something went wrong');
    title.id = 'panic-title';
    const text = make(
        'p',
        'panic-text',
        'The playground hit a bug and stopped. Resetting the scenario reloads it with its default parameters.',
    );
    // The message is text, never markup.
    const pre = make('pre', 'panic-message', message);
    const button = make('button', 'button primary', 'Reset scenario');
    button.type = 'button';
    button.dataset.testid = 'panic-reset';
    // The block on screen (its playground names it), with its defaults; else home.
    const block = document.querySelector('[data-scenario]')?.dataset.scenario;
    const target = block ? `#/${block}` : '#/';
    button.addEventListener('click', () => {
        location.hash = target;
        location.reload();
    });
    panel.append(title, text, pre, button);
    backdrop.append(panel);
    document.body.append(backdrop);
}

// The panic hook's way in (src/panic_panel.rs).
globalThis.hopscopeCrashed = showCrash;

/// A trap of the page's WebAssembly, wherever it surfaced: an event handler, an animation frame,
/// a promise job. Other errors (a browser extension's, say) are not the page's crash.
export function crashOn(error) {
    if (error instanceof WebAssembly.RuntimeError) {
        showCrash(`${error} (the page's WebAssembly stopped; the browser console has its stack)`);
    }
}

addEventListener('error', (e) => crashOn(e.error));
addEventListener('unhandledrejection', (e) => crashOn(e.reason));
