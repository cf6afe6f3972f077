// The caching page's own panels: each policy's insides at the cursor (the LRU recency list
// changes on a step), the miss-ratio curve computed in slices with a progress bar, and a typed
// trace whose bad line is reported with its number.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

const RECENCY = '[data-testid=cache-insides] [data-testid=cache-list][data-list=recency]';

async function openCache(page, query = '') {
  await page.goto(appUrl(`#/cache${query}`));
  await page.waitForSelector('[data-testid=playground][data-scenario=cache]');
  await page.waitForSelector('[data-testid=narration]');
}

/** The keys shown in a list, in order. */
async function chipsOf(page, selector) {
  return page.$$eval(`${selector} .cache-chip code`, (els) => els.map((e) => e.textContent));
}

describe('caching page', () => {
  const browser = useBrowser();

  test('the LRU recency list changes on a step, most recent first', async () => {
    await withPage(browser(), {}, async (page) => {
      // Three slots and a typed sequence: every access reorders the list.
      await openCache(page, '?policy=lru&capacity=3&keys=a,b,c,a,d,b,e,a,c,d');
      await page.waitForSelector(RECENCY);
      const ends = await textOf(page, `${RECENCY} .cache-ends`);
      assert.match(ends, /most recent/, 'the front end is labelled');
      assert.match(ends, /evicted next/, 'the eviction end is labelled');

      let before = await textOf(page, RECENCY);
      const seen = [await chipsOf(page, RECENCY)];
      for (let i = 0; i < 4; i++) {
        await page.click('[data-testid=step-forward]');
        before = await waitForText(page, RECENCY, { differsFrom: before });
        seen.push(await chipsOf(page, RECENCY));
      }
      // a, b, c, a: after the fourth access, a is back at the front and b is next to go.
      assert.deepEqual(seen.at(-1), ['a', 'c', 'b'], `lists seen: ${JSON.stringify(seen)}`);
    });
  });

  test('the miss-ratio curve runs to the end of its progress bar and draws', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openCache(page, '?policy=all&capacity=100&key_space=2000&accesses=20000');
      await page.click('[data-testid=mrc-start]');
      await page.waitForSelector('[data-testid=mrc-progress]');
      await page.waitForSelector('[data-testid=mrc-panel][data-state=done]', { timeout: 60_000 });
      const bar = await page.$eval('[data-testid=mrc-progress]', (p) => ({ value: p.value, max: p.max }));
      assert.ok(bar.max > 1 && bar.value === bar.max, `progress ends full: ${JSON.stringify(bar)}`);
      // The chart is drawn once the last curves arrive: wait for coloured pixels (lines).
      const coloured = await page.waitForFunction(() => {
        const c = document.querySelector('[data-testid=mrc-chart]');
        if (!c || c.width === 0) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
        }
        return n > 200 ? n : false;
      });
      t.diagnostic(`${await coloured.jsonValue()} coloured pixels on the curve chart`);
    });
  });

  test('a trace with a bad line names the line', async () => {
    await withPage(browser(), {}, async (page) => {
      await openCache(page, '?policy=lru&capacity=3');
      await page.fill('[data-testid=trace-editor]', 'user:1\nuser:2\n# a comment\nuser 3\nuser:1\n');
      const message = await waitForText(page, '[data-testid=trace-error]', { nonEmpty: true });
      assert.match(message, /line 4/, message);
      assert.equal(await page.getAttribute('[data-testid=trace-editor]', 'aria-invalid'), 'true');
      // Fixing the line clears the message and the run follows the trace.
      await page.fill('[data-testid=trace-editor]', 'user:1\nuser:2\n# a comment\nuser:3\nuser:1\n');
      await page.waitForSelector('[data-testid=trace-error]', { state: 'detached' });
      await waitForText(page, '[data-testid=narration]', { includes: '4 accesses' });
    });
  });
});
