// Failure schedules on the load balancer: a backend dies, health checks notice, the results
// report how long that took and what it cost; a bad schedule is explained beside its field.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPlayground, textOf, useBrowser, waitForText, withPage } from './support/browser.mjs';

/** The `backend_dies` preset's values, as a link would carry them. */
const DIES =
  'faults=down:2@1s,up:2@6s&requests=400&rate=60&hc_interval_ms=500&hc_timeout_ms=250&timeout_ms=300';

/**
 * Steps forward until the narration includes `words` and returns that narration. Each step waits
 * for the step counter to move; the loop ends at the last step.
 */
async function stepUntil(page, words) {
  for (;;) {
    const narration = await textOf(page, '[data-testid=narration]');
    if (narration.includes(words)) return narration;
    assert.ok(await page.isEnabled('[data-testid=step-forward]'), `no step says "${words}"; last: ${narration}`);
    const before = await textOf(page, '[data-testid=step-index]');
    await page.click('[data-testid=step-forward]');
    await waitForText(page, '[data-testid=step-index]', { differsFrom: before });
  }
}

/** The detection table of the results: one object per row, by column name. */
async function detections(page) {
  return page.evaluate(() => {
    const row = [...document.querySelectorAll('[data-testid=result] .result-row')].find(
      (r) => r.querySelector('dt')?.textContent.trim() === 'Detection',
    );
    const table = row?.querySelector('table');
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    return [...table.querySelectorAll('tbody tr')].map((tr) =>
      Object.fromEntries([...tr.querySelectorAll('td')].map((td, i) => [heads[i], td.textContent.trim()])),
    );
  });
}

describe('load-balancer failure schedule', () => {
  const browser = useBrowser();

  test('a backend that dies at 1 s is marked DOWN at a step, and the results show the detection', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, `#/lb?${DIES}`);
      assert.equal(await page.locator('[data-testid=url-error]').count(), 0);
      const crash = await stepUntil(page, 'crashes');
      assert.match(crash, /Backend 2 crashes/);
      const down = await stepUntil(page, 'marked DOWN');
      t.diagnostic(down);
      const m = down.match(/Backend 2 is marked DOWN after (\d+) failed checks, ([\d.]+ m?s) after it crashed; (\d+) requests? went to it/);
      assert.ok(m, `the narration says when and at what cost: ${down}`);
      assert.equal(m[1], '3', 'HAProxy fall = 3');
      await page.waitForSelector('g[data-testid=node][data-node="backend-2"].is-highlighted');

      const rows = await detections(page);
      assert.ok(rows, 'the results have a Detection table');
      assert.equal(rows.length, 1, JSON.stringify(rows));
      assert.equal(rows[0]['requests sent while dead'], m[3], `the same count as the narration: ${JSON.stringify(rows)}`);
      assert.notEqual(rows[0]['delay us'], '—', 'detected');
    });
  });

  test('the "A backend dies" preset puts the schedule in the form and the link', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      await page.click('[data-testid=preset-backend_dies]');
      await page.waitForFunction(() => location.hash.includes('faults=down%3A2%401s,up%3A2%406s'));
      // The schedule sits in the folded Failures group, which counts it as changed.
      await waitForText(page, '[data-testid=group-failures] summary', { includes: 'changed' });
      assert.equal(await page.inputValue('[data-testid=param-faults]'), 'down:2@1s,up:2@6s');
      await stepUntil(page, 'marked DOWN');
    });
  });

  test('a bad schedule in the form names the item that is wrong and changes nothing', async () => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      const faults = page.locator('[data-testid=param-faults]');
      assert.equal(await faults.isVisible(), false, 'Failures starts folded');
      await page.click('[data-testid=group-failures] summary');
      await faults.waitFor({ state: 'visible' });
      const narration = await textOf(page, '[data-testid=narration]');

      await faults.fill('down:2@1s,down:9@2s');
      const message = await waitForText(page, '[data-testid=param-error-faults]', { includes: 'item 2' });
      assert.match(message, /backend 9 does not exist \(1 to 3\)/);
      await waitForText(page, '[data-testid=group-failures] summary', { includes: '1 error' });
      assert.equal(await textOf(page, '[data-testid=narration]'), narration, 'the last good run stays');
      await page.waitForFunction(() => !location.hash.includes('faults=down'));

      await faults.fill('down:2@1s');
      await page.waitForSelector('[data-testid=param-error-faults]', { state: 'detached' });
      await page.waitForFunction(() => location.hash.includes('faults=down%3A2%401s'));
    });
  });
});
