// Drives the first embed of tutorial.html through Hopscope's postMessage API
// (docs/embedding.md): each button posts the command in its data-command attribute, and every
// event the embed sends back is shown in the log. Loaded as a module: no inline script, so the
// page works under a Content-Security-Policy without 'unsafe-inline'.

const frame = document.getElementById('lb-frame');
const log = document.querySelector('[data-testid=event-log]');
const status = document.querySelector('[data-testid=tutorial-status]');
const buttons = [...document.querySelectorAll('[data-command]')];

// The embed's origin (ours, since the embed is a relative link); '*' where an origin is opaque
// (a page opened from file://).
const embedOrigin = new URL(frame.src, location.href).origin;
const target = embedOrigin === 'null' ? '*' : embedOrigin;

function send(command) {
  frame.contentWindow.postMessage({ type: 'hopscope', ...command }, target);
}

for (const button of buttons) {
  button.disabled = true;
  button.addEventListener('click', () => send(JSON.parse(button.dataset.command)));
}

// The embed announces itself with a `ready` event once its first run is on screen. Should that
// have happened before this script listened, ask: a `status` request is answered at once.
frame.addEventListener('load', () => send({ action: 'status' }));

function describe(e) {
  if (e.event === 'error') return `${e.field}: ${e.message}`;
  const step = e.step === null ? `before step 1 of ${e.steps}` : `step ${e.step + 1} of ${e.steps}`;
  const extra = e.params?.algorithm ? ` · algorithm ${e.params.algorithm}` : '';
  return `${step} · t = ${(e.t_us / 1000).toFixed(1)} ms${e.playing ? ' · playing' : ''}${extra}`;
}

window.addEventListener('message', (event) => {
  // Only our embed's messages, and only Hopscope's.
  if (event.source !== frame.contentWindow || event.data?.type !== 'hopscope') return;
  const e = event.data;
  if (e.event === 'ready' || e.event === 'status') buttons.forEach((b) => (b.disabled = false));
  if (e.event !== 'error') status.textContent = `The embed is at ${describe(e)}.`;

  const item = document.createElement('li');
  item.className = e.event === 'error' ? 'is-error' : '';
  item.dataset.event = e.event;
  const name = document.createElement('span');
  name.className = 'event-name';
  name.textContent = e.event;
  const text = document.createElement('span');
  text.textContent = ` ${describe(e)}`;
  const raw = document.createElement('code');
  raw.textContent = ` ${JSON.stringify(e)}`;
  raw.hidden = e.event !== 'error';
  item.append(name, text, raw);
  log.prepend(item);
  while (log.children.length > 60) log.lastElementChild.remove();
});
