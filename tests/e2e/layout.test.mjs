// Screenshots at a desktop and a phone size, and the playback buttons stay on screen.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, appUrl, openPlayground, useBrowser, withPage } from './support/browser.mjs';

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 375, height: 700 },
];
const BUTTONS = ['play', 'step-back', 'step-forward'];

/** What a person sees first (NAME.png) and the whole page (NAME-full.png). */
async function shoot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  await page.screenshot({ path: join(ARTIFACTS, `${name}-full.png`), fullPage: true });
}

describe('layout', () => {
  const browser = useBrowser();

  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;

    test(`home and lb at ${size}: screenshots, buttons within the viewport`, async (t) => {
      await withPage(browser(), { viewport }, async (page) => {
        await page.goto(appUrl('#/'));
        await page.waitForSelector('[data-testid=block-card]');
        await page.waitForFunction(() => document.body.dataset.firstRender ?? false);
        await shoot(page, `home-${size}`);

        await openPlayground(page, '#/lb');
        await page.waitForSelector('svg[data-testid=topology] g[data-testid=node]', { state: 'attached' });
        await page.waitForSelector('canvas[data-testid=chart]');
        await shoot(page, `lb-${size}`);

        for (const id of BUTTONS) {
          const box = await page.locator(`[data-testid=${id}]`).boundingBox();
          assert.ok(box, `[data-testid=${id}] is rendered at ${size}`);
          assert.ok(
            box.x >= 0 && box.x + box.width <= viewport.width + 0.5,
            `[data-testid=${id}] spans x ${box.x.toFixed(1)}..${(box.x + box.width).toFixed(1)}, outside 0..${viewport.width}`,
          );
        }
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
        if (overflow > 0) t.diagnostic(`note: the lb page is ${overflow}px wider than the ${size} viewport`);
      });
    });
  }

  test('result tables keep one line per row and scroll sideways inside their region', async () => {
    await withPage(browser(), { viewport: { width: 1280, height: 800 } }, async (page) => {
      // The IDs' default result has the widest tables (decoded IDs with long titles, per worker).
      await openPlayground(page, '#/ids');
      const rows = await page.$$eval('[data-testid=result] .result-table tbody tr', (trs) =>
        trs.map((tr) => {
          const line = parseFloat(getComputedStyle(tr.cells[0]).lineHeight);
          const tallest = Math.max(...[...tr.cells].map((td) => td.getBoundingClientRect().height));
          return { text: tr.innerText.replace(/\s+/g, ' ').slice(0, 60), line, tallest };
        }),
      );
      assert.ok(rows.length >= 10, `the IDs' result has its tables (${rows.length} rows)`);
      for (const r of rows) {
        assert.ok(r.tallest < 2 * r.line, `a row wraps onto several lines (${r.tallest}px, line ${r.line}px): ${r.text}`);
      }
      const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(pageOverflow <= 0, `the page is ${pageOverflow}px wider than the viewport: a table escaped its region`);
    });
  });
});
