// Small screens: every page at 375×700 (a phone) and 1280×800, screenshotted into artifacts/,
// with no sideways scrolling of the document, no interactive control off-screen horizontally,
// and playback buttons big enough to touch (44 px) on the phone.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { appUrl, ARTIFACTS, useBrowser, withPage } from './support/browser.mjs';
import { openPage, PAGES, visibleControls } from './support/pages.mjs';

const SIZES = [
  { width: 375, height: 700 },
  { width: 1280, height: 800 },
];

describe('small screens', () => {
  const browser = useBrowser();

  for (const viewport of SIZES) {
    for (const p of PAGES) {
      test(`${p.name} at ${viewport.width}×${viewport.height}: nothing off-screen sideways`, async (t) => {
        await withPage(browser(), { viewport }, async (page) => {
          await openPage(page, p, appUrl);
          const shot = join(ARTIFACTS, `screen-${p.name}-${viewport.width}.png`);
          await page.screenshot({ path: shot, fullPage: true });
          const { scrollWidth, innerWidth } = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
          }));
          assert.ok(scrollWidth <= innerWidth, `the page scrolls sideways: ${scrollWidth} px of content in ${innerWidth} px`);
          const controls = await visibleControls(page);
          assert.ok(controls.length > 3, `found the page's controls (${controls.length})`);
          const off = controls.filter((c) => c.left < -0.5 || c.right > innerWidth + 0.5);
          assert.deepEqual(
            off.map((c) => `${c.tag} "${c.name}" spans ${c.left.toFixed(0)}..${c.right.toFixed(0)}`),
            [],
            `controls outside 0..${innerWidth} px`,
          );
          if (viewport.width < 640 && p.name !== 'home') {
            const small = (await page.$$eval('.controls button, .controls select', (els) =>
              els.map((e) => ({ id: e.dataset.testid, w: e.offsetWidth, h: e.offsetHeight })),
            )).filter((b) => b.w < 44 || b.h < 44);
            assert.deepEqual(small, [], 'playback controls under 44×44 px');
          }
          t.diagnostic(`${controls.length} controls on screen; ${shot}`);
        });
      });
    }
  }
});
