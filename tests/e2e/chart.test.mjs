// Charts are drawn on a canvas (plotters) with a cursor marker.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { openPlayground, useBrowser, withPage } from './support/browser.mjs';

describe('chart', () => {
  const browser = useBrowser();

  test('the chart canvas has a size and is not blank, and shows a cursor', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await openPlayground(page, '#/lb');
      await page.waitForSelector('canvas[data-testid=chart]');
      const info = await (
        await page.waitForFunction(
          () => {
            const canvas = document.querySelector('canvas[data-testid=chart]');
            const rect = canvas?.getBoundingClientRect();
            if (!canvas || !rect || rect.width === 0 || canvas.width === 0 || canvas.height === 0) return false;
            const ctx = canvas.getContext('2d');
            if (!ctx) return false;
            const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let differing = 0;
            for (let i = 4; i < data.length; i += 4) {
              if (
                data[i] !== data[0] ||
                data[i + 1] !== data[1] ||
                data[i + 2] !== data[2] ||
                data[i + 3] !== data[3]
              ) {
                differing += 1;
              }
            }
            if (differing === 0) return false;
            return {
              cssWidth: rect.width,
              cssHeight: rect.height,
              width: canvas.width,
              height: canvas.height,
              dpr: devicePixelRatio,
              differing,
            };
          },
          null,
          { polling: 100 },
        )
      ).jsonValue();
      assert.ok(info.cssWidth > 0);
      t.diagnostic(
        `chart ${info.width}x${info.height} px for ${info.cssWidth}x${info.cssHeight} CSS px (dpr ${info.dpr}), ${info.differing} non-background pixels`,
      );
      await page.waitForSelector('[data-testid=chart-cursor]', { state: 'attached' });
    });
  });
});
