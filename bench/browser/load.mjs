// Load figures (issue 8, item 5): the release bundle's size (the .wasm and the whole dist/, raw
// and gzip -9) and the time to first render of the home page and of every block page: from
// navigation start (performance.timeOrigin, so performance.now() is the time since it) to the
// moment the page's main content is in the DOM — the home page's block cards, a block page's
// playground for that block with its narration — noticed by a MutationObserver installed before
// any page script runs. Median of 5 loads, each in a fresh browser context (cold cache).
//
//   node bench/browser/load.mjs [--dist DIR] [--base URL] [--loads N] [--quick]
//
// --base: an already served copy of --dist; otherwise --dist (default dist/) is served here.
// Nothing is asserted about time.

import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, args, launch, machine, median, printTable, serve } from './lib.mjs';

const opts = args();
const loads = opts.quick ? 1 : Number(opts.loads ?? 5);
const dist = opts.dist ?? join(ROOT, 'dist');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export function bundleSizes(dir) {
  const all = files(dir).filter((p) => !p.endsWith('.trunk-lock'));
  const size = (p) => {
    const bytes = readFileSync(p);
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const wasm = all.filter((p) => p.endsWith('.wasm')).map(size);
  const sum = (xs, k) => xs.reduce((a, x) => a + x[k], 0);
  const every = all.map(size);
  if (wasm.length === 0) throw new Error(`no .wasm in ${dir}: build the release bundle first (trunk build --release)`);
  return { wasm_raw: sum(wasm, 'raw'), wasm_gzip: sum(wasm, 'gzip'), total_raw: sum(every, 'raw'), total_gzip: sum(every, 'gzip'), files: all.length };
}

/** Records, before any page script runs, when `selector` first matches. */
function watchFor(selector) {
  const mark = () => {
    if (window.__mainContentAt === undefined && document.querySelector(selector)) {
      window.__mainContentAt = performance.now();
      return true;
    }
    return false;
  };
  const start = () => {
    if (mark()) return;
    const obs = new MutationObserver(() => mark() && obs.disconnect());
    obs.observe(document, { childList: true, subtree: true, attributes: true });
  };
  start();
}

async function timeLoad(browser, base, route, selector) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.addInitScript(watchFor, selector);
    await page.goto(`${base}/${route}`);
    await page.waitForFunction(() => window.__mainContentAt !== undefined, null, { timeout: 30_000 });
    const t = await page.evaluate(() => ({
      main: window.__mainContentAt,
      firstRender: Number(document.body.dataset.firstRender),
      dcl: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
    }));
    if (errors.length) throw new Error(`${route}: the page reported ${errors.join('; ')}`);
    return t;
  } finally {
    await context.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = bundleSizes(dist);
  const server = opts.base ? null : await serve(dist);
  const base = (opts.base ?? server.url).replace(/\/+$/, '');
  const browser = await launch();
  const rows = [];
  try {
    const page = await browser.newPage();
    await page.goto(`${base}/#/`);
    await page.waitForSelector('[data-testid=block-card]');
    const blocks = await page.$$eval('[data-testid=block-card][data-status=ready]', (cards) => cards.map((c) => c.dataset.block));
    await page.close();
    if (blocks.length === 0) throw new Error('the home page lists no ready block');
    const pages = [
      { name: 'home', route: '#/', selector: '[data-testid=block-card]' },
      ...blocks.map((id) => ({
        name: id,
        route: `#/${id}`,
        selector: `[data-testid=playground][data-scenario="${id}"] [data-testid=narration]`,
      })),
    ];
    for (const p of pages) {
      const times = [];
      for (let i = 0; i < loads; i += 1) times.push(await timeLoad(browser, base, p.route, p.selector));
      rows.push({
        page: p.name,
        main_ms: median(times.map((t) => t.main)),
        first_render_ms: median(times.map((t) => t.firstRender)),
        dcl_ms: median(times.map((t) => t.dcl)),
        runs_ms: times.map((t) => t.main),
      });
    }
  } finally {
    await browser.close();
    await server?.close();
  }
  const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
  console.log(`\nbundle ${dist}: ${sizes.files} files`);
  printTable(
    ['what', 'raw', 'gzip -9'],
    [
      ['release .wasm', `${sizes.wasm_raw} B (${kb(sizes.wasm_raw)})`, `${sizes.wasm_gzip} B (${kb(sizes.wasm_gzip)})`],
      ['whole bundle', `${sizes.total_raw} B (${kb(sizes.total_raw)})`, `${sizes.total_gzip} B (${kb(sizes.total_gzip)})`],
    ],
  );
  console.log(`\ntime to first render, median of ${loads} cold load(s), 1280×800, headless Chromium on 127.0.0.1; ${await machine()}\n`);
  const f = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
  printTable(
    ['page', 'main content visible ms', 'root first render ms', 'DOMContentLoaded ms', 'runs ms'],
    rows.map((r) => [r.page, f(r.main_ms), f(r.first_render_ms), f(r.dcl_ms), r.runs_ms.map(f).join(', ')]),
  );
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ sizes, pages: rows }, null, 2));
}
