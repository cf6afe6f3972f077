// Soak (issue 9, item 4): one page, one long session. Autoplays every block at 16× speed, moving
// to the next block when its run has played to the end (or after PER_BLOCK_S), round and round
// for SOAK_SECONDS, while sampling the JS heap (CDP Runtime.getHeapUsage) and the size of every
// WebAssembly linear memory the page instantiated (captured by wrapping WebAssembly.instantiate*
// before the app loads), and the same two for the engine's Web Worker, which has its own JS heap
// and wasm memory (through a CDP session on the worker target: Runtime.getHeapUsage, and
// Runtime.queryObjects of WebAssembly.Memory). Writes the curve to artifacts/soak.csv (or
// SOAK_CSV).
//
// Waits use locators, never page.waitForSelector: that returns an ElementHandle which DevTools
// keeps alive until disposed, and with it the whole detached tree of every unmounted playground
// (≈ 35 KiB of JS heap per block visit; the growth an earlier version of this test reported as
// the app's leak, bench/browser/remount.mjs --keep-handles shows it).
//
// Skipped unless SOAK_SECONDS is set (scripts/test.sh sets a short one; run it for an hour with
// SOAK_SECONDS=3600). The verdict uses the heap measured right after a forced garbage collection
// at the end of each block visit (what is still reachable, not garbage waiting for the
// collector), and the wasm memory, which never shrinks: the session is split in thirds and the
// largest value of the last third may exceed the largest of the middle third by at most
// HEAP_MARGIN (JS) or WASM_MARGIN (wasm), and the heap must come back down to the middle third's
// peak at least once in the last third. A leak grows in every third; a cache that fills once
// does not. Needs three rounds (a whole round in each third) to judge; a shorter soak only proves
// the loop runs without errors, and says so.

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, appUrl, useBrowser, withPage } from './support/browser.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 0);
/** Where the curve goes (default artifacts/soak.csv). */
const CSV = process.env.SOAK_CSV ?? join(ARTIFACTS, 'soak.csv');
const PER_BLOCK_S = Number(process.env.SOAK_PER_BLOCK_S ?? 20);
/** Allowed growth from the middle third's peak to the last third's: 5 % + 256 KiB of JS heap.
 * After a forced collection the heap of a page that keeps nothing varies by tens of KiB; a first
 * 11-minute soak (4 blocks, 38 visits) grew 2.5 → 4.0 MiB, about 37 KiB per visit, steadily (the
 * test's own ElementHandles, see above): a margin of 10 % + 2 MiB let that pass, this one does
 * not. */
const HEAP_MARGIN = (peak) => peak * 0.05 + 256 * 1024;
/** Wasm memory grows in 64 KiB pages and never shrinks: 5 % + 1 MiB. */
const WASM_MARGIN = (peak) => peak * 0.05 + 1024 * 1024;

function captureWasmMemories() {
  window.__wasmMemories = [];
  const keep = (result) => {
    const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
    const memory = instance?.exports?.memory;
    if (memory instanceof WebAssembly.Memory) window.__wasmMemories.push(memory);
    return result;
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = (...args) => instantiate.apply(WebAssembly, args).then(keep);
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) WebAssembly.instantiateStreaming = (...args) => streaming.apply(WebAssembly, args).then(keep);
}

/**
 * Follows the engine worker through the page's CDP session (auto-attach, not flattened: Playwright's
 * CDPSession cannot address a child session, so commands go through Target.sendMessageToTarget).
 * `sample()` resolves to `null` until the page has spawned its worker.
 */
async function followWorker(cdp) {
  let session = null;
  let next = 0;
  const pending = new Map();
  cdp.on('Target.attachedToTarget', (e) => {
    if (e.targetInfo.type === 'worker') session = e.sessionId;
  });
  cdp.on('Target.detachedFromTarget', (e) => {
    if (e.sessionId === session) session = null;
  });
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    const done = pending.get(m.id);
    if (!done) return;
    pending.delete(m.id);
    if (m.error) done.fail(new Error(`worker ${done.method}: ${m.error.message}`));
    else done.ok(m.result);
  });
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const call = (method, params = {}) =>
    new Promise((ok, fail) => {
      next += 1;
      pending.set(next, { ok, fail, method });
      cdp.send('Target.sendMessageToTarget', { sessionId: session, message: JSON.stringify({ id: next, method, params }) }).catch(fail);
    });
  return {
    /** The worker's JS heap in use and its wasm memories' size, after a GC if `gc`. */
    async sample(gc) {
      if (!session) return null;
      if (gc) await call('HeapProfiler.collectGarbage');
      const heap = await call('Runtime.getHeapUsage');
      const proto = await call('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype', objectGroup: 'soak' });
      const found = await call('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId, objectGroup: 'soak' });
      const sum = await call('Runtime.callFunctionOn', {
        objectId: found.objects.objectId,
        functionDeclaration: 'function () { return this.reduce((a, m) => a + m.buffer.byteLength, 0); }',
        returnByValue: true,
      });
      await call('Runtime.releaseObjectGroup', { objectGroup: 'soak' });
      return { heap: heap.usedSize, wasm: sum.result.value };
    },
  };
}

const thirds = (xs) => {
  const n = xs.length;
  return [xs.slice(0, Math.floor(n / 3)), xs.slice(Math.floor(n / 3), Math.floor((2 * n) / 3)), xs.slice(Math.floor((2 * n) / 3))];
};
const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

describe('soak', { skip: SECONDS > 0 ? false : 'set SOAK_SECONDS to run the soak test' }, () => {
  const browser = useBrowser();

  test(`every block autoplays in a loop for ${SECONDS} s without memory growth`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
    await withPage(browser(), {}, async (page) => {
      await page.addInitScript(captureWasmMemories);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('HeapProfiler.enable');
      const worker = await followWorker(cdp);
      await page.goto(appUrl('#/'));
      await page.locator('[data-testid=block-card]').first().waitFor();
      const blocks = await page.$$eval('[data-testid=block-card][data-status=ready]', (cs) => cs.map((c) => c.dataset.block));
      assert.ok(blocks.length > 0, 'the home page lists blocks');
      assert.ok(await page.evaluate(() => window.__wasmMemories.length > 0), 'the app instantiated its wasm memory');

      const start = Date.now();
      const rows = [];
      const visits = [];
      const sample = async (block, kind) => {
        const heap = await cdp.send('Runtime.getHeapUsage');
        const wasm = await page.evaluate(() => window.__wasmMemories.reduce((a, m) => a + m.buffer.byteLength, 0));
        const w = await worker.sample(kind === 'after-gc');
        const row = { t: (Date.now() - start) / 1000, block, kind, heap: heap.usedSize, heapTotal: heap.totalSize, wasm, workerHeap: w?.heap, workerWasm: w?.wasm };
        rows.push(row);
        return row;
      };

      let round = 0;
      while ((Date.now() - start) / 1000 < SECONDS) {
        round += 1;
        for (const block of blocks) {
          if ((Date.now() - start) / 1000 >= SECONDS) break;
          // Same page, new route: a long session, as a person clicking through would have.
          await page.evaluate((id) => {
            location.hash = `#/${id}?speed=16`;
          }, block);
          await page.locator(`[data-testid=playground][data-scenario="${block}"] [data-testid=narration]`).waitFor();
          await page.click('[data-testid=play]');
          const until = Date.now() + Math.min(PER_BLOCK_S, Math.max(1, SECONDS - (Date.now() - start) / 1000)) * 1000;
          let finished = false;
          while (Date.now() < until) {
            await page.waitForTimeout(500);
            await sample(block, 'playing');
            finished = (await page.getAttribute('[data-testid=play]', 'aria-label')) === 'Play';
            if (finished) break;
          }
          await cdp.send('HeapProfiler.collectGarbage');
          const after = await sample(block, 'after-gc');
          visits.push({ ...after, round, finished });
        }
      }
      await cdp.detach();

      mkdirSync(dirname(CSV), { recursive: true });
      writeFileSync(
        CSV,
        [
          'seconds,block,kind,js_heap_used,js_heap_total,wasm_memory,worker_js_heap_used,worker_wasm_memory',
          ...rows.map((r) => [r.t.toFixed(1), r.block, r.kind, r.heap, r.heapTotal, r.wasm, r.workerHeap ?? '', r.workerWasm ?? ''].join(',')),
        ].join('\n') + '\n',
      );
      const heaps = visits.map((v) => v.heap);
      const wasms = visits.map((v) => v.wasm);
      const workerHeaps = visits.map((v) => v.workerHeap);
      const workerWasms = visits.map((v) => v.workerWasm);
      t.diagnostic(
        `${rows.length} samples, ${visits.length} block visits in ${round} round(s); after-GC JS heap ${mib(Math.min(...heaps))}–${mib(Math.max(...heaps))}, ` +
          `wasm memory ${mib(Math.min(...wasms))}–${mib(Math.max(...wasms))}; visits that played to the end: ${visits.filter((v) => v.finished).length}`,
      );
      // Every block visit runs the engine, so the worker exists from the first visit on.
      assert.ok(
        workerHeaps.every((x) => typeof x === 'number') && workerWasms.every((x) => x > 0),
        `the engine worker was sampled after every visit (CDP worker target; heaps: ${workerHeaps.slice(0, 8).join(', ')}…)`,
      );
      t.diagnostic(`worker after-GC JS heap ${mib(Math.min(...workerHeaps))}–${mib(Math.max(...workerHeaps))}, wasm memory ${mib(Math.min(...workerWasms))}–${mib(Math.max(...workerWasms))}`);
      // Each third must hold at least one whole round, so that the thirds compare visits of the
      // same blocks (the first round also pays for every block's first run).
      if (visits.length < 3 * blocks.length) {
        t.diagnostic(`only ${visits.length} visits of ${blocks.length} blocks (fewer than three rounds): too short to judge growth; the loop ran without errors`);
        return;
      }
      judge(t, 'page', heaps, wasms);
      judge(t, 'engine worker', workerHeaps, workerWasms);
    });
  });
});

/** The verdict on one context's after-GC JS heap and wasm memory, one value per visit. */
function judge(t, who, heaps, wasms) {
  const [, midH, lastH] = thirds(heaps);
  const [, midW, lastW] = thirds(wasms);
  const peak = (xs) => Math.max(...xs);
  t.diagnostic(`${who}: peak after-GC heap by third: ${thirds(heaps).map((x) => mib(peak(x))).join(', ')}; wasm: ${thirds(wasms).map((x) => mib(peak(x))).join(', ')}`);
  // A climb: the heap never comes back down to the middle third's peak in the whole last
  // third, though the blocks visited there are the same (a context that frees what it used
  // dips whenever a light block follows a heavy one).
  assert.ok(
    Math.min(...lastH) <= peak(midH),
    `the ${who}'s JS heap keeps climbing: after every visit of the last third it stays above the middle third's peak ` +
      `(lowest ${mib(Math.min(...lastH))} > ${mib(peak(midH))}; see the after-gc rows of ${CSV})`,
  );
  assert.ok(
    peak(lastH) <= peak(midH) + HEAP_MARGIN(peak(midH)),
    `the ${who}'s JS heap keeps growing: the last third peaks at ${mib(peak(lastH))}, the middle third at ${mib(peak(midH))} (see ${CSV})`,
  );
  assert.ok(
    peak(lastW) <= peak(midW) + WASM_MARGIN(peak(midW)),
    `the ${who}'s wasm memory keeps growing: the last third peaks at ${mib(peak(lastW))}, the middle third at ${mib(peak(midW))} (see ${CSV})`,
  );
}
