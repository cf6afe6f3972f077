// The engine runs in a Web Worker (src/engine/): a million-request run shows a progress bar that
// advances while it computes — which a blocked main thread could never paint — then the run, its
// results and its JSON download appear. Main-thread long tasks during the run are recorded in
// artifacts/worker-longtasks.json for docs/performance.md (reported, not asserted: timing on a
// shared 2-core machine is noise).

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, appUrl, useBrowser, withPage } from './support/browser.mjs';

/** The load-balancing issue's budget case: 1,000,000 requests over 100 backends. */
const MILLION =
  '#/lb?requests=1000000&backends=100&weights=1&rate=20000&capacity=8&service_ms=20&queue=64&clients=10000';

describe('the engine worker', () => {
  const browser = useBrowser();

  test('a million requests compute off the main thread with an advancing progress bar', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.addInitScript(() => {
        window.__longTasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            window.__longTasks.push({ start: e.startTime, duration: e.duration });
          }
        }).observe({ type: 'longtask', buffered: true });
      });
      await page.goto(appUrl(MILLION));
      await page.waitForSelector('[data-testid=playground-loading] [data-testid=computing]', {
        timeout: 60_000,
      });
      // Sample the bar as the page paints it: distinct values mean the page kept rendering.
      const seen = new Set();
      const t0 = Date.now();
      while (Date.now() - t0 < 120_000) {
        const value = await page.evaluate(() => {
          const bar = document.querySelector('[data-testid=computing] progress');
          return bar ? bar.getAttribute('value') : 'gone';
        });
        if (value === 'gone') break;
        if (value !== null) seen.add(value);
        await page.waitForTimeout(25);
      }
      const computeStart = await page.evaluate(() => performance.now());
      assert.ok(seen.size >= 2, `the progress bar advanced (values seen: ${[...seen].join(', ')})`);
      await page.waitForSelector('[data-testid=playground][data-scenario=lb] [data-testid=narration]', {
        timeout: 60_000,
      });
      // The run is whole: the results count every request.
      const result = await page.textContent('[data-testid=result]');
      assert.match(result, /1,?000,?000|1000000/, 'results cover the million requests');
      // The worker writes the download once the run is shown.
      await page.waitForSelector('[data-testid=download-json][href^="blob:"]', { timeout: 60_000 });
      const long = await page.evaluate(() => window.__longTasks);
      const marks = await page.evaluate(() =>
        performance.getEntriesByType('mark').map((m) => ({ name: m.name, at: m.startTime })),
      );
      const report = {
        scenario: MILLION,
        progress_values_seen: seen.size,
        long_tasks: long,
        marks,
        longest_ms: Math.max(0, ...long.map((t) => t.duration)),
        page_now_ms_when_run_arrived: computeStart,
      };
      writeFileSync(join(ARTIFACTS, 'worker-longtasks.json'), JSON.stringify(report, null, 2));
      console.log(
        `worker: ${seen.size} progress values; ${long.length} long tasks, longest ${report.longest_ms.toFixed(1)} ms`,
      );
    });
  });

  test('while a newer run computes the last one stays on screen, and the newest wins', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.goto(appUrl('#/lb?requests=50'));
      await page.waitForSelector('[data-testid=playground][data-scenario=lb] [data-testid=narration]');
      const before = await page.textContent('[data-testid=result]');
      // Record every result text the page ever shows from here on.
      await page.evaluate(() => {
        window.__results = [];
        new MutationObserver(() => {
          const r = document.querySelector('[data-testid=result]');
          if (r) window.__results.push(r.textContent);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      // The parameter sits in a collapsed group of the form.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      // A big run (≈ 2 s in the worker), then at once a small one: the big one's answer must
      // never reach the screen.
      await page.locator('[data-testid=param-requests]').fill('1000000');
      await page.waitForSelector('[data-testid=computing]', { timeout: 30_000 });
      const during = await page.evaluate(() => ({
        computing: !!document.querySelector('[data-testid=computing]'),
        narration: !!document.querySelector('[data-testid=narration]'),
        result: document.querySelector('[data-testid=result]')?.textContent,
      }));
      assert.ok(during.narration, 'the previous run stays on screen while the next computes');
      if (during.computing) assert.equal(during.result, before, 'and it is the previous run');
      await page.locator('[data-testid=param-requests]').fill('120');
      await page.waitForFunction(
        () => !document.querySelector('[data-testid=computing]'),
        null,
        { timeout: 120_000 },
      );
      const after = await page.textContent('[data-testid=result]');
      assert.match(after, /\b120\b/, 'the result is the newest request\'s (120 requests)');
      const shown = await page.evaluate(() => window.__results);
      assert.ok(
        shown.every((t) => !/1,000,000/.test(t)),
        'the superseded million-request run never showed',
      );
    });
  });

  // The engine's bundle serves the page's checks and the blocks' descriptions (started by
  // boot.js) and the worker: when it cannot load, the page says so instead of a progress bar
  // forever or a "nothing here" page.
  test('a page whose engine cannot load says why, not a progress bar forever', async () => {
    const allow = [/hopscope-engine_bg\.wasm/, /engine could not start/, /status of 404/];
    await withPage(browser(), { allow }, async (page) => {
      await page.route('**/hopscope-engine_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
      await page.goto(appUrl('#/lb'));
      const alert = page.locator('[data-testid=engine-failed]');
      await alert.waitFor();
      assert.match(await alert.textContent(), /unavailable: it could not start .*404.*reload the page/s);
      assert.equal(await page.locator('[data-testid=not-found]').count(), 0, 'no "nothing here" page');
      assert.equal(await page.locator('[data-testid=playground]').count(), 0, 'no playground that cannot run');
      // Home: no block is "coming soon" — without the engine none can be told built or not.
      await page.goto(appUrl('#/'));
      await page.reload();
      await page.locator('[data-testid=engine-failed]').waitFor();
      assert.equal(await page.locator('[data-testid=block-card][data-status=coming]').count(), 0);
      assert.equal(await page.locator('[data-testid=block-card][data-status=unavailable]').count(), 16);
    });
  });

  test('an engine that describes no block: the page says so instead of "nothing here"', async () => {
    await withPage(browser(), { allow: [/engine failed to answer/, /no catalog/] }, async (page) => {
      // The engine starts, but its answer to the catalog question (bincode variant 6) throws.
      await page.addInitScript(() => {
        let engine;
        Object.defineProperty(globalThis, 'hopscopeEngine', {
          configurable: true,
          get: () => engine,
          set: (value) => {
            const answer = value.answer;
            engine = answer
              ? {
                  ...value,
                  answer: (q) => {
                    if (q.length === 4 && q[0] === 6) throw new Error('no catalog');
                    return answer(q);
                  },
                }
              : value;
          },
        });
      });
      await page.goto(appUrl('#/lb'));
      const alert = page.locator('[data-testid=engine-failed]');
      await alert.waitFor();
      assert.match(await alert.textContent(), /unavailable: it described no building block\. No scenario can run/);
      assert.equal(await page.locator('[data-testid=not-found]').count(), 0, 'no "nothing here" page');
    });
  });

  test('an engine that throws while answering the page is logged as an error', async () => {
    await withPage(browser(), { allow: [/engine failed to answer/] }, async (page) => {
      await page.goto(appUrl('#/lb'));
      await page.waitForSelector('[data-testid=narration]');
      const logged = page.waitForEvent('console', (m) => m.type() === 'error' && /engine failed to answer.*boom/s.test(m.text()));
      await page.evaluate(() => {
        globalThis.hopscopeEngine.answer = () => {
          throw new Error('boom');
        };
      });
      const backends = page.locator('[data-testid=param-backends]');
      await backends.fill('5');
      await backends.dispatchEvent('input');
      await logged;
    });
  });
});
