// The page's main-thread long tasks when it mounts around a run (issue 4's "no main-thread task
// over 50 ms", issue 8's budgets): opens the load-balancer playground at 3, 20 and 100 backends
// (the last is the issue's 1,000,000-request × 100-backend run), with a `longtask`
// PerformanceObserver and a MutationObserver installed before any page script, and reports
//   - every long task from the moment the run's page starts to appear (the narration is put in
//     the DOM) minus 1 s to 2 s after it: the mount and what follows it (effects, the second
//     render once the topology measured its width),
//   - "mount task": the long task during which the narration was put in the DOM (none when that
//     task took under 50 ms),
//   - the long tasks while the run computed in the worker (before that window), for context.
// Two more scenes open a 100-backend run as an embed with and without the topology panel: the
// difference is what drawing the topology costs the mount.
// "Re-run from the form": a loaded 100-backend page whose Requests field is changed to
// 1,000,000 (100,000 with --quick), as a person does: every long task from the change until 2 s
// after the run's last message ("hopscope:finished"): the run computing in the worker, its
// pieces arriving, the page showing it.
//
//   node bench/browser/mount.mjs [--base URL] [--dist DIR] [--runs N] [--quick] [--profile] [--scene TEXT] [--json FILE]
//
// --base: an already served bundle; otherwise --dist (default dist/) is served on 127.0.0.1.
// --runs: loads per scene (default 3; --quick: 1, and the 100-backend scene with 100,000
// requests). --profile: a CPU profile (CDP Profiler, 200 µs sampling) of the 100-backend mount
// window, its functions by self time. --scene: only the scenes whose name contains TEXT (with
// --profile, each of them is profiled). Nothing is asserted about time.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, args, launch, machine, median, printTable, serve, topSelf } from './lib.mjs';

const opts = args();
const quick = Boolean(opts.quick);
const runs = quick ? 1 : Number(opts.runs ?? 3);

const BIG = 'backends=100&weights=1&rate=20000&capacity=8&service_ms=20&queue=64&clients=10000';
export const SCENES = [
  { name: '3 backends (defaults)', query: '' },
  { name: '20 backends, 20,000 requests', query: 'backends=20&weights=1&requests=20000&rate=2000' },
  {
    name: quick ? '100 backends, 100,000 requests' : '100 backends, 1,000,000 requests',
    query: `requests=${quick ? 100000 : 1000000}&${BIG}`,
    profile: true,
  },
  // What the topology itself costs: the same 100-backend run as an embed, with and without it.
  { name: 'embed, 100 backends: controls, narration', query: `requests=100000&${BIG}&embed=1&panels=controls,narration`, embed: true },
  { name: 'embed, 100 backends: topology, controls, narration', query: `requests=100000&${BIG}&embed=1&panels=topology,controls,narration`, embed: true },
];

/** Installed before any page script: long tasks and the moment the narration appears. */
function observe() {
  window.__mount = { long: [], narrationAt: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__mount.long.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid=narration]')) {
      window.__mount.narrationAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { subtree: true, childList: true });
}

async function once(browser, base, scene, profile) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(observe);
  let cdp;
  if (profile) {
    cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  }
  // A small run is done before its "computing" bar could be seen: profile from the load.
  if (profile && !scene.profile) await cdp.send('Profiler.start');
  await page.goto(`${base}/#/lb${scene.query ? `?${scene.query}` : ''}`);
  if (profile && scene.profile) {
    // Start sampling only once the run is computing, so the profile is the mount, not the load.
    await page.waitForSelector('[data-testid=computing]', { timeout: 60_000 }).catch(() => {});
    await cdp.send('Profiler.start');
  }
  await page.waitForFunction(() => window.__mount.narrationAt !== null, null, { timeout: 180_000 });
  await page.waitForTimeout(2000);
  const m = await page.evaluate(() => window.__mount);
  // When the page first painted: a long task before it is the page's own load, not the run.
  const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  const backends = await page.locator('svg[data-testid=topology] [data-testid=node][data-node^="backend-"]').count();
  if (!scene.embed && backends === 0) throw new Error(`${scene.name}: no backend drawn`);
  let prof;
  if (profile) {
    prof = (await cdp.send('Profiler.stop')).profile;
    await cdp.detach();
  }
  await page.close();
  if (errors.length) throw new Error(`${scene.name}: the page reported ${errors.join('; ')}`);
  const from = m.narrationAt - 1000;
  const around = m.long.filter((t) => t.start + t.duration >= from && t.start <= m.narrationAt + 2000);
  const mountTask = m.long.find((t) => t.start <= m.narrationAt && m.narrationAt <= t.start + t.duration + 1);
  const before = m.long.filter((t) => t.start + t.duration < from);
  return {
    backends,
    around: around.map((t) => t.duration),
    mount: mountTask?.duration ?? 0,
    before: before.map((t) => t.duration),
    beforeAt: before.map((t) => t.start),
    fcp,
    prof,
    window: [from, m.narrationAt + 2000],
  };
}

/** Loads a small 100-backend run, then asks for a big one through the form's Requests field. */
async function rerun(browser, base) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.addInitScript(observe);
  await page.goto(`${base}/#/lb?requests=2000&${BIG}`);
  await page.locator('[data-testid=narration]').waitFor({ timeout: 60_000 });
  await page.getByText('Traffic', { exact: true }).click();
  const input = page.locator('[data-testid=param-requests]');
  await input.waitFor({ state: 'visible' });
  await page.waitForTimeout(1000);
  const t0 = await page.evaluate(() => performance.now());
  await input.fill(quick ? '100000' : '1000000');
  await input.dispatchEvent('change');
  await page.waitForFunction(
    (t0) => (performance.getEntriesByName('hopscope:finished')[0]?.startTime ?? 0) > t0,
    t0,
    { timeout: 180_000 },
  );
  const end = await page.evaluate(() => performance.getEntriesByName('hopscope:finished')[0].startTime + 2000);
  await page.waitForTimeout(2000);
  const m = await page.evaluate(() => window.__mount);
  const marks = await page.evaluate(() => ['head', 'ready', 'finished'].map((n) => performance.getEntriesByName(`hopscope:${n}`)[0]?.startTime ?? 0));
  await page.close();
  if (errors.length) throw new Error(`re-run: the page reported ${errors.join('; ')}`);
  const long = m.long.filter((t) => t.start + t.duration >= t0 && t.start <= end).map((t) => ({ at: t.start - t0, duration: t.duration }));
  return { long, headAfter: marks[0] - t0, readyAfter: marks[1] - t0, finishedAfter: marks[2] - t0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = opts.base ? null : await serve(opts.dist ?? join(ROOT, 'dist'));
  const base = (opts.base ?? server.url).replace(/\/+$/, '');
  const browser = await launch();
  const results = [];
  const reruns = [];
  try {
    for (const scene of SCENES.filter((s) => !opts.scene || s.name.includes(opts.scene))) {
      const all = [];
      for (let i = 0; i < runs; i += 1) {
        all.push(await once(browser, base, scene, opts.profile && (scene.profile || opts.scene) && i === 0));
      }
      results.push({ scene, all });
    }
    if (!opts.scene || 're-run'.includes(opts.scene)) {
      for (let i = 0; i < runs; i += 1) reruns.push(await rerun(browser, base));
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  const ms = (xs) => (xs.length ? xs.map((x) => x.toFixed(0)).join(', ') : 'none');
  console.log(`\npage mount around a load-balancer run, ${runs} load(s) per scene, 1280×800, headless Chromium; ${await machine()}\n`);
  printTable(
    ['scene', 'backends drawn', 'mount task ms (each load)', 'long tasks around the mount ms (each load)', 'longest, median of loads', 'long tasks while computing (at ms after navigation; fcp: first contentful paint)'],
    results.map(({ scene, all }) => [
      scene.name,
      `${all[0].backends}`,
      all.map((r) => (r.mount ? r.mount.toFixed(0) : '< 50')).join(' · '),
      all.map((r) => ms(r.around)).join(' · '),
      `${median(all.map((r) => Math.max(0, ...r.around))).toFixed(0)} ms`,
      all.map((r) => (r.before.length ? r.before.map((d, i) => `${d.toFixed(0)} (at ${r.beforeAt[i].toFixed(0)}, fcp ${r.fcp.toFixed(0)})`).join(', ') : 'none')).join(' · '),
    ]),
  );
  if (reruns.length) {
    console.log(`\nre-run from the form: Requests changed to ${quick ? '100,000' : '1,000,000'} on a loaded 100-backend page\n`);
    printTable(
      ['load', 'head · ready · finished, ms after the change', 'long tasks from the change to 2 s after: ms (starting at ms after the change)'],
      reruns.map((r, i) => [
        `${i + 1}`,
        [r.headAfter, r.readyAfter, r.finishedAfter].map((x) => x.toFixed(0)).join(' · '),
        r.long.length ? r.long.map((t) => `${t.duration.toFixed(0)} (${t.at.toFixed(0)})`).join(', ') : 'none',
      ]),
    );
  }
  for (const { scene, all } of results) {
    const prof = all.find((r) => r.prof)?.prof;
    if (prof) {
      console.log(`\nCPU profile from the run computing to 2 s after "${scene.name}" mounted, self time (idle left out):`);
      printTable(['function', 'self ms', 'share'], topSelf(prof, 20));
    }
  }
  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify({ scenes: results.map(({ scene, all }) => ({ scene: scene.name, loads: all.map(({ prof, ...r }) => r) })), reruns }, null, 2));
  }
}
