// Frame times of the playground's animation (issue 8, item 4): opens the load-balancer playground
// with ≈100 and ≈1,000 messages in flight at the cursor (parameters in SCENES, checked against the
// topology's own "N messages in flight" label; "drawn" is what the packet canvas says it drew,
// its `data-drawn`), presses play, and for a few seconds records
//   - requestAnimationFrame timestamps in the page → frame intervals (p50/p95),
//   - a PerformanceObserver for `longtask` entries (main-thread tasks over 50 ms), counted from
//     the click on play to the end of the window (the ones before and after are the trace
//     starting and ending: reported apart),
//   - a Chromium trace (CDP Tracing, category devtools.timeline) → script time per frame: the
//     summed durations of the renderer main thread's top-level script events (FireAnimationFrame,
//     FunctionCall, RunMicrotasks, EvaluateScript, TimerFire, EventDispatch, v8 GC inside them)
//     between consecutive BeginMainThreadFrame events. That is the JavaScript + WebAssembly time
//     each frame costs (Yew's diff and DOM calls included), not style/layout/paint, which the
//     trace reports separately (also printed, as "render" time: UpdateLayoutTree, Layout, Paint,
//     PrePaint, Layerize).
//
//   node bench/browser/frames.mjs [--base URL] [--dist DIR] [--seconds N] [--quick] [--profile]
//
// --base: an already served bundle; otherwise --dist (default dist/) is served on 127.0.0.1.
// --profile: also records a CPU profile (CDP Profiler) during the 1,000-packet scene and prints
// the functions with the most self time. Nothing is asserted about time.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, args, launch, machine, median, percentile, printTable, serve, topSelf } from './lib.mjs';

const opts = args();
const quick = Boolean(opts.quick);
const seconds = Number(opts.seconds ?? (quick ? 2 : 10));

/** Load-balancer scenarios whose cursor sits in a steady stream of messages: four hops per
 * request, each `link_ms` long, so in flight ≈ rate × 4 × link_ms; backends fast and roomy
 * enough that nothing queues. `t` is the cursor (µs). */
const COMMON = 'backends=10&weights=1&capacity=200&queue=1000&service_ms=10&health=off&speed=1';
export const SCENES = [
  { name: '100 in flight', want: 100, query: `rate=250&link_ms=100&requests=6000&t=4000000&${COMMON}` },
  { name: '1,000 in flight', want: 1000, query: `rate=1000&link_ms=250&requests=24000&t=4000000&${COMMON}` },
];

const SCRIPT = new Set(['FireAnimationFrame', 'FunctionCall', 'RunMicrotasks', 'EvaluateScript', 'TimerFire', 'EventDispatch', 'v8.callFunction', 'V8.GCScavenger', 'MajorGC', 'MinorGC']);
const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'CompositeLayers']);

/** Per-frame script and render time (ms) from trace events of one thread. */
function perFrame(events) {
  const boundaries = events.filter((e) => e.name === 'BeginMainThreadFrame').map((e) => e.ts).sort((a, b) => a - b);
  const work = events
    .filter((e) => e.ph === 'X' && (SCRIPT.has(e.name) || RENDER.has(e.name)))
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  // Only top-level events of each kind count (a FunctionCall inside a FireAnimationFrame is the
  // same time twice).
  const top = [];
  let endScript = -1;
  let endRender = -1;
  for (const e of work) {
    const script = SCRIPT.has(e.name);
    if (script ? e.ts < endScript : e.ts < endRender) continue;
    top.push({ script, ts: e.ts, dur: e.dur ?? 0 });
    if (script) endScript = e.ts + (e.dur ?? 0);
    else endRender = e.ts + (e.dur ?? 0);
  }
  const frames = [];
  let j = 0;
  for (let i = 0; i + 1 < boundaries.length; i += 1) {
    const [from, to] = [boundaries[i], boundaries[i + 1]];
    let script = 0;
    let render = 0;
    while (j < top.length && top[j].ts < from) j += 1;
    for (let k = j; k < top.length && top[k].ts < to; k += 1) {
      if (top[k].script) script += top[k].dur;
      else render += top[k].dur;
    }
    frames.push({ script: script / 1000, render: render / 1000 });
  }
  return frames;
}

function mainThread(trace) {
  const names = new Map();
  for (const e of trace) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name);
  const counts = new Map();
  for (const e of trace) {
    if (e.name !== 'BeginMainThreadFrame') continue;
    const key = `${e.pid}:${e.tid}`;
    if (names.get(key) === 'CrRendererMain') counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return trace.filter((e) => `${e.pid}:${e.tid}` === best);
}

async function measure(page, scene, base) {
  await page.goto(`${base}/#/lb?${scene.query}`);
  await page.waitForSelector('svg[data-testid=topology]');
  const inFlight = async () =>
    page.evaluate(() => {
      const label = document.querySelector('svg[data-testid=topology]').getAttribute('aria-label');
      const m = /(\d+) messages in flight/.exec(label ?? '');
      return {
        messages: m ? Number(m[1]) : NaN,
        // The packet canvas says how many it drew (bundles before it drew SVG packets).
        drawn: document.querySelector('canvas[data-testid=packets]')
          ? Number(document.querySelector('canvas[data-testid=packets]').dataset.drawn ?? NaN)
          : document.querySelectorAll('svg[data-testid=topology] [data-testid=packet]').length,
      };
    });
  const before = await inFlight();
  const cdp = await page.context().newCDPSession(page);
  const trace = [];
  cdp.on('Tracing.dataCollected', ({ value }) => trace.push(...value));
  await page.evaluate(() => {
    window.__frames = { stamps: [], longtasks: [] };
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__frames.longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
    const tick = (ts) => {
      window.__frames.stamps.push(ts);
      if (!window.__frames.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.frame,v8',
    transferMode: 'ReportEvents',
  });
  if (opts.profile && scene.want === 1000) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  // Long tasks before the click are the harness's own (starting the trace blocks the page).
  const clickedAt = await page.evaluate(() => performance.now());
  await page.click('[data-testid=play]');
  const samples = [];
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    await page.waitForTimeout(500);
    samples.push(await inFlight());
  }
  let profile;
  if (opts.profile && scene.want === 1000) profile = (await cdp.send('Profiler.stop')).profile;
  // Long tasks after this are the harness's own too (ending the trace blocks the page).
  const stoppedAt = await page.evaluate(() => performance.now());
  const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await done;
  const inPage = await page.evaluate(() => {
    window.__frames.stop = true;
    return window.__frames;
  });
  const whilePlaying = (t) => t.start >= clickedAt && t.start < stoppedAt;
  const playing = inPage.longtasks.filter(whilePlaying).map((t) => t.duration);
  await cdp.detach();
  const intervals = inPage.stamps.slice(1).map((t, i) => t - inPage.stamps[i]);
  const frames = perFrame(mainThread(trace));
  const script = frames.map((f) => f.script);
  const render = frames.map((f) => f.render);
  return {
    scene: scene.name,
    messages_at_cursor: before.messages,
    drawn_at_cursor: before.drawn,
    messages_while_playing: median(samples.map((s) => s.messages)),
    drawn_while_playing: median(samples.map((s) => s.drawn)),
    frames: intervals.length,
    interval_p50: percentile(intervals, 50),
    interval_p95: percentile(intervals, 95),
    traced_frames: frames.length,
    script_p50: percentile(script, 50),
    script_p95: percentile(script, 95),
    render_p50: percentile(render, 50),
    render_p95: percentile(render, 95),
    longtasks: playing.length,
    longest_task: Math.max(0, ...playing),
    harness_longtasks: inPage.longtasks.length - playing.length,
    // When each started, ms after the click (the JSON has them).
    longtasks_at: inPage.longtasks.filter(whilePlaying).map((t) => ({ at: t.start - clickedAt, duration: t.duration })),
    profile,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = opts.base ? null : await serve(opts.dist ?? join(ROOT, 'dist'));
  const base = (opts.base ?? server.url).replace(/\/+$/, '');
  const browser = await launch();
  const results = [];
  try {
    for (const scene of SCENES) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      results.push(await measure(page, scene, base));
      if (errors.length) throw new Error(`${scene.name}: the page reported ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  const f = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
  console.log(`\nplayground animation, ${seconds} s per scene at speed 1, 1280×800, headless Chromium; ${await machine()}\n`);
  printTable(
    ['scene', 'in flight (drawn)', 'frames', 'interval p50 / p95 ms', 'script/frame p50 / p95 ms', 'render/frame p50 / p95 ms', 'long tasks while playing (max ms)', 'long tasks of the harness (trace start, end)'],
    results.map((r) => [
      r.scene,
      `${r.messages_while_playing} (${r.drawn_while_playing})`,
      `${r.frames}`,
      `${f(r.interval_p50)} / ${f(r.interval_p95)}`,
      `${f(r.script_p50)} / ${f(r.script_p95)}`,
      `${f(r.render_p50)} / ${f(r.render_p95)}`,
      `${r.longtasks} (${f(r.longest_task)})`,
      `${r.harness_longtasks}`,
    ]),
  );
  for (const r of results) {
    if (Math.abs(r.messages_while_playing - r.want) > r.want * 0.5) {
      console.log(`note: ${r.scene} had ${r.messages_while_playing} messages in flight while playing`);
    }
    if (r.profile) {
      console.log(`\nCPU profile during "${r.scene}", self time:`);
      printTable(['function', 'self ms', 'share'], topSelf(r.profile, 15, { withIdle: true }));
    }
  }
  if (opts.json) writeFileSync(opts.json, JSON.stringify(results.map(({ profile, ...r }) => r), null, 2));
}
