// Themes and motion: light and dark follow prefers-color-scheme, the header's menu overrides it
// (remembered in localStorage), the URL's theme= overrides both; the charts' canvases are
// painted in the theme's colours; with prefers-reduced-motion packets jump hop to hop and CSS
// transitions are off.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { appUrl, openPlayground, useBrowser, withPage } from './support/browser.mjs';

const theme = (page) => page.getAttribute('html', 'data-theme');

/** The body's background as a luminance from 0 (black) to 1 (white). */
const bodyLuminance = (page) =>
  page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });

/** Waits until the first chart's top-left pixel (its background) is `want` (`#rrggbb`). */
async function waitForChartBackground(page, want) {
  await page.waitForFunction((want) => {
    const c = document.querySelector('canvas[data-testid=chart]');
    if (!c || c.width === 0) return false;
    // Read a copy of the pixel: reading the page's own canvas again and again makes Chromium
    // warn about readbacks.
    const probe = document.createElement('canvas');
    probe.width = probe.height = 1;
    const ctx = probe.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(c, 1, 1, 1, 1, 0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}` === want;
  }, want);
}

/** Samples packets for `frames` animation frames: `{ hop: [position per frame seen] }`. */
const samplePackets = (page, frames) =>
  page.evaluate(
    (frames) =>
      new Promise((resolve) => {
        const seen = {};
        let n = 0;
        const tick = () => {
          // The packet canvas lists what it drew: `hop msg x y label` a line.
          const drawn = document.querySelector('canvas[data-testid=packets]')?.dataset.packets ?? '';
          for (const line of drawn.split('\n').filter(Boolean)) {
            const [hop, , x, y] = line.split(' ');
            (seen[hop] ??= []).push(`${x} ${y}`);
          }
          n += 1;
          if (n >= frames) resolve(seen);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );

describe('themes and motion', () => {
  const browser = useBrowser();

  test('follows the system colour scheme, charts included', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.emulateMedia({ colorScheme: 'dark' });
      await openPlayground(page, '#/lb');
      assert.equal(await theme(page), 'dark');
      assert.ok((await bodyLuminance(page)) < 0.2, 'a dark page');
      await waitForChartBackground(page, '#161b26');
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
      assert.ok((await bodyLuminance(page)) > 0.8, 'a light page');
      await waitForChartBackground(page, '#ffffff');
    });
  });

  test('the header menu overrides the system, is remembered, and auto returns to it', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await openPlayground(page, '#/lb');
      await page.selectOption('[data-testid=theme]', 'dark');
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'dark');
      await waitForChartBackground(page, '#161b26');
      assert.equal(await page.evaluate(() => localStorage.getItem('hopscope-theme')), 'dark');
      await page.reload();
      await page.waitForSelector('[data-testid=narration]');
      assert.equal(await theme(page), 'dark', 'remembered across a reload');
      assert.equal(await page.locator('[data-testid=theme]').inputValue(), 'dark');
      await page.goto(appUrl('#/'));
      await page.waitForSelector('[data-testid=home]');
      assert.equal(await theme(page), 'dark', 'and on every page');
      await page.selectOption('[data-testid=theme]', 'auto');
      await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
      assert.equal(await page.evaluate(() => localStorage.getItem('hopscope-theme')), null);
    });
  });

  test('the URL flag theme= wins over the system and the stored choice', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.emulateMedia({ colorScheme: 'light' });
      await openPlayground(page, '#/lb?theme=dark');
      assert.equal(await theme(page), 'dark');
      await waitForChartBackground(page, '#161b26');
      // An embed's snippet carries the flag the same way.
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.goto(appUrl('#/lb?embed=1&theme=light'));
      await page.waitForSelector('[data-testid=narration]');
      assert.equal(await theme(page), 'light');
    });
  });

  test('reduced motion: a packet stays put within its hop and transitions are off', async (t) => {
    await withPage(browser(), {}, async (page) => {
      await page.emulateMedia({ reducedMotion: 'reduce' });
      await openPlayground(page, '#/lb?speed=0.25');
      const transition = await page.locator('[data-testid=play]').evaluate((el) => getComputedStyle(el).transitionDuration);
      assert.equal(transition, '0s');
      await page.click('[data-testid=play]');
      await page.waitForSelector('canvas[data-testid=packets][data-packets*=" "]', { state: 'attached' });
      const seen = await samplePackets(page, 90);
      const hops = Object.entries(seen).filter(([, ts]) => ts.length >= 2);
      assert.ok(hops.length > 0, 'some hop was on screen for two frames or more');
      for (const [hop, ts] of hops) assert.equal(new Set(ts).size, 1, `hop ${hop} moved within its flight: ${[...new Set(ts)].join(' → ')}`);
      t.diagnostic(`${hops.length} hops seen over several frames, each at one position`);
    });
  });

  test('full motion: the same packets glide (the control for the test above)', async () => {
    await withPage(browser(), {}, async (page) => {
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      await openPlayground(page, '#/lb?speed=0.25');
      await page.click('[data-testid=play]');
      await page.waitForSelector('canvas[data-testid=packets][data-packets*=" "]', { state: 'attached' });
      const seen = await samplePackets(page, 90);
      const moving = Object.values(seen).filter((ts) => new Set(ts).size > 1);
      assert.ok(moving.length > 0, 'some hop moved between frames');
    });
  });
});
