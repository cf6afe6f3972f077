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
});
